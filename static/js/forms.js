// Forms: focus on the error summary, a filter above long lists of checkboxes, and the action
// lines of the chosen plan only. Every form works without this script.
(function () {
  "use strict";

  // The error summary (templates/measures/_error_summary.html) takes the focus, so a screen
  // reader reads it first; its links move to the field and focus it.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      var fieldset = field.closest("fieldset");
      (label || fieldset || field).scrollIntoView();
      field.focus();
    });
  }

  // Checkboxes marked data-filter-list (measures.widgets.FilterableCheckboxes): above a list of
  // more than eight, a search field that hides the boxes whose label does not match.
  var FILTER_FROM = 8;

  function filterableLists() {
    var byName = {};
    document.querySelectorAll("input[type=checkbox][data-filter-list]").forEach(function (box) {
      (byName[box.name] = byName[box.name] || []).push(box);
    });
    Object.keys(byName).forEach(function (name) {
      var boxes = byName[name];
      if (boxes.length <= FILTER_FROM) return;
      var first = boxes[0].closest(".form-check");
      var list = first.parentElement;
      list.classList.add("filterable-list");
      var id = "filter-" + name;
      var wrapper = document.createElement("div");
      wrapper.className = "list-filter mb-2";
      var label = document.createElement("label");
      label.className = "form-label small";
      label.htmlFor = id;
      label.textContent = (boxes[0].form && boxes[0].form.dataset.filterLabel) || "Filter";
      var input = document.createElement("input");
      input.type = "search";
      input.id = id;
      input.className = "form-control form-control-sm";
      input.autocomplete = "off";
      input.setAttribute("aria-controls", list.id || (list.id = "list-" + name));
      wrapper.appendChild(label);
      wrapper.appendChild(input);
      list.parentNode.insertBefore(wrapper, list);
      input.addEventListener("input", function () {
        var query = input.value.trim().toLowerCase();
        boxes.forEach(function (box) {
          var row = box.closest(".form-check");
          var text = row.textContent.toLowerCase();
          row.hidden = query !== "" && !box.checked && text.indexOf(query) === -1;
        });
      });
    });
  }

  // The action-line select (measures.widgets.ActionLineSelect): only the lines of the plan
  // chosen in the same form; a line of another plan is unselected when the plan changes.
  function actionLinesOfPlan() {
    document.querySelectorAll("select").forEach(function (select) {
      var lines = Array.prototype.slice.call(select.options).filter(function (option) {
        return option.dataset.plan;
      });
      if (!lines.length || !select.form) return;
      var plan = select.form.elements.namedItem(select.name.replace("action_line", "plan"));
      if (!plan || plan === select) return;
      function show() {
        var chosen = plan.value;
        var selected = select.value;
        lines.forEach(function (option) {
          if (option.parentNode) option.parentNode.removeChild(option);
        });
        lines.forEach(function (option) {
          if (!chosen || option.dataset.plan === chosen) select.appendChild(option);
        });
        select.value = Array.prototype.some.call(select.options, function (option) {
          return option.value === selected;
        })
          ? selected
          : "";
      }
      plan.addEventListener("change", show);
      show();
    });
  }

  function start() {
    focusErrorSummary();
    filterableLists();
    actionLinesOfPlan();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
