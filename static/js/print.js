// Buttons marked data-print print the page (our CSP allows no inline handlers).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
