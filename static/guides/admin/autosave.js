// Autosave (guides/admin_autosave.py): a form holding a [data-autosave] marker sends
// the fields it names a few seconds after typing stops, with the version it is based
// on; the answer is the new version, kept for the next autosave and for the form's own
// save button. A refusal (someone else saved first) stops autosaving and says so.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const marker = document.querySelector("[data-autosave]");
  if (!marker) return;
  const form = marker.closest("form");
  const status = marker.querySelector(".autosave-status");
  const names = marker.dataset.autosaveFields.split(" ");
  const fields = names.map((name) => form.elements.namedItem(name)).filter(Boolean);
  let state = JSON.parse(marker.dataset.autosaveState);
  let timer = null;
  let sending = false;
  let stopped = false;

  function say(text, problem) {
    status.textContent = text;
    status.classList.toggle("autosave-problem", Boolean(problem));
  }

  async function save() {
    if (stopped) return;
    if (sending) {
      schedule();
      return;
    }
    sending = true;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.namedItem("csrfmiddlewaretoken").value);
    for (const field of fields) body.append(field.name, field.value);
    for (const [name, value] of Object.entries(state)) body.append(name, value);
    try {
      const response = await fetch(marker.dataset.autosave, {
        method: "POST",
        body,
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (!response.ok) {
        stopped = response.status === 409 || response.status === 403;
        say(`Not saved automatically: ${answer.errors.join(" ")}`, true);
        return;
      }
      const { saved_at: savedAt, ...next } = answer;
      state = next;
      for (const [name, value] of Object.entries(next)) {
        const input = form.elements.namedItem(name);
        if (input) input.value = value; // the save button sends the new version
      }
      say(`Saved automatically at ${savedAt}.`);
    } catch (error) {
      say("Not saved automatically: the server did not answer. Retrying as you type.", true);
    } finally {
      sending = false;
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(save, Number(marker.dataset.autosaveDelay || 3000));
  }

  for (const field of fields) field.addEventListener("input", schedule);
});
