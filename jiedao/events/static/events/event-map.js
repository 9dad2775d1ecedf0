/* Event maps: one event's location on its detail page (#event-map), and the open events of the
   user's scope coloured by deadline warning (#open-events-map). Plain background unless a tile
   server is configured. */
(function () {
  "use strict";

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function baseMap(container) {
    var map = L.map(container, {
      zoomSnap: 0.25,
      // The clustering needs a highest zoom, which a map without a tile layer does not have.
      maxZoom: 19,
      attributionControl: Boolean(container.dataset.tileUrl)
    });
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, {
        attribution: container.dataset.tileAttribution || "",
        maxZoom: 19
      }).addTo(map);
    }
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        map.invalidateSize();
      }).observe(container);
    }
    return map;
  }

  function gridLayer(grids) {
    return L.geoJSON(grids, {
      interactive: false,
      style: { color: "#1c4f80", weight: 1.2, fillColor: "#4f8fc0", fillOpacity: 0.08 }
    });
  }

  function eventMap(container) {
    var point = readJson("event-point");
    var map = baseMap(container);
    // The view first: Leaflet projects layers as they are added.
    map.setView([point.lat, point.lng], 16);
    gridLayer(readJson("event-grid")).addTo(map);
    L.circleMarker([point.lat, point.lng], {
      radius: 9,
      color: "#ffffff",
      weight: 2,
      fillColor: "#b4232a",
      fillOpacity: 0.95
    })
      .bindTooltip(point.number)
      .addTo(map);
  }

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  // Warning levels from the least to the most urgent: a cluster takes the colour of its most
  // urgent event, so that an overdue event is never hidden inside a blue cluster.
  var LEVELS = ["none", "yellow", "red"];

  function worstLevel(markers) {
    var worst = 0;
    markers.forEach(function (marker) {
      worst = Math.max(worst, LEVELS.indexOf(marker.options.warning));
    });
    return LEVELS[Math.max(worst, 0)];
  }

  function openEventsMap(container) {
    var events = readJson("open-events");
    var map = baseMap(container);
    map.setView([0, 0], 2);
    var grids = gridLayer(readJson("open-events-grids")).addTo(map);
    // Many events of a scope share a street: clustered (leaflet.markercluster), a cluster opens
    // into its events on a tap, and one event alone is a dot in its warning colour.
    var points = L.markerClusterGroup({
      maxClusterRadius: 50,
      showCoverageOnHover: false,
      iconCreateFunction: function (cluster) {
        var count = element("span", String(cluster.getChildCount()));
        var box = element("div");
        box.appendChild(count);
        return L.divIcon({
          html: box.outerHTML,
          className: "marker-cluster event-cluster event-cluster-" + worstLevel(cluster.getAllChildMarkers()),
          iconSize: L.point(40, 40)
        });
      }
    });
    L.geoJSON(events, {
      pointToLayer: function (feature, latlng) {
        return L.marker(latlng, {
          warning: feature.properties.warning,
          title: feature.properties.number,
          icon: L.divIcon({
            className: "event-point event-point-" + feature.properties.warning,
            iconSize: L.point(16, 16)
          })
        });
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        var box = element("div");
        box.className = "map-popup";
        box.appendChild(element("h3", p.number));
        box.appendChild(element("p", p.category + " · " + p.status));
        box.appendChild(element("p", p.warning_label + (p.address ? " · " + p.address : "")));
        var link = element("a", container.dataset.textDetails);
        link.href = p.url;
        box.appendChild(link);
        layer.bindPopup(box);
      }
    }).eachLayer(function (layer) {
      points.addLayer(layer);
    });
    // The view first, then the points: clusters made at the final zoom, none left fading out
    // from the first view.
    var bounds = grids.getBounds();
    if (!bounds.isValid()) {
      bounds = points.getBounds();
    }
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16, animate: false });
    }
    points.addTo(map);
  }

  function init() {
    if (!window.L) {
      return;
    }
    var single = document.getElementById("event-map");
    if (single) {
      eventMap(single);
    }
    var many = document.getElementById("open-events-map");
    if (many) {
      openEventsMap(many);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
