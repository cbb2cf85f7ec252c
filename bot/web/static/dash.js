/* 联盟看板: draws the charts from the page's JSON (ECharts, SVG renderer) and sorts tables. */
(function () {
  "use strict";
  var dataEl = document.getElementById("chart-data");
  var data = dataEl ? JSON.parse(dataEl.textContent) : {};
  var charts = [];
  var palette = ["#1765c1", "#2f8f5b", "#d9822b", "#8e44ad", "#c62f2f", "#16a3a3", "#7f8c8d",
    "#b8860b", "#e05d9b", "#4b6584", "#6ab04c", "#95a5a6", "#34495e"];
  var base = { animation: false, color: palette, textStyle: { fontFamily: "inherit" } };

  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el || !window.echarts) { return; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    var opt = {};
    Object.keys(base).forEach(function (k) { opt[k] = base[k]; });
    Object.keys(option).forEach(function (k) { opt[k] = option[k]; });
    chart.setOption(opt);
    charts.push(chart);
  }
  var pct = function (v) { return v + "%"; };

  if (data.cumulative) {
    var c = data.cumulative;
    draw("chart-cumulative", {
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      legend: { data: ["累计完成度", "里程碑进度"], top: 0, itemGap: 18 },
      grid: { left: 40, right: 12, top: 36, bottom: 28 },
      xAxis: { type: "category", data: c.labels, boundaryGap: false },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: pct } },
      series: [
        { name: "累计完成度", type: "line", data: c.actual, symbolSize: 6, connectNulls: false,
          lineStyle: { width: 3 }, areaStyle: { opacity: 0.12 } },
        { name: "里程碑进度", type: "line", step: "end", data: c.pace, symbol: "none",
          lineStyle: { type: "dashed", width: 2, color: "#c62f2f" }, itemStyle: { color: "#c62f2f" } }
      ]
    });
  }
  if (data.monthly && data.monthly.kinds.length) {
    var m = data.monthly;
    draw("chart-monthly", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { type: "scroll", top: 0, itemGap: 12, itemWidth: 14, itemHeight: 10 },
      grid: { left: 34, right: 8, top: 40, bottom: 28 },
      xAxis: { type: "category", data: m.months },
      yAxis: { type: "value", minInterval: 1 },
      series: m.kinds.map(function (k) {
        return { name: k.name, type: "bar", stack: "all", data: k.data, barMaxWidth: 28 };
      })
    });
  }
  if (data.type === "county") {
    var names = data.names.slice().reverse(), vals = data.completion.slice().reverse();
    draw("chart-county", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: pct },
      // Names above their bars, across the whole width: long alliance names fit a phone.
      grid: { left: 8, right: 44, top: 8, bottom: 24 },
      xAxis: { type: "value", min: 0, max: 100, interval: 25, axisLabel: { formatter: pct } },
      yAxis: { type: "category", data: names, axisTick: { show: false },
        axisLabel: { inside: true, verticalAlign: "bottom", padding: [0, 0, 10, 0],
          color: "#1f2733", fontSize: 13 } },
      series: [{ type: "bar", data: vals, barMaxWidth: 12,
        label: { show: true, position: "right", formatter: "{c}%" },
        itemStyle: { color: function (p) { return p.value < 60 ? "#d9822b" : "#2f8f5b"; } } }]
    });
  }
  window.addEventListener("resize", function () { charts.forEach(function (ch) { ch.resize(); }); });

  // Sortable tables: click a header; numbers by their data-v.
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.querySelectorAll("th");
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var num = th.getAttribute("data-sort") === "num";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col], y = b.cells[col];
          var d = num ? parseFloat(x.getAttribute("data-v")) - parseFloat(y.getAttribute("data-v"))
            : x.textContent.localeCompare(y.textContent, "zh-CN");
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
}());
