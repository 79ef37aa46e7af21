// Shows the build's progress: polls its small JSON status until it has finished.
(function () {
  "use strict";
  var box = document.getElementById("build-progress");
  if (!box) { return; }
  var bar = document.getElementById("build-bar");
  var statusNode = document.getElementById("build-status");
  var percentNode = document.getElementById("build-percent");

  function show(percent) {
    bar.style.width = percent + "%";
    bar.parentNode.setAttribute("aria-valuenow", percent);
    percentNode.textContent = percent;
  }

  show(parseInt(bar.dataset.width || "0", 10));
  if (box.dataset.finished === "1") { return; }

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 3000); return; }
        show(data.progress);
        statusNode.textContent = data.status_label;
        if (data.finished) {
          box.dataset.finished = "1";
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
}());
