// The hardship figures page's charts (casework/hardship/figures.html).
window.addEventListener("load", function () {
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("hardship-chart-data").textContent);
  var el = document.getElementById("chart-category");
  var names = el.dataset;
  echarts.init(el).setOption({
    tooltip: {trigger: "axis"}, legend: {data: [names.open, names.closed]},
    xAxis: {type: "category", data: d.categories}, yAxis: {type: "value"},
    series: [{name: names.open, type: "bar", stack: "f", data: d.open}, {name: names.closed, type: "bar", stack: "f", data: d.closed}]
  });
  echarts.init(document.getElementById("chart-occasion")).setOption({
    tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "65%"], data: d.occasions}]
  });
});
