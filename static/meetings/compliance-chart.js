// The committee's compliance view: the branches that missed most, as stacked bars per kind.
(function () {
  "use strict";
  var node = document.getElementById("compliance-data");
  var canvas = document.getElementById("compliance-chart");
  if (!node || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var box = canvas.parentNode;
  if (!data.labels.length) { box.parentNode.parentNode.style.display = "none"; return; }
  // On a phone the legend of seven kinds wraps onto several rows: give the bars that room
  // too, or Chart.js drops every other branch name.
  var legend = box.clientWidth < 576 ? 90 : 0;
  box.style.height = (Number(box.getAttribute("data-height") || 320) + legend) + "px";
  var colours = ["#b71c1c", "#e53935", "#fb8c00", "#fdd835", "#7cb342", "#1e88e5", "#8e24aa"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] };
      })
    },
    options: {
      indexAxis: "y",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, ticks: { precision: 0 } },
        y: { stacked: true, ticks: { autoSkip: false } }
      },
      plugins: { legend: { position: "bottom" } }
    }
  });
}());
