// Keep a petition's count and progress bar current while the page is open,
// from its live count (JSON at <petition url>count/); paused while the tab is hidden.
(function () {
  "use strict";

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

  function update(widget, data) {
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
            update(widget, data);
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

  document.querySelectorAll("[data-petition-count-url]").forEach(watch);
})();
