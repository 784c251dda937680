/* Linkwell maps: an enhancement over the lists. Leaflet (served from our own static files) is
   loaded only when a map is shown; background tiles only when the site sets a tile server.

   Markers are round targets of 32 x 32 pixels (WCAG 2.2 target size asks 24), reached with
   the keyboard (Tab, then Enter or Space opens one) and named after what they show. Markers
   closer than their own size on screen would cover each other: they are drawn as one, showing
   how many places it holds (its popup lists them all, and zooms in on them), and drawn again
   apart as the map zooms in. A place's popup links to each service there and to directions
   (OpenStreetMap). Texts come translated from the page
   (data-* attributes on the map panel), with English for pages that do not give them. */
(function () {
  "use strict";
  var loading = null;
  var MARKER = 32; // pixels: the target's width and height
  var APART = MARKER + 4; // nearer than this on screen, two markers are drawn as one

  function load(panel) {
    if (window.L) { return Promise.resolve(window.L); }
    if (loading) { return loading; }
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = panel.dataset.leafletCss;
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = panel.dataset.leafletJs;
      script.onload = function () { resolve(window.L); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return loading;
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  /* "%(count)s places" and the like, filled in. */
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] == null ? "" : String(values[key]);
    });
  }

  function texts(panel) {
    var data = panel.dataset;
    return {
      directions: data.directionsLabel || "Get directions to %(place)s",
      services: data.servicesLabel || "%(count)s services at %(place)s",
      places: data.placesLabel || "%(count)s places: %(names)s",
      zoomIn: data.zoomLabel || "Zoom in to these places"
    };
  }

  function directionsUrl(lat, lon) {
    return "https://www.openstreetmap.org/directions?to=" + lat + "%2C" + lon;
  }

  function label(item) {
    return item.place && item.place !== item.name ? item.name + ", " + item.place : item.name;
  }

  /* One spot's popup: each service there, and the way to get there. */
  function popup(spot, words) {
    var place = spot.items[0].place || spot.items[0].name;
    var lines = spot.items.map(function (item) {
      var name = escapeHtml(item.name);
      var where = item.place && item.place !== item.name ? "<br>" + escapeHtml(item.place) : "";
      return "<li>" + (item.url ? '<a href="' + escapeHtml(item.url) + '">' + name + "</a>" : name) +
        where + "</li>";
    });
    return '<ul class="map-popup-list">' + lines.join("") + "</ul>" +
      '<p class="map-popup-directions"><a href="' + directionsUrl(spot.lat, spot.lon) + '">' +
      escapeHtml(fill(words.directions, { place: place })) + "</a></p>";
  }

  /* The items by spot (same latitude and longitude), in their order. */
  function spots(items) {
    var found = {};
    var list = [];
    items.forEach(function (item) {
      var key = item.lat + "," + item.lon;
      if (!found[key]) {
        found[key] = { lat: item.lat, lon: item.lon, items: [] };
        list.push(found[key]);
      }
      found[key].items.push(item);
    });
    return list;
  }

  /* Spots nearer each other on screen than a marker's size, as groups at this zoom. */
  function groups(map, allSpots) {
    var list = [];
    allSpots.forEach(function (spot) {
      var point = map.latLngToLayerPoint([spot.lat, spot.lon]);
      var near = null;
      for (var i = 0; i < list.length && !near; i++) {
        if (list[i].point.distanceTo(point) < APART) { near = list[i]; }
      }
      if (near) {
        near.spots.push(spot);
      } else {
        list.push({ point: point, spots: [spot] });
      }
    });
    return list;
  }

  function icon(L, count) {
    return L.divIcon({
      className: "map-marker" + (count > 1 ? " map-marker--group" : ""),
      html: count > 1 ? '<span aria-hidden="true">' + count + "</span>" : "",
      iconSize: [MARKER, MARKER],
      iconAnchor: [MARKER / 2, MARKER / 2],
      popupAnchor: [0, -MARKER / 2]
    });
  }

  /* A marker is a button: Space presses it too (Leaflet itself opens a popup on Enter). */
  function pressable(marker, press) {
    marker.on("keypress", function (event) {
      if (event.originalEvent.key === " ") {
        event.originalEvent.preventDefault();
        press();
      }
    });
  }

  function draw(L, map, layer, allSpots, words) {
    layer.clearLayers();
    groups(map, allSpots).forEach(function (group) {
      var marker;
      if (group.spots.length === 1) {
        var spot = group.spots[0];
        var first = spot.items[0];
        var name = spot.items.length === 1 ? label(first) :
          fill(words.services, { count: spot.items.length, place: first.place || first.name });
        marker = L.marker([spot.lat, spot.lon], {
          icon: icon(L, spot.items.length), title: name, keyboard: true
        }).bindPopup(popup(spot, words));
        pressable(marker, function () { marker.openPopup(); });
        marker.addTo(layer);
        marker.getElement().setAttribute("aria-label", name);
        return;
      }
      var bounds = L.latLngBounds(group.spots.map(function (s) { return [s.lat, s.lon]; }));
      var names = [];
      group.spots.forEach(function (s) {
        s.items.forEach(function (item) { if (names.indexOf(item.name) < 0) { names.push(item.name); } });
      });
      var text = fill(words.places, { count: group.spots.length, names: names.join("; ") });
      // Pressed, it lists its places (links and directions) and offers to zoom in on them.
      var content = group.spots.map(function (s) { return popup(s, words); }).join("") +
        '<p><button type="button" class="link-button map-zoom-in">' +
        escapeHtml(words.zoomIn) + "</button></p>";
      marker = L.marker(bounds.getCenter(), {
        icon: icon(L, group.spots.length), title: text, keyboard: true
      }).bindPopup(content, { maxHeight: 240 });
      marker.on("popupopen", function (event) {
        var button = event.popup.getElement().querySelector(".map-zoom-in");
        if (!button) { return; }
        if (map.getZoom() >= map.getMaxZoom()) { button.hidden = true; return; }
        button.addEventListener("click", function () {
          map.closePopup();
          map.fitBounds(bounds, { padding: [MARKER, MARKER] });
          // The markers are drawn again apart: keep the keyboard on the map.
          map.getContainer().focus({ preventScroll: true });
        });
      });
      pressable(marker, function () { marker.openPopup(); });
      marker.addTo(layer);
      marker.getElement().setAttribute("aria-label", text);
    });
  }

  /* Draw `items` ({name, lat, lon, url?, place?}) in `container`; `panel` holds the settings. */
  function show(panel, container, items) {
    return load(panel).then(function (L) {
      var map = L.map(container, { scrollWheelZoom: false, maxZoom: 19 });
      var tiles = panel.dataset.mapTiles;
      if (tiles) {
        // The tile server is told our site (its usage policy asks for a referrer), never the
        // page: the site's own policy is same-origin, which would send nothing at all.
        L.tileLayer(tiles, {
          maxZoom: 19,
          attribution: escapeHtml(panel.dataset.mapAttribution),
          referrerPolicy: "strict-origin"
        }).addTo(map);
      }
      var words = texts(panel);
      var allSpots = spots(items);
      var layer = L.layerGroup().addTo(map);
      var bounds = allSpots.map(function (spot) { return [spot.lat, spot.lon]; });
      if (bounds.length) {
        map.fitBounds(bounds, { padding: [MARKER, MARKER], maxZoom: 15 });
      } else {
        map.setView([53.8, -1.85], 10);
      }
      draw(L, map, layer, allSpots, words);
      map.on("zoomend", function () { draw(L, map, layer, allSpots, words); });
      if (panel.dataset.wardsUrl) {
        fetch(panel.dataset.wardsUrl).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (wards) {
          if (!wards) { return; }
          L.geoJSON(wards, {
            interactive: false,
            style: { color: "#00515c", weight: 1, fill: false }
          }).addTo(map);
        }).catch(function () { /* outlines are a nicety */ });
      }
      return map;
    });
  }

  window.LinkwellMap = { show: show };
})();
