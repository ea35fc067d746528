// The payments dashboard's charts (payments/dashboard.html).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("payments-chart");
  if (!el || !window.echarts) return;
  var data = JSON.parse(el.textContent);
  var byDistrictEl = document.getElementById("chart-district");
  var amountEl = document.getElementById("chart-amount");
  var trendEl = document.getElementById("chart-trend");
  var byDistrict = echarts.init(byDistrictEl);
  byDistrict.setOption({
    tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 48, right: 16, bottom: 64},
    xAxis: {type: "category", data: data.districts, axisLabel: {rotate: 30}}, yAxis: {type: "value", name: byDistrictEl.dataset.axis},
    series: data.series.map(function (s) { return {name: s.name, type: "bar", stack: "people", data: s.people}; })
  });
  var amount = echarts.init(amountEl);
  amount.setOption({
    tooltip: {trigger: "axis"}, grid: {left: 72, right: 16, bottom: 64},
    xAxis: {type: "category", data: data.districts, axisLabel: {rotate: 30}}, yAxis: {type: "value", name: amountEl.dataset.axis},
    series: [{name: amountEl.dataset.series, type: "bar", data: data.amounts, itemStyle: {color: "#409eff"}}]
  });
  var trend = echarts.init(trendEl);
  trend.setOption({
    tooltip: {trigger: "axis"}, grid: {left: 72, right: 16, bottom: 40},
    xAxis: {type: "category", data: data.trend.map(function (t) { return t.title; })}, yAxis: {type: "value", name: trendEl.dataset.axis},
    series: [{name: trendEl.dataset.series, type: "line", data: data.trend.map(function (t) { return t.total; })}]
  });
  window.addEventListener("resize", function () { byDistrict.resize(); amount.resize(); trend.resize(); });
});
