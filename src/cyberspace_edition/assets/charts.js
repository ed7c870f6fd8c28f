// Draw the edition's charts from the Vega-Lite specs embedded in the page, with the
// vega bundle served by the book itself (no CDN). Each chart div gets data-drawn="true"
// when its SVG is in place, so tests and readers' tools can tell.
(function () {
  function draw() {
    document.querySelectorAll("script.edition-chart-spec").forEach(function (script) {
      var target = document.getElementById(script.dataset.target);
      if (!target || target.dataset.drawn) return;
      var spec = JSON.parse(script.textContent);
      window.vegaEmbed(target, spec, { renderer: "svg", actions: false })
        .then(function (result) {
          target.dataset.drawn = "true";
          var svg = target.querySelector("svg");
          if (svg) {
            svg.setAttribute("role", "img");
            svg.setAttribute("aria-label", target.getAttribute("aria-label") || "");
          }
          window.dispatchEvent(new CustomEvent("edition-chart-drawn", { detail: target.id }));
        })
        .catch(function (err) { console.error("chart " + target.id + ": " + err); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
