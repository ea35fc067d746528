// The live board's timeline chart (volunteering/operations/board.html).
window.addEventListener("load", function () {
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("chart-data").textContent);
  var el = document.getElementById("chart-timeline");
  var n = el.dataset;
  echarts.init(el).setOption({
    tooltip: {trigger: "axis"}, legend: {data: [n.sent, n.in, n.out]},
    xAxis: {type: "category", data: d.days}, yAxis: {type: "value"},
    series: [{name: n.sent, type: "line", data: d.sent}, {name: n.in, type: "line", data: d.in}, {name: n.out, type: "line", data: d.out}]
  });
});
