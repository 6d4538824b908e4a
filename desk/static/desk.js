/* 办事台脚本: only additions to pages that answer without it — typing ahead and charts. */
"use strict";

(function () {
  // -- typing ahead (输入提示): inputs with data-suggest="/suggest/…" ------------------------
  function suggest(input) {
    var box = document.createElement("ul");
    box.hidden = true;
    input.parentNode.appendChild(box);
    var timer = null;
    var asked = "";
    function close() { box.hidden = true; box.innerHTML = ""; }
    function choose(row) {
      input.value = row.code && input.name === "street" ? row.code : row.value;
      close();
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var words = input.value.trim();
      if (!words) { close(); return; }
      timer = setTimeout(function () {
        asked = words;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(words), {
          credentials: "same-origin",
        })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (rows) {
            if (asked !== words) return;
            box.innerHTML = "";
            rows.forEach(function (row) {
              var li = document.createElement("li");
              li.textContent = row.value;
              var small = document.createElement("small");
              small.textContent = [row.note, row.county, row.code].filter(Boolean).join(" · ");
              li.appendChild(small);
              li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(row); });
              box.appendChild(li);
            });
            box.hidden = rows.length === 0;
          })
          .catch(close);
      }, 200);
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(suggest);

  // -- charts (图表): ECharts from /desk-static/vendor, when present ------------------------
  function data(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function link(base, params) {
    var url = new URL(base, window.location.href);
    Object.keys(params).forEach(function (k) { url.searchParams.set(k, params[k]); });
    return url.pathname + url.search;
  }
  var FONT = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "SimSun", sans-serif';
  if (!window.echarts) return;

  var gaps = data("gap-heatmap-data");
  if (gaps) {
    var chart = echarts.init(document.getElementById("gap-heatmap"), null, { renderer: "svg" });
    chart.setOption({
      animation: false,  // drawn at once: printouts and screenshots show the whole chart
      textStyle: { fontFamily: FONT },
      tooltip: {
        formatter: function (p) {
          var rule = gaps.rules[p.value[0]];
          return gaps.places[p.value[1]] + "<br>" + gaps.titles[rule] + "：" + p.value[2] + " 处";
        },
      },
      grid: { left: 120, right: 20, top: 10, bottom: 150 },
      xAxis: {
        type: "category",
        data: gaps.rules.map(function (r) { var t = gaps.titles[r]; return t.length > 10 ? t.slice(0, 10) + "…" : t; }),
        axisLabel: { rotate: 30, interval: 0 },
      },
      yAxis: { type: "category", data: gaps.places, inverse: true },
      visualMap: {
        min: 0, max: Math.max(1, gaps.max), calculable: false, orient: "horizontal",
        left: "center", bottom: 0, itemHeight: 120, text: ["多", "少"],
        inRange: { color: ["#fff4d6", "#f0a35e", "#b3261e"] },
      },
      series: [{
        type: "heatmap", data: gaps.cells, label: { show: true },
        emphasis: { itemStyle: { borderColor: "#123a63", borderWidth: 2 } },
      }],
    });
    chart.on("click", function (p) {
      window.location.href = link(gaps.link, {
        place: gaps.places[p.value[1]], rule: gaps.rules[p.value[0]],
      }) + "#list";
    });
  }

  var matrix = data("matrix-data");
  if (matrix) {
    var m = echarts.init(document.getElementById("matrix-chart"), null, { renderer: "svg" });
    m.setOption({
      animation: false,  // drawn at once: printouts and screenshots show the whole chart
      textStyle: { fontFamily: FONT },
      tooltip: {
        formatter: function (p) {
          var c = matrix.cells[p.dataIndex];
          return matrix.items[c[0]] + "<br>" + matrix.streets[c[1]] + "：" + c[3] + "<br>" + c[4];
        },
      },
      grid: { left: 110, right: 20, top: 10, bottom: 150 },
      xAxis: { type: "category", data: matrix.item_codes, axisLabel: { rotate: 45, interval: 0 } },
      yAxis: { type: "category", data: matrix.streets, inverse: true },
      visualMap: {
        type: "piecewise", dimension: 2, orient: "horizontal", left: "center", bottom: 0,
        pieces: matrix.legend,
      },
      series: [{ type: "heatmap", data: matrix.cells.map(function (c) { return [c[0], c[1], c[2]]; }) }],
    });
    m.on("click", function (p) {
      var c = matrix.cells[p.dataIndex];
      window.location.href = link("/authority", {
        item: matrix.item_codes[c[0]], street: matrix.street_codes[c[1]], date: matrix.date,
      });
    });
  }

  var chain = data("chain-data");
  if (chain) {
    var g = echarts.init(document.getElementById("chain-chart"), null, { renderer: "svg" });
    g.setOption({
      animation: false,  // drawn at once: printouts and screenshots show the whole chart
      textStyle: { fontFamily: FONT },
      tooltip: {},
      series: [{
        type: "graph", layout: "none", roam: false, symbol: "roundRect", symbolSize: [176, 58],
        itemStyle: { color: "#dce8f5", borderColor: "#0b5cad", borderWidth: 1 },
        label: { show: true, color: "#1d2329", fontSize: 12, lineHeight: 16, width: 164,
                 overflow: "break" },
        edgeSymbol: ["none", "arrow"], edgeSymbolSize: 8,
        data: chain.nodes, links: chain.links,
        lineStyle: { color: "#5b6770", width: 1.5 },
      }],
    });
  }
})();
