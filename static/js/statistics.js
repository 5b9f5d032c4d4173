// The statistics page: show the period fields that apply, and draw the charts from the
// data the page carries (json_script). Each chart has its table beside it.
(function () {
  "use strict";

  var form = document.querySelector("[data-period-form]");
  if (form) {
    var kind = form.querySelector("[name=period]");
    var scope = form.querySelector("[name=scope]");
    var update = function () {
      form.querySelectorAll("[data-for-period]").forEach(function (el) {
        el.hidden = el.getAttribute("data-for-period").split(" ").indexOf(kind.value) < 0;
      });
      if (scope) {
        form.querySelectorAll("[data-for-scope]").forEach(function (el) {
          el.hidden = el.getAttribute("data-for-scope").split(" ").indexOf(scope.value) < 0;
        });
        form.querySelectorAll("[data-scope-group]").forEach(function (group) {
          group.disabled = group.getAttribute("data-scope-group") !== scope.value;
        });
      }
    };
    form.addEventListener("change", update);
    update();
  }

  var source = document.getElementById("chart-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  function draw(name, option) {
    var el = document.querySelector("[data-chart=" + name + "]");
    if (!el) { return; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  }
  var grid = { left: 48, right: 48, top: 36, bottom: 56, containLabel: true };
  draw("trend", {
    tooltip: { trigger: "axis" },
    legend: { data: ["收案", "审结", "败诉", "败诉率"] },
    grid: grid,
    xAxis: { type: "category", data: data.trend.years },
    yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", min: 0 }],
    series: [
      { name: "收案", type: "bar", data: data.trend.filed },
      { name: "审结", type: "bar", data: data.trend.concluded },
      { name: "败诉", type: "bar", data: data.trend.lost },
      { name: "败诉率", type: "line", yAxisIndex: 1, data: data.trend.loss_rate }
    ]
  });
  draw("losses", {
    tooltip: {},
    grid: grid,
    xAxis: { type: "category", data: data.losses.agencies, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", name: "件", minInterval: 1 },
    series: [{ name: "败诉", type: "bar", data: data.losses.lost }]
  });
  draw("heads", {
    tooltip: {},
    grid: grid,
    xAxis: { type: "category", data: data.heads.agencies, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", name: "%", min: 0, max: 100 },
    series: [{ name: "负责人出庭应诉率", type: "bar", data: data.heads.rate }]
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
