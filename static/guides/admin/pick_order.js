// The order of a guide's picks, as a compact list above them: drag a title, or use
// its ↑ ↓ buttons (keyboard). The pick forms follow the list and their rank fields
// are renumbered 1, 2, 3…; the server saves a reorder without rank collisions.
// Without JavaScript, editors type the ranks themselves.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const group = document.querySelector(".sortable-picks");
  if (!group) return;
  const rows = () => [...group.querySelectorAll(".inline-related:not(.empty-form)")];
  const deleted = (row) => row.querySelector('input[name$="-DELETE"]')?.checked;

  const panel = document.createElement("div");
  panel.className = "pick-order";
  panel.innerHTML =
    '<p id="pick-order-help">Order of the picks: drag a title, or move it with ↑ and ↓.</p>' +
    '<ol aria-describedby="pick-order-help"></ol>';
  const list = panel.querySelector("ol");
  const firstRow = rows()[0];
  (firstRow ? firstRow.parentNode : group).insertBefore(panel, firstRow || null);

  function titleOf(row) {
    const label = row.querySelector(".inline_label");
    const text = label ? label.textContent.trim() : "";
    return text.startsWith("#") || !text ? "New pick" : text.replace(/^\d+\.\s*/, "");
  }

  function renumber() {
    let rank = 0;
    for (const item of list.children) {
      const row = document.getElementById(item.dataset.row);
      row.parentNode.insertBefore(row, null); // the forms follow the list's order
      const input = row.querySelector('input[name$="-rank"]');
      if (!input || deleted(row)) continue;
      rank += 1;
      input.value = String(rank);
      item.querySelector(".rank").textContent = `${rank}.`;
    }
  }

  function move(item, offset) {
    const target = offset < 0 ? item.previousElementSibling : item.nextElementSibling?.nextElementSibling;
    if (offset < 0 && !target) return;
    list.insertBefore(item, target || null);
    renumber();
    item.querySelector(offset < 0 ? ".up" : ".down").focus();
  }

  let dragged = null;
  function add(row) {
    const item = document.createElement("li");
    item.draggable = true;
    item.dataset.row = row.id;
    item.innerHTML =
      '<span class="rank"></span> <span class="title"></span> ' +
      '<button type="button" class="up">↑</button><button type="button" class="down">↓</button>';
    item.querySelector(".title").textContent = titleOf(row);
    item.querySelector(".up").setAttribute("aria-label", `Move “${titleOf(row)}” up`);
    item.querySelector(".down").setAttribute("aria-label", `Move “${titleOf(row)}” down`);
    item.querySelector(".up").addEventListener("click", () => move(item, -1));
    item.querySelector(".down").addEventListener("click", () => move(item, 1));
    item.addEventListener("dragstart", (event) => {
      dragged = item;
      item.classList.add("pick-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
    });
    item.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      if (dragged === item) return;
      const box = item.getBoundingClientRect();
      list.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? item.nextSibling : item);
    });
    item.addEventListener("drop", (event) => event.preventDefault());
    item.addEventListener("dragend", () => {
      item.classList.remove("pick-dragging");
      dragged = null;
      renumber();
    });
    list.appendChild(item);
  }

  rows().forEach(add);
  renumber();
  // A pick added with "Add another Pick" joins the order at the end.
  document.addEventListener("formset:added", (event) => {
    if (group.contains(event.target) && !event.target.classList.contains("empty-form")) {
      add(event.target);
      renumber();
    }
  });
});
