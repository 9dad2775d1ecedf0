/* Residents' portal maps (Leaflet, local files only).

   data-portal-map="pick": tap the map, "Use my location", or choose a photo that carries its GPS
   position, to set the hidden lat/lng inputs.
   data-portal-map="events": public reports as dots at their rounded locations, clustered, and
   the open reports nearest to the resident ("near me").
   Without a tile server the grids are drawn on a plain background (intranets have no internet). */
(function () {
  "use strict";

  function readJson(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : { type: "FeatureCollection", features: [] };
  }

  function baseMap(element) {
    // maxZoom: the clustering needs a highest zoom, which a map without a tile layer lacks.
    var map = L.map(element, { zoomControl: true, maxZoom: 19, attributionControl: !!element.dataset.tileUrl });
    if (element.dataset.tileUrl) {
      L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.tileAttribution || "",
        maxZoom: 19
      }).addTo(map);
    }
    var grids = L.geoJSON(readJson(element.dataset.grids), {
      style: { color: "#1c4f80", weight: 1, fillColor: "#cfe0f0", fillOpacity: 0.35 },
      onEachFeature: function (feature, layer) {
        layer.bindTooltip(feature.properties.community + " · " + feature.properties.name);
      }
    }).addTo(map);
    var bounds = grids.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds);
    } else {
      map.setView([30.1, 120.2], 13);
    }
    return { map: map, grids: grids };
  }

  function pickMap(element) {
    var parts = baseMap(element);
    var map = parts.map;
    var latInput = document.getElementById(element.dataset.latInput);
    var lngInput = document.getElementById(element.dataset.lngInput);
    var status = document.getElementById(element.dataset.status);
    var marker = null;

    function place(lat, lng, zoom) {
      latInput.value = lat.toFixed(7);
      lngInput.value = lng.toFixed(7);
      if (marker) {
        marker.setLatLng([lat, lng]);
      } else {
        marker = L.circleMarker([lat, lng], { radius: 9, color: "#b3261e", weight: 3, fillOpacity: 0.6 }).addTo(map);
      }
      if (zoom) {
        map.setView([lat, lng], Math.max(map.getZoom(), 16));
      }
      if (status) {
        status.textContent = element.dataset.textLocated;
      }
    }

    if (latInput.value && lngInput.value) {
      place(parseFloat(latInput.value), parseFloat(lngInput.value), true);
    }
    map.on("click", function (event) {
      place(event.latlng.lat, event.latlng.lng, false);
    });
    parts.grids.on("click", function (event) {
      place(event.latlng.lat, event.latlng.lng, false);
    });
    // A photo from a phone usually says where it was taken (EXIF GPS, WGS-84 like the grids).
    // The server reads it — and checks the photo, so a refused one is told at once — and the
    // pin goes there unless the resident placed it already. Nothing is stored.
    var photos = document.querySelector("[data-photo-location]");
    var photosProblem = document.getElementById("photos-problem");
    if (photos && window.fetch && window.FormData) {
      photos.addEventListener("change", function () {
        if (photosProblem) { photosProblem.hidden = true; photosProblem.textContent = ""; }
        if (!photos.files || !photos.files.length) { return; }
        var body = new FormData();
        body.append("photo", photos.files[0]);
        var token = photos.form && photos.form.elements.csrfmiddlewaretoken;
        fetch(photos.dataset.photoLocation, {
          method: "POST",
          body: body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": token ? token.value : "" }
        }).then(function (response) {
          return response.json();
        }).then(function (answer) {
          if (answer.error) {
            if (photosProblem) { photosProblem.textContent = answer.error.message; photosProblem.hidden = false; }
            return;
          }
          if (answer.location && !latInput.value) {
            place(answer.location.lat, answer.location.lng, true);
            if (status) { status.textContent = element.dataset.textFromPhoto; }
          }
        }).catch(function () { /* no position offered; the resident places the pin */ });
      });
    }

    var button = document.querySelector("[data-locate]");
    if (button) {
      button.addEventListener("click", function () {
        if (!navigator.geolocation) {
          status.textContent = element.dataset.textDenied;
          return;
        }
        navigator.geolocation.getCurrentPosition(
          function (position) {
            // The browser's Geolocation API reports WGS-84, the system the grids are in.
            place(position.coords.latitude, position.coords.longitude, true);
          },
          function () {
            status.textContent = element.dataset.textDenied;
          },
          { enableHighAccuracy: true, timeout: 10000 }
        );
      });
    }
  }

  function popupBox(properties) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = properties.category;
    box.appendChild(title);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(properties.number + " · " + properties.status));
    return box;
  }

  function eventsMap(element) {
    var parts = baseMap(element);
    var map = parts.map;
    var features = readJson(element.dataset.points).features;
    // Reports close together are clustered (leaflet.markercluster); a tap on a cluster zooms in.
    var cluster = L.markerClusterGroup({ maxClusterRadius: 50, showCoverageOnHover: false });
    features.forEach(function (feature) {
      var coordinates = feature.geometry.coordinates;
      var marker = L.marker([coordinates[1], coordinates[0]], {
        title: feature.properties.number,
        icon: L.divIcon({
          className: "report-point " + (feature.properties.is_open ? "report-open" : "report-closed"),
          iconSize: L.point(16, 16)
        })
      });
      marker.bindPopup(popupBox(feature.properties));
      cluster.addLayer(marker);
    });
    cluster.addTo(map);
    nearMe(element, map, features);
  }

  // "Near me": the browser's position (never sent to the server) centres the map and lists the
  // nearest open reports shown on it. Without a position the page works as before, and says why.
  function nearMe(element, map, features) {
    var button = document.querySelector("[data-near-me]");
    var status = document.getElementById("near-status");
    var list = document.getElementById("near-list");
    if (!button || !status || !list) {
      return;
    }
    var here = null;
    button.hidden = false;

    function say(text) {
      status.textContent = text;
      status.hidden = false;
    }

    function show(lat, lng) {
      var position = L.latLng(lat, lng);
      if (here) {
        here.setLatLng(position);
      } else {
        here = L.marker(position, { title: element.dataset.textYouAreHere }).addTo(map);
        here.bindTooltip(element.dataset.textYouAreHere);
      }
      var nearest = features
        .filter(function (feature) { return feature.properties.is_open; })
        .map(function (feature) {
          var coordinates = feature.geometry.coordinates;
          return { feature: feature, metres: position.distanceTo([coordinates[1], coordinates[0]]) };
        })
        .sort(function (a, b) { return a.metres - b.metres; })
        .slice(0, parseInt(element.dataset.nearCount, 10) || 5);
      list.textContent = "";
      var bounds = L.latLngBounds([position]);
      nearest.forEach(function (item) {
        var properties = item.feature.properties;
        var coordinates = item.feature.geometry.coordinates;
        bounds.extend([coordinates[1], coordinates[0]]);
        var row = document.createElement("li");
        row.className = "near-item";
        var number = document.createElement("span");
        number.className = "near-number";
        number.textContent = properties.number;
        row.appendChild(number);
        row.appendChild(document.createTextNode(" " + properties.category + " · " + properties.status + " · "));
        var distance = document.createElement("span");
        distance.className = "near-distance";
        distance.textContent = element.dataset.textMetres.replace("DISTANCE", String(Math.round(item.metres)));
        row.appendChild(distance);
        list.appendChild(row);
      });
      list.hidden = nearest.length === 0;
      say(nearest.length ? element.dataset.textNearFound : element.dataset.textNearNone);
      if (nearest.length) {
        map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17 });
      } else {
        map.setView(position, 16);
      }
    }

    button.addEventListener("click", function () {
      if (!navigator.geolocation) {
        say(element.dataset.textNearDenied);
        return;
      }
      navigator.geolocation.getCurrentPosition(
        function (position) {
          // The Geolocation API reports WGS-84, the system of the reports' locations.
          show(position.coords.latitude, position.coords.longitude);
        },
        function () {
          list.hidden = true;
          say(element.dataset.textNearDenied);
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 60000 }
      );
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-portal-map]").forEach(function (element) {
      if (element.dataset.portalMap === "pick") {
        pickMap(element);
      } else {
        eventsMap(element);
      }
    });
  });
})();
