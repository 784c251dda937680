/* Enhancements of the directory pages; each page works fully without them. */
(function () {
  "use strict";

  function items(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : [];
  }

  // Wide screens show the filters open; phones keep them folded behind "More filters".
  var filters = document.querySelector("details.filters");
  if (filters && window.matchMedia("(min-width: 48em)").matches) {
    filters.open = true;
  }

  // Search results: a button shows them on a map (loading Leaflet only then).
  var panel = document.getElementById("results-map-panel");
  if (panel) {
    var toggle = panel.querySelector(".map-toggle");
    var container = document.getElementById("results-map");
    var drawn = null;
    toggle.hidden = false;
    // Without script the list of places stands open in the map's stead; with it, the map
    // button comes first and the list stays one click away.
    var venues = document.getElementById("results-venues");
    if (venues) { venues.open = false; }
    toggle.addEventListener("click", function () {
      var showing = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!showing));
      container.hidden = showing;
      toggle.textContent = showing ? toggle.dataset.showLabel : toggle.dataset.hideLabel;
      if (!showing) {
        if (!drawn) {
          drawn = window.LinkwellMap.show(panel, container, items("map-items"));
        } else {
          drawn.then(function (map) { map.invalidateSize(); });
        }
      }
    });
  }

  // Service page: a small map of its places, drawn straight away.
  var small = document.getElementById("service-map-panel");
  if (small) {
    var box = document.getElementById("service-map");
    box.hidden = false;
    window.LinkwellMap.show(small, box, items("service-map-items"));
  }

  // Share: copy the page's address (the address itself is shown for everyone).
  var copy = document.querySelector(".copy-link");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(copy.dataset.url).then(function () {
        var status = document.getElementById("copy-status");
        if (status) { status.textContent = copy.dataset.copied; }
      });
    });
  }
})();
