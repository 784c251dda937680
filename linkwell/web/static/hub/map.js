/* The hub's map: area outlines shaded by band of need (from the GeoJSON the page embeds),
   gaps outlined, services marked where they are based. No base map and nothing fetched
   from the internet. Without JavaScript the table beside it carries the same figures. */
(function () {
  "use strict";
  var COLOURS = { 1: "#7a0177", 2: "#c51b8a", 3: "#f768a1", 4: "#fbb4b9", 5: "#feebe2" };

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function start() {
    var panel = document.querySelector("[data-hub-map]");
    var source = document.getElementById("hub-map-data");
    if (!panel || !source || !window.L) { return; }
    var data = JSON.parse(source.textContent);
    var words = data.labels;
    panel.hidden = false;
    var map = L.map("hub-map", { attributionControl: false, zoomSnap: 0.25, keyboard: true });
    var highlighted = null;

    function style(feature) {
      var p = feature.properties;
      return {
        color: p.gap ? "#0b0c0c" : "#505a5f",
        weight: p.gap ? 3 : 1,
        dashArray: p.gap ? "6 4" : null,
        fillColor: COLOURS[p.band] || "#ffffff",
        fillOpacity: 0.75
      };
    }

    var areas = L.geoJSON({ type: "FeatureCollection", features: data.features }, {
      style: style,
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        layer.bindPopup(
          "<strong>" + escapeText(p.name) + "</strong><br>" +
          escapeText(p.measure) + "<br>" +
          escapeText(p.serving) + " " + escapeText(words.serving) + "; " +
          escapeText(p.per10k) + " " + escapeText(words.per10k) +
          (p.gap ? "<br><strong>" + escapeText(words.gap) + "</strong>" : "") +
          '<br><a href="' + escapeText(p.url) + '">' + escapeText(words.open) + "</a>"
        );
      }
    });
    var bounds = areas.getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds); } else { map.setView([53.8, -1.9], 10); }
    areas.addTo(map);

    function outline(covers) {
      areas.eachLayer(function (layer) {
        var keys = layer.feature.properties.keys || [];
        var served = covers.some(function (key) { return keys.indexOf(key) !== -1; });
        layer.setStyle(served ? { color: "#0072B2", weight: 4, dashArray: null } : style(layer.feature));
      });
    }

    // Each service: [id, name, tier, places as [latitude, longitude], coverage keys].
    var services = data.markers.services;
    var link = data.markers.url;
    var placeholder = "00000000-0000-0000-0000-000000000000";
    services.forEach(function (service) {
      var id = service[0], name = service[1], tier = service[2], covers = service[4];
      var popup = '<a href="' + escapeText(link.replace(placeholder, id)) + '">' +
        escapeText(name) + "</a>" +
        (tier ? "<br>" + escapeText(words.tier) + " " + escapeText(tier) : "");
      service[3].forEach(function (point) {
        var marker = L.circleMarker(point, {
          radius: 6, color: "#ffffff", weight: 2, fillColor: "#0072B2", fillOpacity: 1
        }).addTo(map);
        marker.bindPopup(popup);
        marker.on("click", function () {
          highlighted = service;
          outline(covers);
        });
      });
    });
    map.on("popupclose", function () {
      if (highlighted) { highlighted = null; outline([]); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
