// Back to a list as it was left. A list page (marked data-list-remember) keeps its query string
// (filters, sorting, page) for this tab; a breadcrumb link to that list without a query of its
// own then goes back to it. Without JavaScript, or with storage refused, the links open the
// plain list.
(function () {
  "use strict";
  var KEY = "tracker-list-query:";

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  var store = storage();
  if (!store) { return; }
  if (document.querySelector("[data-list-remember]")) {
    try { store.setItem(KEY + window.location.pathname, window.location.search); } catch (e) { return; }
  }
  document.querySelectorAll(".breadcrumb a[href]").forEach(function (link) {
    var url = new URL(link.getAttribute("href"), window.location.href);
    if (url.origin !== window.location.origin || url.search) { return; }
    var query = store.getItem(KEY + url.pathname);
    if (query && query.charAt(0) === "?") {
      link.setAttribute("href", url.pathname + query);
    }
  });
})();
