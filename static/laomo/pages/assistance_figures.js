// The figures page's charts (assistance/figures.html).
window.addEventListener("load", function () {
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("chart-data").textContent);
  var names = document.getElementById("chart-district").dataset;
  echarts.init(document.getElementById("chart-district")).setOption({
    tooltip: {trigger: "axis"}, legend: {data: [names.requests, names.problems]},
    xAxis: {type: "category", data: d.districts, axisLabel: {interval: 0, rotate: 30}}, yAxis: {type: "value"},
    series: [{name: names.requests, type: "bar", data: d.district_requests}, {name: names.problems, type: "bar", data: d.district_problems}]
  });
  echarts.init(document.getElementById("chart-category")).setOption({
    tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "65%"], data: d.categories}]
  });
});
