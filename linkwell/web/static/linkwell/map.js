/* Linkwell maps: an enhancement over the lists. Leaflet (served from our own static files) is
   loaded only when a map is shown; background tiles only when the site sets a tile server. */
(function () {
  "use strict";
  var loading = null;

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

  function popup(item) {
    var name = escapeHtml(item.name);
    var place = item.place ? "<br>" + escapeHtml(item.place) : "";
    return item.url ? '<a href="' + escapeHtml(item.url) + '">' + name + "</a>" + place : name + place;
  }

  /* Draw `items` ({name, lat, lon, url?, place?}) in `container`; `panel` holds the settings. */
  function show(panel, container, items) {
    return load(panel).then(function (L) {
      var map = L.map(container, { scrollWheelZoom: false });
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
      var bounds = [];
      items.forEach(function (item) {
        var label = item.place && item.place !== item.name ? item.name + ", " + item.place : item.name;
        L.marker([item.lat, item.lon], { title: label, alt: label, keyboard: true })
          .bindPopup(popup(item))
          .addTo(map);
        bounds.push([item.lat, item.lon]);
      });
      if (bounds.length) {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
      } else {
        map.setView([53.8, -1.85], 10);
      }
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
