// The language switch: 中文 / English / 对照 (both). The choice is kept in localStorage
// and applied as soon as this script runs in the page head, before first paint; without
// JavaScript both languages show, since the CSS hides nothing until a mode is set.
(function () {
  var KEY = "edition-language";
  var MODES = [
    { mode: "zh", label: "中文", lang: "zh-Hans", title: "只显示中文原文 Chinese only" },
    { mode: "en", label: "English", lang: "en", title: "English only (the edition's rendering)" },
    { mode: "both", label: "对照", lang: "zh-Hans", title: "中英对照 Chinese and English side by side" },
  ];

  var pageMode = null;  // a mode for this page only (an assignment link's lang=, assign.js), not kept
  function current() {
    if (pageMode) return pageMode;
    try { return localStorage.getItem(KEY) || "both"; } catch (e) { return "both"; }
  }

  function apply(mode) {
    document.documentElement.dataset.editionLanguage = mode;
    document.querySelectorAll(".language-switch button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.mode === mode ? "true" : "false");
    });
  }

  function set(mode) {
    pageMode = null;
    try { localStorage.setItem(KEY, mode); } catch (e) { /* private mode: this page only */ }
    apply(mode);
  }

  // The switch sits in the bar above the article (the one with ☰), which stays at the top of
  // the screen on a phone, so that it can be reached from anywhere in a long chapter.
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
      b.lang = m.lang;
      b.textContent = m.label;
      b.title = m.title;
      b.addEventListener("click", function () { set(m.mode); });
      group.appendChild(b);
    });
    var bar = document.querySelector(".bd-header-article .header-article-items__start");
    var article = document.querySelector("article.bd-article");
    if (bar) {
      var item = document.createElement("div");
      item.className = "header-article-item language-switch-item";
      item.appendChild(group);
      bar.appendChild(item);
    } else if (article) {
      article.insertBefore(group, article.firstChild);
    }
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

  // The theme has two ☰ (and two contents) buttons: one in the page header, hidden by
  // sphinx-book-theme, and one in the bar above the article, which readers see. Both theme
  // scripts bind only the first of each (document.querySelector), so the visible ones do
  // nothing, and below 992 px a phone reader cannot open the table of contents. Pass a click
  // on a visible toggle to the bound one: the theme then opens its dialog (or, on a wide
  // screen, folds the sidebar) as it would. Buttons take Enter and Space as clicks.
  function bindSidebarToggles() {
    [".primary-toggle", ".secondary-toggle"].forEach(function (selector) {
      var bound = document.querySelector(selector);
      document.querySelectorAll(selector).forEach(function (button) {
        if (button === bound || !bound) return;
        if (!button.getAttribute("aria-label")) {
          button.setAttribute("aria-label", selector === ".primary-toggle" ? "目录 Table of contents" : "本页目录 On this page");
        }
        button.addEventListener("click", function (event) {
          event.preventDefault();
          bound.click();
        });
      });
    });
  }

  // Tables and other boxes that scroll sideways get keyboard focus and a name, so that a
  // keyboard reader can scroll them too (WCAG 2.1.1; axe: scrollable-region-focusable).
  function focusableScrollers() {
    var boxes = document.querySelectorAll(
      "article.bd-article .pst-scrollable-table-container, article.bd-article table, article.bd-article .edition-chart");
    boxes.forEach(function (box) {
      var style = getComputedStyle(box);
      var scrolls = box.scrollWidth > box.clientWidth + 1 && /(auto|scroll)/.test(style.overflowX);
      if (!scrolls) {
        if (box.dataset.editionScroll) {
          box.removeAttribute("tabindex");
          delete box.dataset.editionScroll;
        }
        return;
      }
      box.dataset.editionScroll = "1";
      box.tabIndex = 0;
      if (box.tagName !== "TABLE" && !box.getAttribute("role")) box.setAttribute("role", "region");
      if (!box.getAttribute("aria-label") && !box.getAttribute("aria-labelledby")) {
        var caption = box.querySelector("caption");
        var heading = caption ? caption.textContent : "";
        if (!heading) {
          var section = box.closest("section");
          var h = section && section.querySelector("h1, h2, h3, h4");
          heading = h ? (h.querySelector(".heading-translation") || h).textContent : "";
        }
        box.setAttribute("aria-label", "Table, scrolls sideways" + (heading ? ": " + heading.replace("#", "").trim() : ""));
      }
    });
  }

  // Tooltips (sphinx-tippy): glossary entries and paragraph previews.
  // - the glossary entry arrives as <dt>…</dt><dd>…</dd>: put it in a <dl>, drop the copied
  //   ids (they would repeat the page's own) and headings (a preview is not a section), and
  //   end with a link to the entry itself;
  // - Escape closes it (WCAG 1.4.13), and it stays open while the pointer moves onto it;
  // - on a touch screen the first tap on a term shows its definition in place; the link in
  //   the tooltip, or a second tap, goes to the glossary.
  function tidyTip(html, href) {
    var box = document.createElement("div");
    box.innerHTML = html;
    box.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    box.querySelectorAll(".headerlink").forEach(function (el) { el.remove(); });
    box.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach(function (h) {
      var p = document.createElement("p");
      p.className = "tippy-heading";
      p.innerHTML = h.innerHTML;
      h.replaceWith(p);
    });
    var dt = box.querySelector(":scope > dt");
    if (dt) {
      var dl = document.createElement("dl");
      dl.className = "tippy-glossary";
      box.querySelectorAll(":scope > dt, :scope > dd").forEach(function (el) { dl.appendChild(el); });
      box.insertBefore(dl, box.firstChild);
      if (href) {
        var more = document.createElement("p");
        more.className = "tippy-more";
        more.lang = "en";
        var a = document.createElement("a");
        a.href = href;
        a.textContent = "Glossary entry: " + dt.textContent.trim();
        more.appendChild(a);
        box.appendChild(more);
      }
    }
    return box.innerHTML;
  }

  function setUpTooltips() {
    if (!window.tippy) return;
    window.tippy.setDefaultProps({
      interactiveBorder: 30,  // a bridge wide enough for a diagonal move from the term to its tooltip
      onCreate: function (instance) {
        var ref = instance.reference;
        var href = ref.getAttribute("href") || "";
        instance.setContent(tidyTip(String(instance.props.content), href.indexOf("glossary.html#") >= 0 ? href : ""));
      },
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        document.querySelectorAll("[data-tippy-root]").forEach(function (root) {
          if (root._tippy && root._tippy.state.isVisible) {
            root._tippy.hide();
          }
        });
      }
    });
    // a tap: was the term's tooltip already showing when the finger came down?
    var tap = null;
    document.addEventListener("pointerdown", function (event) {
      var link = event.target.closest && event.target.closest("article.bd-article a");
      tap = (link && link._tippy && event.pointerType !== "mouse")
        ? { link: link, showing: link._tippy.state.isVisible } : null;
    }, true);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("article.bd-article a");
      if (!link || !tap || tap.link !== link) return;
      if ((link.getAttribute("href") || "").indexOf("glossary.html#") < 0) return;
      if (!tap.showing) {
        event.preventDefault();
        link._tippy.show();
      }
      tap = null;
    }, true);
  }

  // opened from disk (file://), the browser cannot fetch pages for search-result summaries:
  // list the results without them instead of failing on every result
  if (location.protocol === "file:" && typeof DOCUMENTATION_OPTIONS !== "undefined") {
    DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
  }

  window.editionLanguage = { forPage: function (mode) { pageMode = mode; apply(mode); }, current: current };
  apply(current());
  function ready() {
    guardSecondarySidebar(); nameFoldButtons(); build(); bindSidebarToggles(); setUpTooltips();
    focusableScrollers();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  window.addEventListener("load", focusableScrollers);
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(focusableScrollers, 200);
  });
  document.addEventListener("toggle", focusableScrollers, true);  // a fold-out opened
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
