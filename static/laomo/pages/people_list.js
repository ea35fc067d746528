// The registry list's toolbar (people/person_list.html).
// Toolbar buttons act on the checked rows: 修改 / 标记去世 need one, 合并 needs two (first = kept).
(function () {
  "use strict";
  function checked() { return Array.prototype.map.call(document.querySelectorAll("input[name=ids]:checked"), function (c) { return c.value; }); }
  function refresh() {
    var n = checked().length;
    document.querySelectorAll("[data-needs-two]").forEach(function (b) { b.disabled = n !== 2; });
  }
  document.addEventListener("change", refresh);
  document.addEventListener("DOMContentLoaded", refresh);
  document.addEventListener("click", function (event) {
    var go = event.target.closest("[data-go]");
    var ids = checked();
    if (go && ids.length === 1) { window.location = go.dataset.go.replace("/0/", "/" + ids[0] + "/"); }
    var merge = event.target.closest("[data-merge]");
    if (merge && ids.length === 2) { window.location = merge.dataset.merge.replace("/0/", "/" + ids[0] + "/") + "?duplicate=" + ids[1]; }
  });
})();
