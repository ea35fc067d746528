// Small behaviours shared by staff pages. No framework; htmx does the partial updates.
(function () {
  "use strict";
  // Forms or buttons with data-confirm="是否确认删除“…”？" ask first, in the 系统提示 dialog.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (!el || el.dataset.confirmed === "1") return;
    event.preventDefault();
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || !dialog.showModal) { if (window.confirm(el.dataset.confirm)) { el.dataset.confirmed = "1"; el.click(); } return; }
    document.getElementById("confirm-text").textContent = el.dataset.confirm;
    dialog.showModal();
    dialog.querySelector("[data-confirm-ok]").onclick = function () {
      dialog.close(); el.dataset.confirmed = "1"; el.click(); el.dataset.confirmed = "";
    };
    dialog.querySelector("[data-confirm-cancel]").onclick = function () { dialog.close(); };
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
    // 全选 checkbox
    if (event.target.matches("[data-check-all]")) {
      var table = event.target.closest("table");
      table.querySelectorAll("input[name=ids]").forEach(function (c) { c.checked = event.target.checked; });
    }
    updateToolbar();
  });
  // 修改 needs exactly one selected row, 删除 at least one.
  function updateToolbar() {
    var n = document.querySelectorAll("input[name=ids]:checked").length;
    document.querySelectorAll("[data-needs-one]").forEach(function (b) { b.disabled = n !== 1; });
    document.querySelectorAll("[data-needs-some]").forEach(function (b) { b.disabled = n < 1; });
  }
  document.addEventListener("DOMContentLoaded", updateToolbar);
  document.addEventListener("click", function (event) {
    var t = event.target.closest("[data-toggle-sidebar]");
    if (t) document.getElementById("sidebar").classList.toggle("open");
    var reset = event.target.closest("[data-reset-form]");
    if (reset) { event.preventDefault(); window.location = reset.form.action || window.location.pathname; }
  });
  // A button with data-remove-after-request goes once its htmx request is answered (e.g. 查看完整身份证号):
  // in place of hx-on, which htmx runs through eval and the Content-Security-Policy forbids.
  document.addEventListener("htmx:afterRequest", function (event) {
    var el = event.detail && event.detail.elt;
    if (el && el.matches && el.matches("[data-remove-after-request]")) el.remove();
  });
  // iOS WeChat restores pages from cache on Back without running scripts: reload lists.
  window.addEventListener("pageshow", function (e) { if (e.persisted && document.body.dataset.reloadOnBack) window.location.reload(); });
})();
