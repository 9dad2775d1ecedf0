/* The dashboard's charts (ECharts, served locally). Redrawn after each HTMX swap of the body. */
(function () {
  "use strict";

  var charts = [];

  function percent(value) {
    return value === null || value === undefined ? null : Math.round(value * 1000) / 10;
  }

  function options(name, data) {
    if (name === "trend") {
      return {
        tooltip: { trigger: "axis" },
        legend: { bottom: 0 },
        grid: { left: 40, right: 40, top: 20, bottom: 50 },
        xAxis: { type: "category", data: data.labels },
        yAxis: [{ type: "value" }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }],
        series: [
          { name: data.names.collected, type: "bar", data: data.collected },
          { name: data.names.dispatched, type: "bar", data: data.dispatched },
          { name: data.names.closed, type: "bar", data: data.closed },
          { name: data.names.closure_rate, type: "line", yAxisIndex: 1, data: data.closure_rate.map(percent) }
        ]
      };
    }
    if (name === "sources") {
      return {
        tooltip: { trigger: "item" },
        legend: { bottom: 0 },
        series: [{
          type: "pie",
          radius: ["35%", "65%"],
          data: data.labels.map(function (label, i) { return { name: label, value: data.collected[i] }; })
        }]
      };
    }
    return {
      tooltip: { trigger: "axis" },
      grid: { left: 110, right: 20, top: 10, bottom: 20 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.labels.slice().reverse() },
      series: [{ type: "bar", data: data.collected.slice().reverse() }]
    };
  }

  function draw() {
    charts.forEach(function (chart) { chart.dispose(); });
    charts = [];
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var names = document.getElementById("dashboard-body").dataset;
    data.trend.names = {
      collected: names.labelCollected, dispatched: names.labelDispatched,
      closed: names.labelClosed, closure_rate: names.labelClosureRate
    };
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = echarts.init(element);
      chart.setOption(options(element.dataset.chart, data[element.dataset.chart]));
      charts.push(chart);
    });
  }

  // A preset button fills the period before its form is submitted (the click comes before the
  // submit event that HTMX handles). Here rather than in an onclick attribute, which the
  // Content-Security-Policy refuses.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-preset-since]") : null;
    if (!button || !button.form) { return; }
    button.form.elements.since.value = button.dataset.presetSince;
    button.form.elements.until.value = button.dataset.presetUntil;
  });

  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "dashboard-body") { draw(); }
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
