/* Jiedao maps: draws communities (outlines) and grids (filled areas) with Leaflet.

   Every element with `data-jiedao-map` becomes a map. Its data attributes name the
   <script type="application/json"> elements holding the GeoJSON (from Django's json_script),
   the URL patterns of the detail pages, the optional tile server and the translated texts.
   Without a tile server the map is drawn on a plain background: government intranets often
   have no internet. */
(function () {
  "use strict";

  // Calm, distinguishable fills; one per community, in the order the communities come.
  var PALETTE = [
    "#4f8fc0", "#5aa469", "#d9a441", "#c96f5b", "#8c74b8",
    "#3fa3a0", "#b8860b", "#7c9a3d", "#c0617f", "#6f87a6"
  ];
  var COMMUNITY_COLOUR = "#1c4f80";
  // Grid names are written on the map when there are few grids, or once zoomed in this far.
  var FEW_GRIDS = 8;
  var LABEL_ZOOM = 15;

  function readJson(id) {
    var element = id && document.getElementById(id);
    if (!element) {
      return { type: "FeatureCollection", features: [] };
    }
    return JSON.parse(element.textContent);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function link(href, text) {
    var anchor = element("a", "", text);
    anchor.href = href;
    return anchor;
  }

  function detailUrl(pattern, code) {
    return pattern.replace("__code__", encodeURIComponent(code));
  }

  function gridPopup(properties, options) {
    var box = element("div", "map-popup");
    box.appendChild(element("h3", "", properties.name));
    var code = element("p", "code", options.text.code + " " + properties.code);
    box.appendChild(code);
    box.appendChild(element("p", "", options.text.community + ": " + properties.community_name));
    var links = element("p", "popup-links");
    links.appendChild(link(detailUrl(options.gridUrl, properties.code), options.text.gridDetails));
    links.appendChild(
      link(detailUrl(options.communityUrl, properties.community_code), options.text.communityDetails)
    );
    box.appendChild(links);
    return box;
  }

  function gridTooltip(properties) {
    var box = element("div");
    box.appendChild(element("strong", "", properties.name));
    box.appendChild(element("br"));
    box.appendChild(element("span", "code", properties.code));
    return box;
  }

  function legendControl(options, hasSynthetic) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var box = element("div", "map-legend");
      function row(swatchClass, text) {
        var line = element("div", "legend-row");
        line.appendChild(element("span", "swatch " + swatchClass));
        line.appendChild(element("span", "", text));
        box.appendChild(line);
      }
      row("swatch-community", options.text.legendCommunity);
      row("swatch-grid", options.text.legendGrid);
      if (hasSynthetic) {
        row("swatch-synthetic", options.text.legendSynthetic);
      }
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    return control;
  }

  function initMap(container) {
    var data = container.dataset;
    var options = {
      gridUrl: data.gridUrl,
      communityUrl: data.communityUrl,
      text: {
        grid: data.textGrid,
        community: data.textCommunity,
        code: data.textCode,
        gridDetails: data.textGridDetails,
        communityDetails: data.textCommunityDetails,
        legendCommunity: data.textLegendCommunity,
        legendGrid: data.textLegendGrid,
        legendSynthetic: data.textLegendSynthetic
      }
    };
    var grids = readJson(data.grids);
    var communities = readJson(data.communities);

    var map = L.map(container, {
      zoomSnap: 0.25,
      zoomControl: false,
      attributionControl: Boolean(data.tileUrl),
      scrollWheelZoom: data.legend === "true"
    });
    L.control.zoom({ zoomInTitle: data.textZoomIn, zoomOutTitle: data.textZoomOut }).addTo(map);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { attribution: data.tileAttribution || "", maxZoom: 19 }).addTo(map);
    }

    var colours = {};
    communities.features.forEach(function (feature, index) {
      colours[feature.properties.code] = PALETTE[index % PALETTE.length];
    });
    var hasSynthetic = false;

    var communityLayer = L.geoJSON(communities, {
      interactive: false,
      style: function (feature) {
        hasSynthetic = hasSynthetic || feature.properties.synthetic;
        return {
          className: "community-area",
          color: COMMUNITY_COLOUR,
          weight: 2.5,
          opacity: 0.9,
          fill: false,
          dashArray: feature.properties.synthetic ? "8 5" : null
        };
      }
    });

    var gridStyle = function (feature) {
      hasSynthetic = hasSynthetic || feature.properties.synthetic;
      return {
        className: "grid-area",
        color: "#ffffff",
        weight: 1.2,
        fillColor: colours[feature.properties.community_code] || PALETTE[0],
        fillOpacity: 0.5
      };
    };
    var gridLayer = L.geoJSON(grids, {
      style: gridStyle,
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(gridTooltip(feature.properties), { sticky: true, direction: "top" });
        layer.bindPopup(gridPopup(feature.properties, options));
        layer.on("mouseover", function () {
          layer.setStyle({ weight: 3, color: COMMUNITY_COLOUR, fillOpacity: 0.65 });
        });
        layer.on("mouseout", function () {
          gridLayer.resetStyle(layer);
        });
      }
    });

    gridLayer.addTo(map);
    // Outlines over the fills, so that the community boundaries stay visible.
    communityLayer.addTo(map);

    // Fit to what matters: the grids when there are any, else the communities.
    var focus = grids.features.length ? gridLayer : communityLayer;
    var bounds = focus.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 16 });
    } else {
      map.setView([0, 0], 2);
    }

    // Names written on the map (once it has a view: a polygon's centre needs the projection).
    // With many grids the community names are the landmarks; with few, the grid names are.
    function labels(layerWithFeatures, className, text) {
      var group = L.layerGroup();
      layerWithFeatures.eachLayer(function (layer) {
        L.marker(layer.getCenter(), {
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className: "map-label-anchor", html: "", iconSize: null })
        })
          .bindTooltip(text(layer.feature.properties), {
            permanent: true,
            direction: "center",
            className: "map-label " + className
          })
          .addTo(group);
      });
      return group;
    }
    var fewGrids = grids.features.length <= FEW_GRIDS;
    if (!fewGrids || grids.features.length === 0) {
      labels(communityLayer, "map-label-community", function (properties) {
        return properties.name;
      }).addTo(map);
    }
    // Side by side, "三江社区第1网格" reads as "第1网格": the community is around it anyway.
    var single = grids.features.length === 1;
    var gridLabels = labels(gridLayer, "map-label-grid", function (properties) {
      var name = properties.name;
      var prefix = properties.community_name;
      if (!single && prefix && name.indexOf(prefix) === 0 && name.length > prefix.length) {
        return name.slice(prefix.length);
      }
      return name;
    });
    function updateGridLabels() {
      var show = fewGrids || map.getZoom() >= LABEL_ZOOM;
      if (show && !map.hasLayer(gridLabels)) {
        gridLabels.addTo(map);
      } else if (!show && map.hasLayer(gridLabels)) {
        map.removeLayer(gridLabels);
      }
    }
    map.on("zoomend", updateGridLabels);
    updateGridLabels();

    if (data.legend === "true") {
      legendControl(options, hasSynthetic).addTo(map);
    }
    L.control.scale({ imperial: false, position: "bottomright" }).addTo(map);

    // The container may change size (phone rotation, the menu folding): redraw to fit.
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        map.invalidateSize();
      }).observe(container);
    }
    container.jiedaoMap = map;
    return map;
  }

  function initAll() {
    if (!window.L) {
      return;
    }
    var containers = document.querySelectorAll("[data-jiedao-map]");
    Array.prototype.forEach.call(containers, initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
