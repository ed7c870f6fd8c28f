// Draw the edition's charts from the Vega-Lite specs embedded in the page, with the
// vega bundle served by the book itself (no CDN), at the width of their column.
//
// - A single or layered view has `width: "container"`: Vega-Lite draws it to the width of its
//   div (autosize fit, padding included) and follows the window when it is resized.
// - A concatenated chart marks its flexible views with `width: "container"`; here they get a
//   width in pixels from the div's width before the chart is drawn. The chart is then measured
//   and, if axes or legends made it wider than its column, drawn once more with narrower views.
//   `usermeta.edition.stackBelow` (px): below that width, views side by side are stacked.
// - On narrow screens legends list one entry a line, and long labels are cut to the width.
// - When the column's width changes (resize, rotation, print media), every chart is drawn again;
//   meanwhile its data-drawn is "pending".
// Each chart div gets data-drawn="true" when its SVG is in place, so tests and readers' tools can tell.
(function () {
  var NARROW = 560;   // px: below this a chart counts as narrow (a phone, a thin window)
  var drawn = {};     // chart id -> {width, view}

  function copy(x) { return JSON.parse(JSON.stringify(x)); }

  function eachView(spec, fn) {
    fn(spec);
    ["vconcat", "hconcat", "concat", "layer"].forEach(function (key) {
      (spec[key] || []).forEach(function (sub) { eachView(sub, fn); });
    });
    if (spec.spec) eachView(spec.spec, fn);
  }

  function eachLegend(spec, fn) {
    eachView(spec, function (view) {
      var enc = view.encoding || {};
      Object.keys(enc).forEach(function (channel) {
        var def = enc[channel];
        if (def && typeof def === "object" && def.legend) fn(def.legend);
      });
    });
  }

  // Text width in px, roughly: a Chinese character is 1 em, a Latin letter about 0.6 em.
  var WIDE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;
  function textWidth(text, size) {
    var w = 0;
    for (var i = 0; i < text.length; i++) w += WIDE.test(text[i]) ? size : size * 0.6;
    return w;
  }

  // Break each line of `text` so that none is wider than `max` px: at spaces, or between
  // Chinese characters.
  function wrap(text, max, size) {
    var out = [];
    String(text).split("\n").forEach(function (line) {
      var tokens = line.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+\s*|\s+/g) || [""];
      var current = "";
      tokens.forEach(function (token) {
        if (current && textWidth((current + token).trimEnd(), size) > max) {
          out.push(current.trimEnd());
          current = token.trimStart();
        } else {
          current += token;
        }
      });
      out.push(current.trimEnd());
    });
    return out;
  }

  // Labels drawn as text marks (usermeta.edition.wrap): wrapped to the width, rows made tall enough.
  function wrapLabels(spec, w, how) {
    var most = 1;
    Object.keys(spec.datasets || {}).forEach(function (name) {
      spec.datasets[name].forEach(function (row) {
        if (typeof row[how.field] !== "string") return;
        var lines = wrap(row[how.field], w - 6, how.fontSize);
        most = Math.max(most, lines.length);
        row[how.field] = lines.join("\n");
      });
    });
    spec.height = how.rows * (most * how.lineHeight + how.rowPad);
  }

  // The spec as it should be drawn at width `w`, with `shrink` px taken off each flexible view.
  function prepare(source, w, shrink) {
    var spec = copy(source);
    var meta = (spec.usermeta && spec.usermeta.edition) || {};
    var narrow = w < NARROW;
    if (spec.hconcat && w < (meta.stackBelow || NARROW)) {
      spec.vconcat = spec.hconcat;
      delete spec.hconcat;
    }
    eachLegend(spec, function (legend) {
      legend.labelLimit = Math.max(120, w - 60);
      legend.titleLimit = Math.max(120, w - 20);
      if (narrow && legend.orient === "bottom") {
        legend.direction = "vertical";
        legend.columns = 1;
      }
    });
    eachView(spec, function (view) {
      var y = view.encoding && view.encoding.y;
      if (y && y.axis && y.axis.labelLimit && narrow) y.axis.labelLimit = Math.min(y.axis.labelLimit, w * 0.35);
    });
    if (meta.wrap) wrapLabels(spec, w, meta.wrap);
    if (spec.width === "container") return spec;  // Vega-Lite fits it itself
    var flexible = [];
    eachView(spec, function (view) { if (view !== spec && view.width === "container") flexible.push(view); });
    var room = w - (meta.overhead || 70);
    var share = 1;
    if (spec.hconcat) {  // views side by side: the flexible ones share what the fixed ones leave
      var n = spec.hconcat.length;
      room = w - (meta.overhead || 70) * n - (spec.spacing || 20) * (n - 1);
      spec.hconcat.forEach(function (view) { if (typeof view.width === "number") room -= view.width; });
      share = Math.max(1, spec.hconcat.filter(function (v) { return v.width === "container"; }).length);
    }
    var each = Math.floor(room / share) - shrink;
    flexible.forEach(function (view) {
      var min = (view.usermeta && view.usermeta.minWidth) || 120;
      view.width = Math.max(min, each);
    });
    return spec;
  }

  function draw(target, script, shrink, attempt) {
    var width = target.clientWidth;
    var source = JSON.parse(script.textContent);
    var spec = prepare(source, width, shrink);
    var description = target.getAttribute("aria-label") || "";
    var old = drawn[target.id];
    return window.vegaEmbed(target, spec, { renderer: "svg", actions: false })
      .then(function (result) {
        if (old && old.view) old.view.finalize();
        drawn[target.id] = { width: width, view: result.view };
        var svg = target.querySelector("svg");
        // the width vega drew, not the width shown (the style sheet shrinks an SVG too wide to fit)
        var over = svg ? Math.ceil(parseFloat(svg.getAttribute("width"))) - width : 0;
        if (over > 0 && spec.width !== "container" && attempt < 3) {
          return draw(target, script, shrink + over + 2, attempt + 1);
        }
        // vega-embed labels the chart "Vega visualization": put our description back
        target.setAttribute("role", "img");
        target.setAttribute("aria-label", description);
        target.removeAttribute("aria-roledescription");
        target.dataset.drawn = "true";
        window.dispatchEvent(new CustomEvent("edition-chart-drawn", { detail: target.id }));
        window.editionChartsDrawnAt = performance.now();  // read by benchmarks/run.py
      })
      .catch(function (err) { console.error("chart " + target.id + ": " + err); });
  }

  function drawAll(onlyChanged) {
    document.querySelectorAll("script.edition-chart-spec").forEach(function (script) {
      var target = document.getElementById(script.dataset.target);
      if (!target) return;
      if (onlyChanged) {
        var was = drawn[target.id];
        if (!was || Math.abs(was.width - target.clientWidth) < 2) return;
        if (onlyChanged === "narrower" && target.clientWidth >= was.width) return;
        target.dataset.drawn = "pending";  // "true" again once drawn at the new width
      } else if (target.dataset.drawn) {
        return;
      }
      draw(target, script, 0, 0);
    });
  }

  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { drawAll(true); }, 150);
  });
  // printing (or a printer's emulated print media) changes the column: draw for the page
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    // only when the page is narrower than the drawing: a printer that does not wait for the
    // redraw still prints a chart that was drawn, and it fits
    var onPrint = function () { drawAll("narrower"); };
    if (print.addEventListener) print.addEventListener("change", onPrint);
  }
  window.addEventListener("beforeprint", function () { drawAll("narrower"); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { drawAll(false); });
  else drawAll(false);
})();
