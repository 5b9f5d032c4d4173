// Progressive enhancements shared by every page. No inline handlers: CSP forbids them.
(function () {
  "use strict";

  // <form data-confirm="确定要……吗？"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Prevent a double click from submitting the same form twice.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    var form = event.target;
    if (form.method.toLowerCase() !== "post") return;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // Deadline explanations open on click as well as on hover.
  document.querySelectorAll("[data-bs-toggle=popover]").forEach(function (el) {
    new bootstrap.Popover(el, { trigger: "focus hover", placement: "top" });
  });
})();
