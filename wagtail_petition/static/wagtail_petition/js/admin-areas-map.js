/* The dashboard's map of support: one circle per postal code area, sized by
   its signatures. Reads its data from a json_script block named by the map's
   data-map-data attribute; Leaflet (vendored) is loaded before this file. */
(function () {
    "use strict";

    var MAX_RADIUS = 28;
    var MIN_RADIUS = 6;

    function draw(container) {
        var data = JSON.parse(document.getElementById(container.dataset.mapData).textContent);
        var map = L.map(container, { scrollWheelZoom: false });
        L.tileLayer(data.tile_url, { attribution: data.attribution, maxZoom: 18 }).addTo(map);
        var most = Math.max.apply(null, data.areas.map(function (area) { return area.count; }));
        var bounds = [];
        data.areas.forEach(function (area) {
            // The circle's surface, not its radius, grows with the count.
            var radius = Math.max(MIN_RADIUS, MAX_RADIUS * Math.sqrt(area.count / most));
            L.circleMarker([area.lat, area.lon], {
                radius: radius,
                color: "#005a5b",
                weight: 2,
                fillColor: "#007d7e",
                fillOpacity: 0.45,
            })
                .bindTooltip(area.label)
                .addTo(map);
            bounds.push([area.lat, area.lon]);
        });
        if (bounds.length === 1) {
            map.setView(bounds[0], 10);
        } else {
            map.fitBounds(bounds, { padding: [MAX_RADIUS, MAX_RADIUS] });
        }
    }

    function start() {
        if (typeof L === "undefined") {
            return;
        }
        document.querySelectorAll("[data-map-data]").forEach(draw);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
