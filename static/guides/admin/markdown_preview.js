// Beside every Markdown text area (data-markdown-preview), the text as readers will see
// it: a moment after typing stops, the text goes to the server, which renders it with
// the public page's pipeline (guides.admin_preview), and the answer shows here. The
// guide is the one being edited, or the one chosen on a pick's or section's page.
"use strict";

(() => {
  const WAIT = 400; // milliseconds after the last key

  function guideId() {
    const chosen = document.querySelector("#id_guide");
    if (chosen) return chosen.value;
    const match = location.pathname.match(/\/guides\/guide\/(\d+)\//);
    return match ? match[1] : "";
  }

  function csrfToken(textarea) {
    const input = textarea.form?.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function enhance(textarea) {
    if (textarea.dataset.previewReady || textarea.closest(".empty-form")) return;
    textarea.dataset.previewReady = "1";
    const pane = document.createElement("div");
    pane.className = "markdown-preview";
    pane.setAttribute("aria-live", "polite");
    pane.setAttribute("aria-label", "Preview");
    const wrapper = document.createElement("div");
    wrapper.className = "markdown-with-preview";
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.append(textarea, pane);

    let timer, sent = 0;
    async function update() {
      const number = ++sent;
      const body = new FormData();
      body.append("text", textarea.value);
      body.append("preview_guide", guideId());
      body.append("csrfmiddlewaretoken", csrfToken(textarea));
      try {
        const response = await fetch(textarea.dataset.markdownPreview, {
          method: "POST",
          body,
          credentials: "same-origin",
        });
        if (number !== sent) return; // a newer text is on its way
        if (!response.ok) throw new Error(String(response.status));
        pane.innerHTML = (await response.json()).html; // sanitized by the server
        pane.classList.remove("markdown-preview-error");
      } catch {
        pane.textContent = "The preview could not be made; the text is unchanged.";
        pane.classList.add("markdown-preview-error");
      }
    }
    textarea.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(update, WAIT);
    });
    update();
  }

  function enhanceAll() {
    document.querySelectorAll("textarea[data-markdown-preview]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", enhanceAll);
  document.addEventListener("formset:added", enhanceAll);
})();
