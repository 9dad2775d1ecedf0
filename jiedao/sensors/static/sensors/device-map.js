/* The device map: each device a point coloured by its state (red alarm, orange acknowledged,
   green normal, grey silent), over the grids of the user's scope. Plain background unless a tile
   server is configured. */
(function () {
  "use strict";

  var COLOURS = { alarm: "#c62828", acknowledged: "#ef8a00", normal: "#2e7d32", silent: "#8a8f98" };

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function popup(properties, detailsText) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = properties.code + " " + properties.name;
    box.appendChild(title);
    var state = document.createElement("p");
    state.textContent = properties.kind_name + " · " + properties.state_label;
    box.appendChild(state);
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = detailsText;
    box.appendChild(link);
    return box;
  }

  function deviceMap(container) {
    var map = L.map(container, { zoomSnap: 0.25, attributionControl: Boolean(container.dataset.tileUrl) });
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, {
        attribution: container.dataset.tileAttribution || "",
        maxZoom: 19
      }).addTo(map);
    }
    map.setView([0, 0], 2);
    var grids = L.geoJSON(readJson("sensor-grids"), {
      interactive: false,
      style: { color: "#1c4f80", weight: 1.2, fillColor: "#4f8fc0", fillOpacity: 0.08 }
    }).addTo(map);
    var devices = L.geoJSON(readJson("sensor-devices"), {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          radius: 8,
          color: "#ffffff",
          weight: 2,
          fillColor: COLOURS[feature.properties.state] || COLOURS.silent,
          fillOpacity: 0.95
        });
      },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.code);
        layer.bindPopup(popup(feature.properties, container.dataset.textDetails));
      }
    }).addTo(map);
    var bounds = devices.getBounds();
    if (!bounds.isValid()) {
      bounds = grids.getBounds();
    }
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
    }
    if (window.ResizeObserver) {
      new ResizeObserver(function () { map.invalidateSize(); }).observe(container);
    }
  }

  var container = document.getElementById("device-map");
  if (container && window.L) {
    deviceMap(container);
  }
})();
