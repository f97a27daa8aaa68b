// The petition page, enhanced: without this script every part works by plain
// links and form posts.
// - The count and progress bar stay current while the page is open, from the
//   petition's live count (JSON at <petition url>count/); paused in a hidden tab.
// - The sign form posts without a page reload: the page answers in JSON
//   (Accept: application/json) with the thank-you section, the count and the
//   milestones, or the form with its errors. Anything unexpected falls back to
//   the form's own submission, which the page answers as without this script.
// - Sharing: a "Share…" button for the browser's own share sheet and a "Copy
//   link" button, shown only where the browser has navigator.share and
//   navigator.clipboard; the plain share links work everywhere.
// - The map of the petition's place: Leaflet (the app's own copy) is fetched
//   only once the map scrolls into view, so it never delays signing nor the
//   first paint; the location line links to the place on OpenStreetMap anyway.
(function () {
  "use strict";

  // The count ---------------------------------------------------------------

  function showCount(paragraph, data) {
    // count_text is translated on the server ("1,234 signatures"): keep the
    // number in its <strong>, wherever the language puts it.
    var at = data.count_text.indexOf(data.count_display);
    var strong = document.createElement("strong");
    strong.textContent = data.count_display;
    paragraph.replaceChildren(
      data.count_text.slice(0, at),
      strong,
      data.count_text.slice(at + data.count_display.length)
    );
  }

  function updateCount(widget, data) {
    var paragraph = widget.querySelector(".petition-progress__count");
    var bar = widget.querySelector(".petition-progress__bar");
    var goal = widget.querySelector(".petition-progress__goal");
    if (paragraph && data.count_text.indexOf(data.count_display) >= 0) {
      showCount(paragraph, data);
    }
    if (bar && data.goal) {
      bar.max = data.goal;
      bar.value = Math.min(data.count, data.goal);
    }
    if (goal && data.goal_text) {
      goal.textContent = data.goal_text;
    }
  }

  function watch(widget) {
    var url = widget.dataset.petitionCountUrl;
    var seconds = Math.max(parseInt(widget.dataset.petitionRefresh, 10) || 10, 5);
    var timer = null;

    function refresh() {
      fetch(url, { credentials: "omit" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data) {
            updateCount(widget, data);
          }
        })
        .catch(function () {});
    }

    function start() {
      if (timer === null) {
        timer = window.setInterval(refresh, seconds * 1000);
      }
    }

    function stop() {
      window.clearInterval(timer);
      timer = null;
    }

    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        stop();
      } else {
        refresh();
        start();
      }
    });
    if (!document.hidden) {
      start();
    }
  }

  // Signing -----------------------------------------------------------------

  function parse(html) {
    // A <template> keeps what it parses inert until it is placed.
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function showSigned(form, data) {
    var petition = form.closest(".petition") || document.body;
    var header = petition.querySelector(".petition__header");
    var thanks = parse(data.thanks_html);
    // The call scripts come back in the thank-you section, with the signer's name.
    petition.querySelectorAll(".petition__jump, .petition__text .call-script").forEach(function (el) {
      el.remove();
    });
    if (header) {
      header.after(thanks);
    } else {
      petition.prepend(thanks);
    }
    form.closest(".petition-sign").remove();
    enableSharing(thanks);
    petition.querySelectorAll(".petition-progress").forEach(function (widget) {
      updateCount(widget, data.count);
    });
    var milestones = parse(data.milestones_html || "<div></div>");
    var shown = petition.querySelector(".petition-milestones");
    if (shown) {
      shown.replaceWith(milestones);
    } else if (milestones.matches(".petition-milestones")) {
      petition.append(milestones);
    }
    // A reload, or the back button, shows the thank-you page the server keeps.
    window.history.replaceState(null, "", data.url);
    thanks.focus();
  }

  function showErrors(form, data) {
    form.closest(".petition-sign").replaceWith(parse(data.form_html));
    var summary = document.getElementById("petition-form-errors");
    if (summary) {
      summary.focus();
    }
  }

  function showClosed(form, data) {
    form.closest(".petition-sign").replaceWith(parse(data.closed_html));
  }

  function sign(form) {
    var button = form.querySelector("[type=submit]");
    form.setAttribute("aria-busy", "true");
    if (button) {
      button.disabled = true;
    }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") !== 0) {
          throw new Error("Not an answer for this script: " + response.status);
        }
        return response.json().then(function (data) {
          if (response.status === 200 && data.thanks_html) {
            showSigned(form, data);
          } else if (response.status === 400 && data.form_html) {
            showErrors(form, data);
          } else if (response.status === 403 && data.closed_html) {
            showClosed(form, data);
          } else {
            throw new Error("Unexpected answer: " + response.status);
          }
        });
      })
      .catch(function () {
        // Let the page answer as it does without this script. A signature that
        // was stored already is not stored twice: one per email address.
        form.submit();
      });
  }

  // Sharing -----------------------------------------------------------------

  function enableSharing(root) {
    root.querySelectorAll("[data-petition-share-url]").forEach(function (button) {
      button.hidden = typeof navigator.share !== "function";
    });
    root.querySelectorAll("[data-petition-copy]").forEach(function (button) {
      button.hidden = !(navigator.clipboard && navigator.clipboard.writeText);
    });
  }

  function shareNatively(button) {
    var data = { title: button.dataset.petitionShareTitle, url: button.dataset.petitionShareUrl };
    if (button.dataset.petitionShareText) {
      data.text = button.dataset.petitionShareText;
    }
    // A visitor who closes the share sheet rejects the promise: nothing to do.
    Promise.resolve(navigator.share(data)).catch(function () {});
  }

  function copyLink(button) {
    var field = document.getElementById(button.dataset.petitionCopy);
    var panel = button.closest("[data-petition-share]");
    var status = panel && panel.querySelector("[data-petition-copy-status]");
    if (!field) {
      return;
    }
    navigator.clipboard.writeText(field.value).then(
      function () {
        if (status) {
          // Emptied first, so that a second copy is announced again.
          status.textContent = "";
          window.setTimeout(function () {
            status.textContent = status.dataset.petitionCopied || "Link copied";
          }, 50);
        }
      },
      function () {
        // No permission to write the clipboard: select the link to copy by hand.
        field.focus();
        field.select();
      }
    );
  }

  // The map -----------------------------------------------------------------

  var leaflet = null; // the promise of Leaflet's script and stylesheet, once asked

  function load(element, event) {
    return new Promise(function (resolve, reject) {
      element.addEventListener(event, resolve);
      element.addEventListener("error", reject);
      document.head.appendChild(element);
    });
  }

  function loadLeaflet(canvas) {
    if (!leaflet) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = canvas.dataset.leafletCss;
      var script = document.createElement("script");
      script.src = canvas.dataset.leafletJs;
      leaflet = Promise.all([load(style, "load"), load(script, "load")]);
    }
    return leaflet;
  }

  function drawMap(canvas) {
    var data = canvas.dataset;
    var point = [parseFloat(data.latitude), parseFloat(data.longitude)];
    // Keyboard: the map is one Tab stop (arrows pan, + and - zoom), then its
    // zoom buttons and attribution links; the marker is not a stop of its own.
    var map = window.L.map(canvas, { scrollWheelZoom: false, keyboard: true });
    map.setView(point, parseInt(data.zoom, 10) || 14);
    window.L.tileLayer(data.tileUrl, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
    window.L.marker(point, {
      alt: data.markerLabel,
      title: data.markerLabel,
      keyboard: false,
      icon: window.L.icon({
        iconUrl: data.markerIcon,
        iconRetinaUrl: data.markerRetina,
        shadowUrl: data.markerShadow,
        iconSize: [25, 41],
        iconAnchor: [12, 41],
        shadowSize: [41, 41],
      }),
    }).addTo(map);
    canvas.classList.add("petition-map__canvas--ready");
  }

  function showMap(canvas) {
    loadLeaflet(canvas)
      .then(function () {
        drawMap(canvas);
      })
      .catch(function () {}); // the location line still links to the place
  }

  function whenVisible(canvas, callback) {
    if (!("IntersectionObserver" in window)) {
      (window.requestIdleCallback || window.setTimeout)(function () {
        callback(canvas);
      });
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        callback(canvas);
      }
    });
    observer.observe(canvas);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-petition-share-url], [data-petition-copy]");
    if (!button) {
      return;
    }
    if (button.dataset.petitionShareUrl) {
      shareNatively(button);
    } else {
      copyLink(button);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // reCAPTCHA renders its widget once, on load: leave those forms to post themselves.
    if (!form.matches("form[data-petition-sign]") || form.querySelector(".g-recaptcha")) {
      return;
    }
    event.preventDefault();
    if (form.getAttribute("aria-busy") !== "true") {
      sign(form);
    }
  });

  document.querySelectorAll("[data-petition-count-url]").forEach(watch);
  enableSharing(document);
  document.querySelectorAll("[data-petition-map]").forEach(function (canvas) {
    whenVisible(canvas, showMap);
  });
})();
