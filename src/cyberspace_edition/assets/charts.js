// Draw the edition's charts with the Vega runtime served by the book itself (no CDN, no
// Vega-Lite compiler in the browser: the specs were compiled to Vega when the book was built),
// at the width of their column.
//
// Each chart's spec is a small script of its own (_static/edition-charts/specs/<id>.js, cached by
// the browser, and loaded with a script tag so that it works from file:// too) that calls
// editionChart(id, spec, layout). `layout` is what the build read from the Vega-Lite spec's
// usermeta.edition: how the drawing adapts to its width.
//
// - A single or layered view has a width from containerSize(): Vega draws it to the width of its
//   div (autosize fit, padding included) and follows the window when it is resized.
// - A concatenated chart: its flexible views (those whose width signal reads the container) get
//   a width in pixels from the div's width before the chart is drawn. The chart is then measured
//   and, if axes or legends made it wider than its column, drawn once more with narrower views.
//   `stackBelow` (px): below that width, views side by side are stacked (layout of one column).
// - On narrow screens legends list one entry a line, and long labels are cut to the width.
// - Labels drawn as text marks (`wrap`) are wrapped to the width, and rows made tall enough.
// - When the column's width changes (resize, rotation, print media), every chart is drawn again;
//   meanwhile its data-drawn is "pending".
// - Tooltips: a small handler in the markup vega-tooltip writes (#vg-tooltip-element), styled by
//   charts.css; links (the marks' href) are Vega's own.
// Each chart div gets data-drawn="true" when its SVG is in place, so tests and readers' tools can tell.
(function () {
  var NARROW = 560;   // px: below this a chart counts as narrow (a phone, a thin window)
  var specs = {};     // chart id -> {spec, layout}
  var drawn = {};     // chart id -> {width, view}

  function copy(x) { return JSON.parse(JSON.stringify(x)); }

  // every group of a Vega spec (the spec itself, then nested group marks)
  function eachGroup(spec, fn) {
    fn(spec);
    (spec.marks || []).forEach(function (mark) { if (mark.type === "group") eachGroup(mark, fn); });
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

  // Labels drawn as text marks (layout.wrap): wrapped to the width, rows made tall enough.
  function wrapLabels(spec, w, how) {
    var most = 1;
    (spec.data || []).forEach(function (data) {
      (data.values || []).forEach(function (row) {
        if (!row || typeof row[how.field] !== "string") return;
        var lines = wrap(row[how.field], w - 6, how.fontSize);
        most = Math.max(most, lines.length);
        row[how.field] = lines.join("\n");
      });
    });
    spec.height = how.rows * (most * how.lineHeight + how.rowPad);
  }

  function readsContainer(signal) {
    return typeof signal.init === "string" && signal.init.indexOf("containerSize") >= 0;
  }

  // The spec as it should be drawn at width `w`, with `shrink` px taken off each flexible view.
  function prepare(source, layout, w, shrink) {
    var spec = copy(source);
    var narrow = w < NARROW;
    var concat = !!spec.layout;  // Vega-Lite writes a layout only for a concatenated chart
    var sideBySide = concat && spec.layout.columns === undefined;
    if (sideBySide && w < (layout.stackBelow || NARROW)) {
      spec.layout.columns = 1;
      sideBySide = false;
    }
    eachGroup(spec, function (group) {
      (group.legends || []).forEach(function (legend) {
        legend.labelLimit = Math.max(120, w - 60);
        legend.titleLimit = Math.max(120, w - 20);
        if (narrow && legend.orient === "bottom") {
          legend.direction = "vertical";
          legend.columns = 1;
        }
      });
      (group.axes || []).forEach(function (axis) {
        if (axis.orient === "left" && axis.labelLimit && narrow) axis.labelLimit = Math.min(axis.labelLimit, w * 0.35);
      });
    });
    if (layout.wrap) wrapLabels(spec, w, layout.wrap);
    if (!concat) return spec;  // Vega fits a single view to its container itself
    var signals = spec.signals || [];
    var flexible = signals.filter(readsContainer);
    var overhead = layout.overhead || 70;
    var room = w - overhead;
    var share = 1;
    if (sideBySide) {  // views side by side: the flexible ones share what the fixed ones leave
      var n = (spec.marks || []).filter(function (m) { return m.type === "group"; }).length;
      room = w - overhead * n - (spec.layout.padding || 20) * (n - 1);
      signals.forEach(function (s) {
        if (/_width$/.test(s.name) && typeof s.value === "number" && !readsContainer(s)) room -= s.value;
      });
      share = Math.max(1, flexible.length);
    }
    var each = Math.floor(room / share) - shrink;
    flexible.forEach(function (s) {
      delete s.init;
      delete s.on;
      s.value = Math.max(layout.minWidth || 120, each);
    });
    return spec;
  }

  // Tooltips as vega-tooltip draws them: a title, then a table of field and value.
  var tip = null;
  function escape(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function tooltip(handler, event, item, value) {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "vg-tooltip-element";
      tip.className = "vg-tooltip";
      document.body.appendChild(tip);
    }
    if (value === null || value === undefined || value === "") {
      tip.classList.remove("visible");
      return;
    }
    var content;
    if (typeof value === "object") {
      var rows = "";
      var title = "";
      Object.keys(value).forEach(function (key) {
        var v = value[key];
        if (v === undefined) return;
        if (key === "title") { title = '<h2>' + escape(v) + '</h2>'; return; }
        if (v !== null && typeof v === "object") v = JSON.stringify(v);
        rows += '<tr><td class="key">' + escape(key) + '</td><td class="value">' + escape(v) + "</td></tr>";
      });
      content = title + (rows ? "<table>" + rows + "</table>" : "");
    } else {
      content = escape(value);
    }
    tip.innerHTML = content;
    tip.classList.add("visible");
    var x = event.clientX + 10, y = event.clientY + 10;
    var box = tip.getBoundingClientRect();
    if (x + box.width > window.innerWidth) x = Math.max(0, event.clientX - box.width - 10);
    if (y + box.height > window.innerHeight) y = Math.max(0, event.clientY - box.height - 10);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  function draw(target, shrink, attempt) {
    var entry = specs[target.id];
    var width = target.clientWidth;
    var spec = prepare(entry.spec, entry.layout, width, shrink);
    var description = target.getAttribute("aria-label") || "";
    var old = drawn[target.id];
    var view;
    if (old && old.view) old.view.finalize();
    try {
      view = new window.vega.View(window.vega.parse(spec), { renderer: "svg", hover: true });
      view.tooltip(tooltip);
      target.textContent = "";
      view.initialize(target);
    } catch (err) {
      console.error("chart " + target.id + ": " + err);
      return Promise.resolve();
    }
    drawn[target.id] = { width: width, view: view };
    return view.runAsync()
      .then(function () {
        var svg = target.querySelector("svg");
        // the width vega drew, not the width shown (the style sheet shrinks an SVG too wide to fit)
        var over = svg ? Math.ceil(parseFloat(svg.getAttribute("width"))) - width : 0;
        if (over > 0 && spec.layout && attempt < 3) {
          return draw(target, shrink + over + 2, attempt + 1);
        }
        target.setAttribute("role", "img");
        target.setAttribute("aria-label", description);
        target.dataset.drawn = "true";
        window.dispatchEvent(new CustomEvent("edition-chart-drawn", { detail: target.id }));
        window.editionChartsDrawnAt = performance.now();  // read by benchmarks/run.py
      })
      .catch(function (err) { console.error("chart " + target.id + ": " + err); });
  }

  function drawAll(onlyChanged) {
    Object.keys(specs).forEach(function (id) {
      var target = document.getElementById(id);
      if (!target) return;
      if (onlyChanged) {
        var was = drawn[id];
        if (!was || Math.abs(was.width - target.clientWidth) < 2) return;
        if (onlyChanged === "narrower" && target.clientWidth >= was.width) return;
        target.dataset.drawn = "pending";  // "true" again once drawn at the new width
      } else if (target.dataset.drawn) {
        return;
      }
      draw(target, 0, 0);
    });
  }

  // called by each chart's spec script (loaded after this one: both are deferred, in page order)
  window.editionChart = function (id, spec, layout) {
    specs[id] = { spec: spec, layout: layout || {} };
    if (document.readyState === "loading") return;  // drawn at DOMContentLoaded
    var target = document.getElementById(id);
    if (target && !target.dataset.drawn) draw(target, 0, 0);
  };

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
