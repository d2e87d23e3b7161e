// "Insert image…" under every Markdown text area of a guide (those with a
// data-image-chooser address): search the media library, pick an image, and its
// Markdown, ![](image:KEY), goes in at the cursor on a line of its own.
// Without JavaScript, editors paste the Markdown the library shows on each image.
"use strict";

(() => {
  let counter = 0;

  function enhance(textarea) {
    if (textarea.dataset.chooserReady || textarea.closest(".empty-form")) return;
    textarea.dataset.chooserReady = "1";
    const id = `image-chooser-${++counter}`;
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "button image-chooser-toggle";
    toggle.textContent = "Insert image…";
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", id);
    toggle.dataset.for = textarea.id;

    const panel = document.createElement("div");
    panel.className = "image-chooser";
    panel.id = id;
    panel.hidden = true;
    panel.innerHTML =
      `<label for="${id}-q">Search the media library</label> ` +
      `<input type="search" id="${id}-q" autocomplete="off">` +
      '<p class="image-chooser-status" role="status"></p><ul></ul>';
    const search = panel.querySelector("input");
    const status = panel.querySelector(".image-chooser-status");
    const results = panel.querySelector("ul");
    textarea.after(toggle, panel);

    let timer;
    async function load() {
      const url = `${textarea.dataset.imageChooser}?q=${encodeURIComponent(search.value)}`;
      const response = await fetch(url, { credentials: "same-origin" });
      const data = await response.json();
      results.replaceChildren();
      if (!response.ok) {
        status.textContent = data.error || "The library could not be searched.";
        return;
      }
      status.textContent = data.results.length ? "" : "No image matches. Upload it in the media library first.";
      for (const image of data.results) {
        const item = document.createElement("li");
        const choose = document.createElement("button");
        choose.type = "button";
        choose.className = "image-choice";
        if (image.thumbnail) {
          const thumb = document.createElement("img");
          thumb.src = image.thumbnail;
          thumb.alt = "";
          choose.append(thumb);
        }
        choose.append(`${image.title} (${image.key})`);
        choose.addEventListener("click", () => insert(image.markdown));
        item.append(choose);
        results.append(item);
      }
    }

    function insert(markdown) {
      const { selectionStart: start, selectionEnd: end, value } = textarea;
      const before = value.slice(0, start);
      const after = value.slice(end);
      const lead = before && !before.endsWith("\n\n") ? (before.endsWith("\n") ? "\n" : "\n\n") : "";
      const tail = after.startsWith("\n") ? "\n" : "\n\n";
      textarea.value = before + lead + markdown + tail + after;
      const caret = (before + lead + markdown).length;
      textarea.setSelectionRange(caret, caret);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      close();
      textarea.focus();
    }

    function close() {
      panel.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
    }

    toggle.addEventListener("click", () => {
      if (!panel.hidden) return close();
      panel.hidden = false;
      toggle.setAttribute("aria-expanded", "true");
      search.focus();
      load();
    });
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(load, 250);
    });
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        close();
        toggle.focus();
      }
    });
  }

  function enhanceAll() {
    document.querySelectorAll("textarea[data-image-chooser]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", enhanceAll);
  // Inline rows added with "Add another …" bring new text areas.
  document.addEventListener("formset:added", enhanceAll);
})();
