// The media library's "Copy" button: puts an image's Markdown on the clipboard.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy-markdown");
  if (!button) return;
  try {
    await navigator.clipboard.writeText(button.dataset.copy);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select the text to copy it";
  }
});
