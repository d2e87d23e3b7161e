// Small enhancements; every page works without them.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Webinar times: also in the reader's own time zone, when it differs.
  const readerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const time of document.querySelectorAll("time[data-local-time]")) {
    const when = new Date(time.getAttribute("datetime"));
    if (Number.isNaN(when.getTime())) continue;
    const local = new Intl.DateTimeFormat(undefined, {
      weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
      timeZoneName: "short",
    }).format(when);
    const note = document.createElement("span");
    note.className = "local-time";
    note.textContent = ` — ${local} where you are (${readerZone})`;
    time.after(note);
  }

  // "Copy the citation" buttons copy the text of the element they name.
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    const status = button.parentElement.querySelector(".copy-status");
    if (!source || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim() + "\n");
        if (status) status.textContent = "Copied.";
      } catch {
        if (status) status.textContent = "Copying failed: select the text and copy it.";
      }
    });
  }
});
