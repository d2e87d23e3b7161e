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

  // An author field with suggestions: names that begin with what was typed.
  for (const input of document.querySelectorAll("input[data-suggestions]")) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) continue;
    let timer = null;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const typed = input.value.trim();
        if (typed.length < 2) return;
        const url = `${input.dataset.suggestions}?q=${encodeURIComponent(typed)}`;
        try {
          const { names } = await (await fetch(url)).json();
          list.replaceChildren(...names.map((name) => new Option(name, name)));
        } catch {
          // No suggestions: the field still takes the name as typed.
        }
      }, 200);
    });
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
