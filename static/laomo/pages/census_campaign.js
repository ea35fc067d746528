// The census campaign's chart (census/campaign_detail.html).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("census-chart");
  if (!window.echarts || !el) return;
  var data = JSON.parse(JSON.parse(document.getElementById("census-chart-data").textContent));
  var colors = {pending: "#c0c4cc", confirmed: "#67c23a", changed: "#e6a23c", reviewed: "#409eff", unreachable: "#f56c6c", deceased: "#909399"};
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
    legend: {top: 0},
    grid: {left: 40, right: 20, bottom: 40, top: 40, containLabel: true},
    xAxis: {type: "category", data: data.names, axisLabel: {interval: 0, rotate: data.names.length > 8 ? 30 : 0}},
    yAxis: {type: "value", name: el.dataset.axis},
    series: data.series.map(function (s) { return {name: s.name, type: "bar", stack: "total", data: s.data, itemStyle: {color: colors[s.key]}}; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
