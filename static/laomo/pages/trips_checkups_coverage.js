// The check-up coverage page's chart (trips/checkups/coverage.html).
window.addEventListener("load", function () {
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("chart-data").textContent);
  var el = document.getElementById("chart-coverage");
  var n = el.dataset;
  echarts.init(el).setOption({
    tooltip: {trigger: "axis"}, legend: {data: [n.due, n.booked, n.attended, n.recheck]},
    xAxis: {type: "category", data: d.districts, axisLabel: {interval: 0, rotate: 30}}, yAxis: {type: "value"},
    series: [
      {name: n.due, type: "bar", data: d.due},
      {name: n.booked, type: "bar", data: d.booked},
      {name: n.attended, type: "bar", data: d.attended},
      {name: n.recheck, type: "bar", data: d.recheck}
    ]
  });
});
