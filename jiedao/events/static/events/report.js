/* The "report event" form: category type-ahead, the phone's location, a map pin to adjust it,
   duplicate candidates nearby, and one submit only. Works without the map too: the latitude
   and longitude fields are ordinary inputs. */
(function () {
  "use strict";

  var form = document.getElementById("report-form");
  if (!form) {
    return;
  }
  var latInput = document.getElementById("id_lat");
  var lngInput = document.getElementById("id_lng");

  // --- Category search: filter the catalogue rendered in the page -------------------------
  var search = document.getElementById("category-search");
  var chosen = document.getElementById("category-chosen");
  var groups = form.querySelectorAll(".category-group");
  var noMatch = form.querySelector(".no-match");

  function showChosen() {
    var checked = form.querySelector("input[name=category]:checked");
    chosen.textContent = checked ? "✓ " + checked.dataset.label : chosen.dataset.none;
  }

  function filterCategories() {
    var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    Array.prototype.forEach.call(groups, function (group) {
      var groupText = group.dataset.search.toLowerCase();
      var groupShown = 0;
      group.querySelectorAll(".category-option").forEach(function (option) {
        var text = option.dataset.search.toLowerCase() + " " + groupText;
        var match = words.every(function (word) {
          return text.indexOf(word) !== -1;
        });
        option.hidden = !match;
        groupShown += match ? 1 : 0;
      });
      group.hidden = groupShown === 0;
      shown += groupShown;
    });
    noMatch.hidden = shown !== 0;
  }

  search.addEventListener("input", filterCategories);
  search.addEventListener("keydown", function (event) {
    // Enter picks the first match instead of sending the form.
    if (event.key === "Enter") {
      event.preventDefault();
      var first = form.querySelector(".category-option:not([hidden]) input");
      if (first) {
        first.checked = true;
        first.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "category") {
      showChosen();
      lookForDuplicates();
    }
  });
  showChosen();
  var checkedOnLoad = form.querySelector("input[name=category]:checked");
  if (checkedOnLoad) {
    var picker = form.querySelector(".category-picker");
    picker.scrollTop = checkedOnLoad.closest("label").offsetTop - picker.offsetTop - 8;
  }

  // --- Map and location -------------------------------------------------------------------
  var mapElement = document.getElementById("report-map");
  var map = null;
  var marker = null;

  function number(value) {
    var parsed = parseFloat(value);
    return isFinite(parsed) ? parsed : null;
  }

  function placeMarker(lat, lng, pan) {
    if (!map) {
      return;
    }
    if (marker) {
      marker.setLatLng([lat, lng]);
    } else {
      marker = L.marker([lat, lng], { draggable: true, autoPan: true }).addTo(map);
      marker.on("dragend", function () {
        var position = marker.getLatLng();
        setInputs(position.lat, position.lng);
      });
    }
    if (pan) {
      map.setView([lat, lng], Math.max(map.getZoom(), 16));
    }
  }

  function setInputs(lat, lng) {
    latInput.value = lat.toFixed(6);
    lngInput.value = lng.toFixed(6);
    lookForDuplicates();
  }

  if (window.L && mapElement) {
    var grids = JSON.parse(document.getElementById("report-grids").textContent);
    map = L.map(mapElement, { zoomSnap: 0.25, attributionControl: Boolean(mapElement.dataset.tileUrl) });
    if (mapElement.dataset.tileUrl) {
      L.tileLayer(mapElement.dataset.tileUrl, {
        attribution: mapElement.dataset.tileAttribution || "",
        maxZoom: 19
      }).addTo(map);
    }
    map.setView([0, 0], 2);
    var gridLayer = L.geoJSON(grids, {
      interactive: false,
      style: { color: "#1c4f80", weight: 1.5, fillColor: "#4f8fc0", fillOpacity: 0.12 }
    }).addTo(map);
    var bounds = gridLayer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [10, 10], maxZoom: 16 });
    }
    map.on("click", function (event) {
      placeMarker(event.latlng.lat, event.latlng.lng, false);
      setInputs(event.latlng.lat, event.latlng.lng);
    });
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        map.invalidateSize();
      }).observe(mapElement);
    }
  }

  function inputsChanged() {
    var lat = number(latInput.value);
    var lng = number(lngInput.value);
    if (lat !== null && lng !== null) {
      placeMarker(lat, lng, true);
      lookForDuplicates();
    }
  }
  latInput.addEventListener("change", inputsChanged);
  lngInput.addEventListener("change", inputsChanged);

  var locateButton = document.getElementById("locate-me");
  var locateStatus = document.getElementById("locate-status");

  function locate() {
    if (!navigator.geolocation) {
      locateStatus.textContent = locateStatus.dataset.failed;
      return;
    }
    locateStatus.textContent = locateStatus.dataset.locating;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        // Browsers report WGS-84 (the service converts only GCJ-02/BD-09 input).
        setInputs(position.coords.latitude, position.coords.longitude);
        placeMarker(position.coords.latitude, position.coords.longitude, true);
        locateStatus.textContent = locateStatus.dataset.found;
      },
      function () {
        locateStatus.textContent = locateStatus.dataset.failed;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }
  locateButton.addEventListener("click", locate);

  // A photo taken on the spot says where (EXIF GPS, WGS-84). The server reads the position
  // (the stored photo never keeps it); the pin goes there when none is set yet.
  var photos = document.querySelector("[data-photo-location]");
  if (photos && window.fetch && window.FormData) {
    photos.addEventListener("change", function () {
      if (!photos.files || !photos.files.length || latInput.value) { return; }
      var body = new FormData();
      body.append("photo", photos.files[0]);
      var token = form.elements.csrfmiddlewaretoken;
      fetch(photos.dataset.photoLocation, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        if (answer.location && !latInput.value) {
          setInputs(answer.location.lat, answer.location.lng);
          placeMarker(answer.location.lat, answer.location.lng, true);
          locateStatus.textContent = locateStatus.dataset.fromPhoto;
        }
      }).catch(function () { /* no position offered; the pin is placed by hand */ });
    });
  }

  if (number(latInput.value) !== null && number(lngInput.value) !== null) {
    placeMarker(number(latInput.value), number(lngInput.value), true);
  } else if (navigator.permissions && navigator.permissions.query) {
    // Ask for the position at once only when the phone has already allowed it.
    navigator.permissions.query({ name: "geolocation" }).then(function (state) {
      if (state.state === "granted" && !latInput.value) {
        locate();
      }
    }, function () {});
  }

  // --- Duplicates nearby ------------------------------------------------------------------
  var duplicates = document.getElementById("report-duplicates");
  var lastQuery = "";

  function lookForDuplicates() {
    var checked = form.querySelector("input[name=category]:checked");
    var lat = number(latInput.value);
    var lng = number(lngInput.value);
    if (!checked || lat === null || lng === null) {
      return;
    }
    var query = new URLSearchParams({ category: checked.value, lat: lat, lng: lng }).toString();
    if (query === lastQuery) {
      return;
    }
    lastQuery = query;
    fetch(form.dataset.duplicatesUrl + "?" + query, {
      credentials: "same-origin",
      headers: { "HX-Request": "true" }
    })
      .then(function (response) {
        return response.ok ? response.text() : "";
      })
      .then(function (html) {
        if (query === lastQuery) {
          duplicates.innerHTML = html;
        }
      })
      .catch(function () {});
  }

  // --- Resolve on the spot, and one submit only -------------------------------------------
  var selfResolved = document.getElementById("id_self_resolved");
  var selfFields = document.getElementById("self-resolve-fields");

  function toggleSelf() {
    if (selfResolved && selfFields) {
      selfFields.hidden = !selfResolved.checked;
    }
  }
  if (selfResolved) {
    selfResolved.addEventListener("change", toggleSelf);
    toggleSelf();
  }

  var submit = document.getElementById("report-submit");
  form.addEventListener("submit", function () {
    // The hidden client_uuid makes a resend return the first event anyway; this just avoids
    // a second request from a double tap.
    window.setTimeout(function () {
      submit.disabled = true;
      submit.textContent = submit.dataset.sending;
    }, 0);
  });
})();
