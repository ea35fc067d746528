// The staff home page's charts (core/home.html).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("home-charts").textContent);
  document.querySelectorAll(".home-chart").forEach(function (el) {
    var c = data[Number(el.dataset.index)];
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: {trigger: "axis"}, legend: {top: 0},
      grid: {left: 40, right: 16, bottom: 90, top: 40},
      xAxis: {type: "category", data: c.categories, axisLabel: {rotate: 30}},
      yAxis: {type: "value"},
      series: c.series.map(function (s) { return Object.assign({barMaxWidth: 56}, s); })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
