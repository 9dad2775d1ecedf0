/* One indicator over time (ECharts, served locally): bars for the values, a line for the targets. */
(function () {
  "use strict";
  var source = document.getElementById("indicator-chart-data");
  var element = document.getElementById("indicator-chart");
  if (!source || !element || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { bottom: 0 },
    grid: { left: 60, right: 20, top: 20, bottom: 50 },
    xAxis: { type: "category", data: data.labels },
    yAxis: { type: "value", name: data.unit },
    series: [
      { name: element.dataset.labelValue, type: "bar", data: data.values },
      { name: element.dataset.labelTarget, type: "line", data: data.targets, connectNulls: true }
    ]
  });
  window.addEventListener("resize", function () { chart.resize(); });
}());
