// Reloads the report page once the report's files are written (polls its JSON status).
(function () {
  "use strict";
  var box = document.getElementById("report-status");
  if (!box || box.dataset.finished === "1") { return; }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.finished) { window.location.reload(); return; }
        if (data) { box.textContent = data.status_label; }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1500);
}());
