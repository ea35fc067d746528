// The trips figures page's charts (trips/journeys/figures.html): data from json_script, labels from data- attributes.
window.addEventListener("load", function () {
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("chart-data").textContent);
  function bars(id, categories, values, rotate) {
    var el = document.getElementById(id);
    if (!el) return;
    echarts.init(el).setOption({
      tooltip: {trigger: "axis"},
      grid: {left: 40, right: 10, bottom: rotate ? 70 : 30},
      xAxis: {type: "category", data: categories, axisLabel: {interval: 0, rotate: rotate ? 30 : 0}},
      yAxis: {type: "value", minInterval: 1},
      series: [{name: el.dataset.label, type: "bar", barMaxWidth: 56, data: values}]
    });
  }
  bars("chart-years", d.years, d.per_year, false);
  bars("chart-districts", d.districts, d.per_district, true);
  bars("chart-routes", d.routes, d.per_route, true);
  var el = document.getElementById("chart-spending");
  if (el) {
    echarts.init(el).setOption({
      tooltip: {trigger: "axis"}, legend: {data: [el.dataset.spent, el.dataset.cap]},
      grid: {left: 60, right: 10, bottom: 70},
      xAxis: {type: "category", data: d.batches, axisLabel: {interval: 0, rotate: 30}}, yAxis: {type: "value"},
      series: [
        {name: el.dataset.spent, type: "bar", barMaxWidth: 56, data: d.spent},
        {name: el.dataset.cap, type: "line", data: d.caps}
      ]
    });
  }
  window.addEventListener("resize", function () {
    document.querySelectorAll("[id^=chart-]").forEach(function (c) { var i = echarts.getInstanceByDom(c); if (i) i.resize(); });
  });
});
