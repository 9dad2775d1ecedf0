/* The leaders' cockpit: the grid map coloured by the chosen layer, and the trend charts. Both
   are drawn once; when HTMX brings new figures (every minute, #cockpit-live), they take the new
   board's data in place — no reload, no flicker. The figures themselves come from the server. */
(function () {
  "use strict";

  // From no count to the most: the busier a grid, the warmer its colour.
  var STEPS = ["#fde68a", "#fbbf24", "#f97316", "#dc2626"];
  var EMPTY = "#15314d";
  var SERIES_COLOURS = ["#4cc3ff", "#3ddc97", "#ffd166", "#ff6b6b", "#c792ea"];

  var state = { data: null, layerKey: null, map: null, grids: null, charts: [] };

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function currentLayer() {
    var layers = (state.data && state.data.layers) || [];
    for (var i = 0; i < layers.length; i += 1) {
      if (layers[i].key === state.layerKey) { return layers[i]; }
    }
    return layers[0] || null;
  }

  // The step of a count: 0 for none, then 1..4 by its share of the busiest grid.
  function step(count, max) {
    if (!count || !max) { return 0; }
    return Math.max(1, Math.ceil((STEPS.length * count) / max));
  }

  function colour(level) {
    return level === 0 ? EMPTY : STEPS[level - 1];
  }

  function legend(layer) {
    var box = document.getElementById("cockpit-legend");
    if (!box) { return; }
    box.textContent = "";
    if (!layer) { return; }
    box.appendChild(element("strong", "", layer.label + " " + layer.total));
    function row(fill, text) {
      var item = element("span");
      var swatch = element("span", "swatch");
      swatch.style.background = fill;
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(text));
      box.appendChild(item);
    }
    row(EMPTY, document.getElementById("cockpit-map").dataset.textNone);
    var max = layer.max;
    var from = 1;
    STEPS.forEach(function (fill, index) {
      var to = Math.floor((max * (index + 1)) / STEPS.length);
      if (to >= from) {
        row(fill, from === to ? String(from) : from + "–" + to);
        from = to + 1;
      }
    });
  }

  function paintMap() {
    if (!state.grids) { return; }
    var layer = currentLayer();
    var counts = layer ? layer.by_grid : {};
    var max = layer ? layer.max : 0;
    state.grids.eachLayer(function (polygon) {
      var code = polygon.feature.properties.code;
      var count = counts[code] || 0;
      var level = step(count, max);
      polygon.setStyle({
        fillColor: colour(level),
        fillOpacity: level === 0 ? 0.35 : 0.8,
        color: "#4cc3ff",
        weight: 1
      });
      var path = polygon.getElement && polygon.getElement();
      if (path) {
        path.setAttribute("data-grid", code);
        path.setAttribute("data-count", String(count));
      }
      polygon.unbindTooltip();
      if (count) {
        polygon.bindTooltip(String(count), {
          permanent: true, direction: "center", className: "grid-count", interactive: false
        });
      } else {
        polygon.bindTooltip(polygon.feature.properties.name, { sticky: true });
      }
    });
    legend(layer);
    document.querySelectorAll("#cockpit-layers [data-layer]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(layer !== null && button.dataset.layer === layer.key));
    });
  }

  function initMap() {
    var container = document.getElementById("cockpit-map");
    if (!container || !window.L) { return; }
    var map = L.map(container, {
      zoomSnap: 0.25,
      attributionControl: Boolean(container.dataset.tileUrl),
      zoomControl: false
    });
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
    }
    map.setView([0, 0], 2);
    state.grids = L.geoJSON(readJson("cockpit-grids"), { className: "cockpit-grid" }).addTo(map);
    var bounds = state.grids.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [10, 10], animate: false });
    }
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        map.invalidateSize();
        if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10], animate: false }); }
      }).observe(container);
    }
    state.map = map;
    paintMap();
  }

  function trendOption(trend) {
    return {
      backgroundColor: "transparent",
      textStyle: { color: "#eef5fc", fontSize: 14 },
      color: SERIES_COLOURS,
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: { color: "#eef5fc", fontSize: 16 } },
      grid: { left: 44, right: 16, top: 34, bottom: 30 },
      xAxis: {
        type: "category",
        data: trend.labels,
        axisLabel: { color: "#9db3c8", fontSize: 15 },
        axisLine: { lineStyle: { color: "#1f3b58" } }
      },
      yAxis: {
        type: "value",
        minInterval: 1,
        axisLabel: { color: "#9db3c8", fontSize: 15 },
        splitLine: { lineStyle: { color: "#1f3b58" } }
      },
      series: trend.series.map(function (series) {
        return { name: series.name, type: "line", smooth: true, symbolSize: 5, data: series.values };
      })
    };
  }

  function trends() {
    var found = [];
    (state.data.panels || []).forEach(function (panel) {
      panel.trends.forEach(function (trend) { found.push(trend); });
    });
    return found;
  }

  function drawCharts() {
    if (typeof echarts === "undefined") { return; }
    var all = trends();
    document.querySelectorAll("[data-trend]").forEach(function (container) {
      var trend = all[Number(container.dataset.trend)];
      if (!trend) { return; }
      var chart = echarts.getInstanceByDom(container) || echarts.init(container);
      // Replaced, not merged: a series that went away must not stay on the chart.
      chart.setOption(trendOption(trend), { notMerge: true, lazyUpdate: false });
      if (state.charts.indexOf(chart) < 0) { state.charts.push(chart); }
    });
  }

  // A wall screen is scrolled by nobody: a column holding more panels than fit moves on by one
  // panel every ROTATE_MS and back to the top after the last, so every app's figures come round.
  // A pointer over the column (someone reading it on a laptop) holds it where it is.
  var ROTATE_MS = 8000;

  function rotateColumns() {
    var jump = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    document.querySelectorAll(".cockpit-kpis, .cockpit-side").forEach(function (column) {
      if (column.matches(":hover") || column.scrollHeight <= column.clientHeight + 2) { return; }
      var top = column.getBoundingClientRect().top;
      var next = 0;
      if (column.scrollTop + column.clientHeight < column.scrollHeight - 2) {
        var panel = Array.prototype.find.call(column.children, function (child) {
          return child.getBoundingClientRect().top - top > 2;
        });
        next = panel ? column.scrollTop + panel.getBoundingClientRect().top - top : 0;
      }
      column.scrollTo({ top: next, behavior: jump ? "auto" : "smooth" });
    });
  }

  function refresh() {
    state.data = readJson("cockpit-data");
    paintMap();
    drawCharts();
  }

  function init() {
    state.data = readJson("cockpit-data");
    if (!state.data) { return; }
    state.layerKey = state.data.layers.length ? state.data.layers[0].key : null;
    initMap();
    drawCharts();
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("#cockpit-layers [data-layer]") : null;
      if (!button) { return; }
      state.layerKey = button.dataset.layer;
      paintMap();
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target && event.detail.target.id === "cockpit-live") { refresh(); }
    });
    window.setInterval(rotateColumns, ROTATE_MS);
    window.addEventListener("resize", function () {
      state.charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
