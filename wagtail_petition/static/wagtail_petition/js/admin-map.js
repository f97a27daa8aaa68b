// The page editor's map (wagtail_petition.panels.MapPanel): a click on the map
// sets the point and fills the latitude and longitude fields; coordinates typed
// in the fields move the marker. The fields alone work without this script.
// Leaflet (vendored) is loaded before it by the panel's media.
(function () {
  "use strict";

  var PRECISION = 6; // the fields' decimal places

  function coordinate(input, limit) {
    var value = input ? parseFloat(input.value) : NaN;
    return isFinite(value) && Math.abs(value) <= limit ? value : null;
  }

  class PetitionMapInputController extends window.StimulusModule.Controller {
    static values = {
      latitudeInput: String,
      longitudeInput: String,
      tileUrl: String,
      attribution: String,
      zoom: { type: Number, default: 14 },
      markerLabel: String,
      markerIcon: String,
      markerRetina: String,
      markerShadow: String,
    };

    connect() {
      this.latitude = document.getElementById(this.latitudeInputValue);
      this.longitude = document.getElementById(this.longitudeInputValue);
      this.map = window.L.map(this.element, { scrollWheelZoom: false, keyboard: true });
      window.L.tileLayer(this.tileUrlValue, {
        attribution: this.attributionValue,
        maxZoom: 19,
      }).addTo(this.map);
      this.marker = null;
      this.map.on("click", this.pick.bind(this));
      this.follow = this.showTyped.bind(this);
      [this.latitude, this.longitude].forEach(function (input) {
        if (input) {
          input.addEventListener("input", this.follow);
        }
      }, this);
      // The Petition tab is hidden when the editor opens: lay the map out
      // again whenever its size changes, as when the tab is shown.
      this.resizing = new ResizeObserver(this.map.invalidateSize.bind(this.map));
      this.resizing.observe(this.element);
      if (!this.showTyped()) {
        this.map.setView([20, 0], 1);
      }
    }

    disconnect() {
      this.resizing.disconnect();
      [this.latitude, this.longitude].forEach(function (input) {
        if (input) {
          input.removeEventListener("input", this.follow);
        }
      }, this);
      this.map.remove();
    }

    point() {
      var lat = coordinate(this.latitude, 90);
      var lon = coordinate(this.longitude, 180);
      return lat === null || lon === null ? null : [lat, lon];
    }

    showTyped() {
      var point = this.point();
      if (point) {
        this.place(point);
        this.map.setView(point, Math.max(this.map.getZoom() || 0, this.zoomValue));
      }
      return point;
    }

    place(point) {
      if (this.marker) {
        this.marker.setLatLng(point);
        return;
      }
      this.marker = window.L.marker(point, {
        alt: this.markerLabelValue,
        title: this.markerLabelValue,
        keyboard: false,
        icon: window.L.icon({
          iconUrl: this.markerIconValue,
          iconRetinaUrl: this.markerRetinaValue,
          shadowUrl: this.markerShadowValue,
          iconSize: [25, 41],
          iconAnchor: [12, 41],
          shadowSize: [41, 41],
        }),
      }).addTo(this.map);
    }

    pick(event) {
      var point = event.latlng.wrap();
      this.place(point);
      this.fill(this.latitude, point.lat);
      this.fill(this.longitude, point.lng);
    }

    fill(input, value) {
      if (!input) {
        return;
      }
      input.value = value.toFixed(PRECISION);
      // As if typed: Wagtail notices the unsaved change.
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  window.wagtail.app.register("petition-map-input", PetitionMapInputController);
})();
