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

  // The comment form on a (cached) guide page: a fresh form token once the reader
  // starts writing, so the server can tell how long the form was open. Without it
  // the comment comes back on a page of its own, its text kept, to send again.
  for (const form of document.querySelectorAll("form[data-token-url]")) {
    const token = form.querySelector("input[name=token]");
    if (!token || token.value) continue;
    form.addEventListener("focusin", async () => {
      if (token.value) return;
      try {
        token.value = (await (await fetch(form.dataset.tokenUrl)).json()).token;
      } catch {
        // The server hands out a token on the page it answers with.
      }
    }, { once: true });
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

  // Maps are files of their own (half a megabyte of dots): put into the page once
  // loaded. Zoomable: buttons, the wheel and dragging change the SVG's viewBox.
  for (const frame of document.querySelectorAll("[data-map]")) showMap(frame);
  for (const svg of document.querySelectorAll("svg[data-zoomable]")) zoomable(svg);
});

async function showMap(frame) {
  const response = await fetch(frame.dataset.map);
  if (!response.ok) return; // the link to the file stays
  const parsed = new DOMParser().parseFromString(await response.text(), "image/svg+xml");
  if (parsed.documentElement.localName !== "svg") return;
  const svg = document.importNode(parsed.documentElement, true);
  frame.replaceChildren(svg);
  zoomable(svg);
}

function zoomable(svg) {
  const full = svg.viewBox.baseVal;
  const home = { x: full.x, y: full.y, width: full.width, height: full.height };
  let view = { ...home };
  const show = () => svg.setAttribute("viewBox", `${view.x} ${view.y} ${view.width} ${view.height}`);
  const zoom = (factor, cx = view.x + view.width / 2, cy = view.y + view.height / 2) => {
    const width = Math.min(home.width, Math.max(home.width / 20, view.width * factor));
    const scale = width / view.width;
    view = {
      x: cx - (cx - view.x) * scale, y: cy - (cy - view.y) * scale,
      width, height: view.height * scale,
    };
    show();
  };
  const tools = document.createElement("div");
  tools.className = "map-tools";
  for (const [label, action] of [
    ["Zoom in", () => zoom(0.5)], ["Zoom out", () => zoom(2)],
    ["Show all", () => { view = { ...home }; show(); }],
  ]) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.addEventListener("click", action);
    tools.append(button);
  }
  svg.parentElement.before(tools);
  const toMap = (event) => {
    const box = svg.getBoundingClientRect();
    return [
      view.x + ((event.clientX - box.left) / box.width) * view.width,
      view.y + ((event.clientY - box.top) / box.height) * view.height,
    ];
  };
  svg.addEventListener("wheel", (event) => {
    event.preventDefault();
    zoom(event.deltaY < 0 ? 0.8 : 1.25, ...toMap(event));
  }, { passive: false });
  let drag = null;
  svg.addEventListener("pointerdown", (event) => {
    drag = { x: event.clientX, y: event.clientY, view: { ...view }, moved: false };
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    const box = svg.getBoundingClientRect();
    const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
    view.x = drag.view.x - (dx / box.width) * view.width;
    view.y = drag.view.y - (dy / box.height) * view.height;
    show();
  });
  svg.addEventListener("pointerup", () => { setTimeout(() => { drag = null; }); });
  // A drag ends on a dot: it moved the map, it does not open the paper.
  svg.addEventListener("click", (event) => { if (drag?.moved) event.preventDefault(); }, true);
}
