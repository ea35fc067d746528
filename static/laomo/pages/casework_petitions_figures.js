// The petitions figures page's charts (casework/petitions/figures.html).
window.addEventListener("load", function () {
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("petitions-chart-data").textContent);
  echarts.init(document.getElementById("chart-periods")).setOption({
    tooltip: {trigger: "axis"}, legend: {data: d.channels.map(function (s) { return s.name; })},
    grid: {left: 40, right: 10, bottom: 40},
    xAxis: {type: "category", data: d.periods}, yAxis: {type: "value"},
    series: d.channels.map(function (s) { return {name: s.name, type: "bar", stack: "c", data: s.data}; })
  });
  echarts.init(document.getElementById("chart-satisfaction")).setOption({
    tooltip: {trigger: "item"}, series: [{type: "pie", radius: ["35%", "65%"], data: d.satisfaction}]
  });
});
