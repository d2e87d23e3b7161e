// The compact list of a saved guide's picks (templates/admin/guides/guide/_picks.html):
// drag a pick, or use its ↑ ↓ buttons, and the numbers follow the order on the page,
// which is the reading order: a pick dragged or moved into another section takes that
// section. Choosing a section moves the pick to the end of it. Without JavaScript the
// number and section fields are filled in by hand.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const panel = document.querySelector("fieldset#picks.pick-order");
  if (!panel || !panel.querySelector("input.pick-rank")) return; // read-only: a published guide
  const items = () => [...panel.querySelectorAll("li[data-pick]")];
  const groupOf = (item) => item.closest(".pick-group");

  function renumber() {
    items().forEach((item, index) => {
      item.querySelector(".pick-rank").value = String(index + 1);
      item.querySelector(".pick-section").value = groupOf(item).dataset.section;
    });
  }

  function titleOf(item) {
    return item.querySelector(".title").textContent.trim();
  }

  function move(item, offset) {
    const all = items();
    const index = all.indexOf(item);
    const neighbour = all[index + offset];
    if (neighbour && groupOf(neighbour) !== groupOf(item)) {
      // Across a section's edge: into the next section, first, or the one before, last.
      const target = neighbour.parentNode;
      offset < 0 ? target.appendChild(item) : target.insertBefore(item, target.firstChild);
    } else if (neighbour) {
      neighbour.parentNode.insertBefore(item, offset < 0 ? neighbour : neighbour.nextSibling);
    } else {
      // Past the first or last pick: into the section before or after, if there is one.
      const groups = [...panel.querySelectorAll(".pick-group")];
      const next = groups[groups.indexOf(groupOf(item)) + offset];
      if (!next) return;
      const target = next.querySelector("ol");
      offset < 0 ? target.appendChild(item) : target.insertBefore(item, target.firstChild);
    }
    renumber();
    item.querySelector(offset < 0 ? ".up" : ".down").focus();
  }

  let dragged = null;
  for (const item of items()) {
    item.draggable = true;
    const up = document.createElement("button");
    const down = document.createElement("button");
    up.type = down.type = "button";
    up.className = "up";
    down.className = "down";
    up.textContent = "↑";
    down.textContent = "↓";
    up.setAttribute("aria-label", `Move “${titleOf(item)}” up`);
    down.setAttribute("aria-label", `Move “${titleOf(item)}” down`);
    up.addEventListener("click", () => move(item, -1));
    down.addEventListener("click", () => move(item, 1));
    item.append(up, down);
    item.querySelector(".pick-section").addEventListener("change", (event) => {
      const group = panel.querySelector(`.pick-group[data-section="${event.target.value}"] ol`);
      group.appendChild(item);
      renumber();
    });
    item.addEventListener("dragstart", (event) => {
      dragged = item;
      item.classList.add("pick-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.dataset.pick);
    });
    item.addEventListener("dragend", () => {
      item.classList.remove("pick-dragging");
      dragged = null;
      renumber();
    });
  }
  // Every list takes drops, the empty ones of sections without picks too.
  for (const list of panel.querySelectorAll(".pick-group ol")) {
    list.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      const over = event.target.closest("li[data-pick]");
      if (!over) {
        if (!list.contains(dragged)) list.appendChild(dragged);
        return;
      }
      if (over === dragged) return;
      const box = over.getBoundingClientRect();
      list.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? over.nextSibling : over);
    });
    list.addEventListener("drop", (event) => event.preventDefault());
  }
});
