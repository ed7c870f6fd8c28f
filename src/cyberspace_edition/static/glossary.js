// The glossary page: a filter by category and a jump bar by pinyin initial.
// Made at build time (cyberspace_edition.extension.glossary_tools): each entry's <dt> and <dd> carry
// the class glossary-category-<category>; entries stand in one box per initial
// (div.glossary-letter#glossary-letter-x); the jump bar links to those boxes; the filter is a form
// that stays hidden without JavaScript, when every entry shows. Here: choosing a category hides
// the other entries, the initials left without entries, and their links in the jump bar, and the
// count ("Showing 105 of 270 entries") is announced (role=status). A link to an entry the filter
// hides (a "Related" link, or an address with #term-…) shows every entry again first.
(function () {
  "use strict";
  var form = document.querySelector(".glossary-filter");
  if (!form) return;
  var entries = Array.prototype.slice.call(document.querySelectorAll("dl.edition-glossary > dt.glossary-entry"));
  var total = entries.length;
  var status = form.querySelector(".glossary-count");

  function categoryOf(dt) {
    for (var i = 0; i < dt.classList.length; i++) {
      var c = dt.classList[i];
      if (c.indexOf("glossary-category-") === 0) return c.slice("glossary-category-".length);
    }
    return "";
  }

  function apply(category) {
    var shown = 0;
    entries.forEach(function (dt) {
      var visible = category === "all" || categoryOf(dt) === category;
      dt.hidden = !visible;
      var dd = dt.nextElementSibling;
      if (dd && dd.tagName === "DD") dd.hidden = !visible;
      if (visible) shown += 1;
    });
    document.querySelectorAll(".glossary-letter").forEach(function (box) {
      var any = box.querySelector("dl.edition-glossary > dt.glossary-entry:not([hidden])");
      box.hidden = !any;
      var link = document.querySelector('.glossary-jump a[href="#' + box.id + '"]');
      if (link) link.parentNode.hidden = !any;
    });
    var label = form.querySelector('input[value="' + category + '"]');
    var name = label ? label.parentNode.textContent.replace(/\s*\(\d+\)\s*$/, "").trim() : category;
    status.textContent = category === "all" ? "Showing all " + total + " entries."
      : "Showing " + shown + " of " + total + " entries: " + name + ".";
  }

  function choose(category) {
    var input = form.querySelector('input[value="' + category + '"]');
    if (input) input.checked = true;
    apply(category);
  }

  form.hidden = false;
  form.addEventListener("change", function (event) {
    if (event.target.name === "glossary-category") apply(event.target.value);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });

  // a link to an entry the filter hides: show every entry, then go there
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && (target.hidden || target.closest("[hidden]"))) {
      choose("all");
      target.scrollIntoView();
    }
  }
  document.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest('a[href^="#term-"]');
    if (!a) return;
    var target = document.getElementById(a.getAttribute("href").slice(1));
    if (target && (target.hidden || target.closest("[hidden]"))) choose("all");
  }, true);
  window.addEventListener("hashchange", reveal);
  reveal();
})();
