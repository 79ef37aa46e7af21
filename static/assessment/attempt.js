// Saves each answer as it is given and shows the time left. The server keeps the time:
// this countdown is only a display, and when it reaches zero the page reloads so the
// server can close the attempt with what was saved.
(function () {
  "use strict";
  var form = document.getElementById("attempt-form");
  var dataNode = document.getElementById("attempt-timer-data");
  if (!form || !dataNode) { return; }
  var data = JSON.parse(dataNode.textContent);
  var timer = document.getElementById("attempt-timer");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var savedText = form.dataset.savedText || "已保存";
  var failedText = form.dataset.failedText || "未保存，请检查网络";
  var endsAt = Date.now() + data.seconds_left * 1000;

  function show(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    timer.textContent = m + ":" + (s < 10 ? "0" : "") + s;
  }

  function tick() {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    show(left);
    if (left <= 0) {
      window.location.reload();
      return;
    }
    window.setTimeout(tick, 1000);
  }

  function valuesOf(fieldset) {
    var inputs = fieldset.querySelectorAll("input");
    var values = [];
    inputs.forEach(function (input) {
      if (input.type === "text") { values.push(input.value); }
      else if (input.checked) { values.push(input.value); }
    });
    return values;
  }

  function save(fieldset) {
    var position = parseInt(fieldset.dataset.position, 10);
    var status = fieldset.querySelector("[data-saved-for]");
    var values = valuesOf(fieldset);
    var isText = fieldset.querySelector("input[type=text]") !== null;
    status.textContent = "…";
    fetch(data.answer_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ position: position, response: isText ? (values[0] || "") : values })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok && result.body.saved) {
        status.textContent = savedText;
        status.className = "small text-success mt-1";
      } else if (result.body.closed) {
        window.location.reload();
      } else {
        status.textContent = result.body.error || failedText;
        status.className = "small text-danger mt-1";
      }
    }).catch(function () {
      status.textContent = failedText;
      status.className = "small text-danger mt-1";
    });
  }

  form.querySelectorAll("fieldset[data-position]").forEach(function (fieldset) {
    fieldset.addEventListener("change", function () { save(fieldset); });
  });
  show(data.seconds_left);
  window.setTimeout(tick, 1000);
})();
