/* Residents' portal maps (Leaflet, local files only).

   data-portal-map="pick": tap the map, "Use my location", or choose a photo that carries its GPS
   position, to set the hidden lat/lng inputs.
   data-portal-map="events": public reports as dots at their rounded locations.
   Without a tile server the grids are drawn on a plain background (intranets have no internet). */
(function () {
  "use strict";

  function readJson(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : { type: "FeatureCollection", features: [] };
  }

  function baseMap(element) {
    var map = L.map(element, { zoomControl: true, attributionControl: !!element.dataset.tileUrl });
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

  function eventsMap(element) {
    var parts = baseMap(element);
    L.geoJSON(readJson(element.dataset.points), {
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, {
          radius: 7,
          color: feature.properties.is_open ? "#b3261e" : "#2e7d32",
          weight: 2,
          fillOpacity: 0.7
        });
      },
      onEachFeature: function (feature, layer) {
        var box = document.createElement("div");
        var title = document.createElement("strong");
        title.textContent = feature.properties.category;
        box.appendChild(title);
        box.appendChild(document.createElement("br"));
        box.appendChild(document.createTextNode(feature.properties.number + " · " + feature.properties.status));
        layer.bindPopup(box);
      }
    }).addTo(parts.map);
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
