/* The preview of an uploaded file of boundaries: the uploaded boundaries (red) over what is there
   now at their level (grey: the grids, or the communities and villages) and the outlines that
   frame them (the communities around grids, the grids inside communities), zoomed to the
   upload. Nothing here writes anything. */
(function () {
  "use strict";

  function readJson(id) {
    var element = id && document.getElementById(id);
    return element ? JSON.parse(element.textContent) : { type: "FeatureCollection", features: [] };
  }

  function tooltip(feature) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = feature.properties.name;
    box.appendChild(name);
    box.appendChild(document.createElement("br"));
    var code = document.createElement("span");
    code.className = "code";
    code.textContent = feature.properties.code;
    box.appendChild(code);
    return box;
  }

  function init(container) {
    var data = container.dataset;
    var map = L.map(container, { zoomSnap: 0.25, attributionControl: Boolean(data.tileUrl) });
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }
    L.geoJSON(readJson(data.outlines), {
      interactive: false,
      style: { color: "#1c4f80", weight: 2, fill: false }
    }).addTo(map);
    L.geoJSON(readJson(data.existing), {
      style: { color: "#666666", weight: 1, fillColor: "#999999", fillOpacity: 0.25 },
      onEachFeature: function (feature, layer) { layer.bindTooltip(tooltip(feature)); }
    }).addTo(map);
    var uploaded = L.geoJSON(readJson(data.uploaded), {
      style: { className: "uploaded-area", color: "#c0392b", weight: 3, fillColor: "#e74c3c", fillOpacity: 0.35 },
      onEachFeature: function (feature, layer) { layer.bindTooltip(tooltip(feature)); }
    }).addTo(map);
    var bounds = uploaded.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.5));
    } else {
      map.setView([30.1, 120.2], 13);
    }
  }

  document.querySelectorAll("[data-jiedao-preview]").forEach(init);
})();
