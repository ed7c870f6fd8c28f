// The language switch: 中文 / English / 对照 (both). The choice is kept in localStorage
// and applied as soon as this script runs in the page head, before first paint; without
// JavaScript both languages show, since the CSS hides nothing until a mode is set.
(function () {
  var KEY = "edition-language";
  var MODES = [
    { mode: "zh", label: "中文", title: "只显示中文原文 Chinese only" },
    { mode: "en", label: "English", title: "English only (the edition's rendering)" },
    { mode: "both", label: "对照", title: "中英对照 Chinese and English side by side" },
  ];

  function current() {
    try { return localStorage.getItem(KEY) || "both"; } catch (e) { return "both"; }
  }

  function apply(mode) {
    document.documentElement.dataset.editionLanguage = mode;
    document.querySelectorAll(".language-switch button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.mode === mode ? "true" : "false");
    });
  }

  function set(mode) {
    try { localStorage.setItem(KEY, mode); } catch (e) { /* private mode: this page only */ }
    apply(mode);
  }

  function build() {
    if (!document.querySelector(".source-paragraph, .translation")) return;
    var group = document.createElement("div");
    group.className = "language-switch";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "语言 Language");
    MODES.forEach(function (m) {
      var b = document.createElement("button");
      b.type = "button";
      b.dataset.mode = m.mode;
      b.textContent = m.label;
      b.title = m.title;
      b.addEventListener("click", function () { set(m.mode); });
      group.appendChild(b);
    });
    var article = document.querySelector("article.bd-article");
    if (article) article.insertBefore(group, article.firstChild);
    apply(current());
  }

  // sphinx-book-theme hides the page's table of contents while margin notes are in view, and
  // throws when a page has no such table (a page without sub-headings): give it an empty one.
  function guardSecondarySidebar() {
    if (!document.querySelector("div.bd-sidebar-secondary")) {
      var stub = document.createElement("div");
      stub.className = "bd-sidebar-secondary";
      stub.hidden = true;
      document.body.appendChild(stub);
    }
  }

  // the theme's navigation folds sections with <summary> elements that hold only an icon:
  // give each a name that screen readers can announce
  function nameFoldButtons() {
    document.querySelectorAll("details > summary").forEach(function (s) {
      if (!s.textContent.trim() && !s.getAttribute("aria-label")) {
        var label = s.parentElement.parentElement.querySelector(":scope > a");
        s.setAttribute("aria-label", "展开或收起 Expand or collapse" + (label ? ": " + label.textContent.trim() : ""));
      }
    });
  }

  // opened from disk (file://), the browser cannot fetch pages for search-result summaries:
  // list the results without them instead of failing on every result
  if (location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
  }

  apply(current());
  function ready() { guardSecondarySidebar(); nameFoldButtons(); build(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  window.addEventListener("storage", function (e) { if (e.key === KEY) apply(current()); });
  // print every folded note and data table
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.edition-note, details.chart-data-details").forEach(function (d) {
      d.dataset.wasOpen = d.open ? "1" : "";
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-was-open]").forEach(function (d) {
      d.open = d.dataset.wasOpen === "1";
      delete d.dataset.wasOpen;
    });
  });
})();
