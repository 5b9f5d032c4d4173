// Intake and party pages: add rows to formsets, show the fields of the chosen
// party kind, and explain the chosen dispute category. Everything works without
// this script; it only hides what does not apply.
(function () {
  "use strict";

  // --- "增加申请人" / "增加请求事项" -------------------------------------------
  document.querySelectorAll("[data-add-form]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-form");
    var template = document.getElementById(prefix + "-empty");
    var container = document.querySelector('[data-formset="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!template || !container || !total) return;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var node = holder.firstElementChild;
      container.appendChild(node);
      total.value = String(index + 1);
      wirePartyForm(node);
      var first = node.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  });

  // --- Party kind: show only the fields of that kind --------------------------
  function wirePartyForm(root) {
    var kind = root.querySelector('select[name$="-kind"], select[name="kind"]');
    if (!kind) return;
    function apply() {
      root.querySelectorAll("[data-kind-group]").forEach(function (group) {
        var kinds = group.getAttribute("data-kind-group").split(" ");
        var hasError = group.querySelector(".is-invalid") !== null;
        group.classList.toggle("d-none", kinds.indexOf(kind.value) === -1 && !hasError);
      });
    }
    kind.addEventListener("change", apply);
    apply();
  }
  document.querySelectorAll("[data-party-form], form.app-party").forEach(wirePartyForm);

  // --- Dispute category: Art. 60 and Art. 23 hints ----------------------------
  var hintsNode = document.getElementById("category-hints");
  var category = document.querySelector('select[name$="category"]');
  if (hintsNode && category) {
    var hints = JSON.parse(hintsNode.textContent);
    var art60 = document.getElementById("hint-art60");
    var recon = document.getElementById("hint-recon");
    var art60Fields = document.getElementById("art60-fields");
    var reconFields = document.getElementById("recon-fields");
    var showCategory = function () {
      var hint = hints[category.value];
      var needBasis = hint && !hint.art60;
      art60.classList.toggle("d-none", !needBasis);
      // The category's own note (reference data) says it in full; the general rule otherwise.
      art60.textContent = needBasis
        ? (hint.art60_note
            ? "该类别" + hint.art60_note
            : "该类别一般不属于《行政诉讼法》第六十条规定的可调解范围（行政赔偿、补偿、自由裁量）。") +
          "请在下方选择工作室据以调解的依据。"
        : "";
      recon.classList.toggle("d-none", !(hint && hint.recon_first));
      recon.textContent = hint && hint.recon_first
        ? "复议前置：" + hint.recon_note + "请告知申请人，并勾选“已告知复议前置”。"
        : "";
      if (art60Fields && !art60Fields.querySelector(".is-invalid")) {
        art60Fields.classList.toggle("d-none", !needBasis && !art60Fields.querySelector("select").value);
      }
      if (reconFields && !reconFields.querySelector(".is-invalid")) {
        reconFields.classList.toggle("d-none", !(hint && hint.recon_first));
      }
    };
    category.addEventListener("change", showCategory);
    showCategory();
  }
})();
