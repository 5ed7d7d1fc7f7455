// The summary page's Print button. Without JavaScript the button stays hidden and the page says
// to use the browser's own Print, which does the same.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
