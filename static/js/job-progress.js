// A running job's page asks how far it has got every second, moves its bar, and reloads when it ends.
// Without this script the page refreshes itself (a <noscript> refresh) and shows the same.
(function () {
  "use strict";
  var page = document.querySelector("[data-progress-url]");
  var bar = document.getElementById("job-bar");
  if (!page || !bar) return;
  var step = document.getElementById("job-step");
  var state = document.getElementById("job-state");

  function ask() {
    fetch(page.dataset.progressUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) return setTimeout(ask, 3000);
        if (job.finished || job.broken_off) return window.location.reload();
        bar.value = job.percent;
        bar.textContent = job.percent + "%";
        if (job.step) step.textContent = job.step + " " + job.done + "/" + job.total;
        state.textContent = job.state_label;
        setTimeout(ask, 1000);
      })
      .catch(function () { setTimeout(ask, 3000); });
  }
  setTimeout(ask, 1000);
})();
