// Draw the edition's charts from the Vega-Lite specs embedded in the page, with the
// vega bundle served by the book itself (no CDN). Each chart div gets data-drawn="true"
// when its SVG is in place, so tests and readers' tools can tell.
(function () {
  function draw() {
    document.querySelectorAll("script.edition-chart-spec").forEach(function (script) {
      var target = document.getElementById(script.dataset.target);
      if (!target || target.dataset.drawn) return;
      var spec = JSON.parse(script.textContent);
      var description = target.getAttribute("aria-label") || "";
      window.vegaEmbed(target, spec, { renderer: "svg", actions: false })
        .then(function (result) {
          // vega-embed labels the chart "Vega visualization": put our description back,
          // and let keyboard users reach (and scroll) a chart wider than the screen
          target.setAttribute("role", "img");
          target.setAttribute("aria-label", description);
          target.removeAttribute("aria-roledescription");
          target.tabIndex = 0;
          target.dataset.drawn = "true";
          window.dispatchEvent(new CustomEvent("edition-chart-drawn", { detail: target.id }));
          window.editionChartsDrawnAt = performance.now();  // read by benchmarks/run.py
        })
        .catch(function (err) { console.error("chart " + target.id + ": " + err); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
