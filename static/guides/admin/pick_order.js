// Drag and drop the picks of a guide into a new order; their rank fields are
// renumbered 1, 2, 3… in the new order. The server saves a reorder without rank
// collisions. Without JavaScript, editors type the ranks themselves.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const group = document.querySelector(".sortable-picks");
  if (!group) return;
  const rows = () => [...group.querySelectorAll(".inline-related:not(.empty-form)")];
  const rankInput = (row) => row.querySelector('input[name$="-rank"]');

  function renumber() {
    let rank = 0;
    for (const row of rows()) {
      const input = rankInput(row);
      const deleted = row.querySelector('input[name$="-DELETE"]');
      if (!input || (deleted && deleted.checked)) continue;
      rank += 1;
      if (input.value !== String(rank)) {
        input.value = String(rank);
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  }

  let dragged = null;
  function prepare(row) {
    if (row.dataset.sortable) return;
    row.dataset.sortable = "yes";
    const heading = row.querySelector("h3");
    const handle = document.createElement("span");
    handle.className = "pick-drag-handle";
    handle.textContent = "↕ drag to reorder";
    handle.setAttribute("aria-hidden", "true");
    if (heading) heading.prepend(handle);
    row.draggable = true;
    row.addEventListener("dragstart", (event) => {
      dragged = row;
      row.classList.add("pick-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("pick-dragging");
      dragged = null;
    });
    row.addEventListener("dragover", (event) => {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    });
    row.addEventListener("drop", (event) => {
      event.preventDefault();
      renumber();
    });
  }

  rows().forEach(prepare);
  // Rows added with "Add another Pick" join the order at the end.
  document.addEventListener("formset:added", (event) => {
    if (group.contains(event.target)) {
      prepare(event.target);
      renumber();
    }
  });
});
