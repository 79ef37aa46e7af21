// The radar chart of a scorecard's four dimensions (share of each dimension's maximum).
(function () {
  "use strict";
  var node = document.getElementById("radar-data");
  var canvas = document.getElementById("radar-chart");
  if (!node || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  new Chart(canvas, {
    type: "radar",
    data: {
      labels: data.labels,
      datasets: [{
        label: "%",
        data: data.values,
        backgroundColor: "rgba(192, 0, 0, 0.2)",
        borderColor: "#c00000",
        pointBackgroundColor: "#c00000"
      }]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: { r: { min: 0, max: 100, ticks: { stepSize: 25 } } }
    }
  });
}());
