// The person page's dialogs (people/person_detail.html).
document.addEventListener("click", function (event) {
  var open = event.target.closest("[data-open-dialog]");
  if (open) { document.getElementById(open.dataset.openDialog).showModal(); }
  var close = event.target.closest("[data-close-dialog]");
  if (close) { close.closest("dialog").close(); }
});
