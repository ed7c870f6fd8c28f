// Teachers' assignments (issue 13): the link a teacher sends, the page it opens, the handout it prints.
//
// A chapter page opened with ?assign=… shows only the assigned paragraphs (with their headings and
// numbers), a banner that says what was assigned, the discussion questions that cite those
// paragraphs, in the language mode and with the layers the link asks for. The grammar, documented
// on the For teachers page (front/for-teachers.md):
//
//   assign=FIRST..LAST | assign=ID(,ID)*   paragraph ids of this page (s3-2-p02); required
//   lang=zh|en|both                         language mode for this page (the reader's choice is kept)
//   notes=on|off                            margin and folded notes (default on)
//   questions=on|off                        discussion questions citing the paragraphs (default on)
//   note=TEXT                               the teacher's instruction, shown as text
//
// Any other parameter is ignored. A bad assign= shows a message and the whole chapter; a bad
// lang/notes/questions value is named in the banner and its default used.
// On the For teachers page the same script runs the form that makes such a link.
// Everything the script needs is in the page (window.EDITION_ASSIGN, the builder's JSON):
// nothing is fetched, so it works from file:// too.
(function () {
  "use strict";
  var root = document.documentElement;
  var ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  var LANGS = { zh: "中文 (Chinese only)", en: "English only", both: "对照 (Chinese and English)" };
  var HAN = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+/g;
  var NOTE_MAX = 300;

  // --- the query string ----------------------------------------------------------------------

  // the name of the other page of this chapter that holds id, from the list of the chapter's pages
  function otherPage(id) {
    var found = "";
    document.querySelectorAll("nav.chapter-pages a[data-ids]").forEach(function (a) {
      if ((" " + a.getAttribute("data-ids") + " ").indexOf(" " + id + " ") >= 0) {
        found = (a.querySelector("[lang='zh-Hans']") || a).textContent.trim();
      }
    });
    return found;
  }

  // {assign: raw string or null, ids: [...], range: bool, lang, notes, questions, note,
  //  errors: [...] (the assignment cannot be shown), warnings: [...] (a default is used)}
  function parse(search, pageIds, headingIds) {
    var params = new URLSearchParams(search);
    var out = { assign: null, ids: [], range: false, lang: null, notes: true, questions: true, note: "",
                errors: [], warnings: [] };
    if (!params.has("assign")) return out;
    var values = params.getAll("assign");
    out.assign = values[0];
    if (values.length > 1) {
      out.errors.push("assign= is given " + values.length + " times; give it once.");
    }
    var value = values[0].trim();
    var named = [];
    if (!value) {
      out.errors.push("assign= is empty: give a range FIRST..LAST or a list ID,ID of paragraph ids.");
    } else if (value.indexOf("..") >= 0) {
      var ends = value.split("..");
      if (ends.length !== 2) {
        out.errors.push("“" + value + "” is not a range: write FIRST..LAST, with one “..”.");
      } else {
        out.range = true;
        named = [ends[0].trim(), ends[1].trim()];
      }
    } else {
      named = value.split(",").map(function (s) { return s.trim(); });
      if (named.some(function (s) { return !s; })) {
        out.errors.push("“" + value + "” has an empty item: separate ids with single commas.");
        named = named.filter(Boolean);
      }
    }
    var where = {};
    pageIds.forEach(function (id, i) { where[id] = i; });
    named.forEach(function (id) {
      if (!id) {
        out.errors.push("The range “" + value + "” lacks an end: write FIRST..LAST.");
      } else if (!ID.test(id)) {
        out.errors.push("“" + id + "” is not a paragraph id (ids look like " + (pageIds[0] || "s3-2-p02") + ").");
      } else if (headingIds.indexOf(id) >= 0) {
        out.errors.push(id + " is a heading, not a paragraph: name the paragraphs under it.");
      } else if (!(id in where)) {
        var other = otherPage(id);  // a chapter on several pages: one link names one page's paragraphs
        if (other) {
          out.errors.push(id + " is on another page of this chapter (“" + other + "”): an assignment " +
            "link names the paragraphs of one page, so make one link for each page.");
        } else {
          out.errors.push("This page has no paragraph " + id + (pageIds.length
            ? "; its paragraphs are " + pageIds[0] + " to " + pageIds[pageIds.length - 1] + "." : "."));
        }
      }
    });
    if (!out.errors.length && named.length) {
      if (out.range) {
        var a = where[named[0]], b = where[named[1]];
        if (a > b) out.errors.push("The range runs backwards: " + named[0] + " comes after " + named[1] + ".");
        else out.ids = pageIds.slice(a, b + 1);
      } else {
        var wanted = {};
        named.forEach(function (id) { wanted[id] = true; });
        out.ids = pageIds.filter(function (id) { return wanted[id]; });
      }
    }
    if (params.has("lang")) {
      var lang = params.get("lang").trim();
      if (LANGS[lang]) out.lang = lang;
      else out.warnings.push("lang=" + lang + " is not zh, en or both: the page keeps its language.");
    }
    ["notes", "questions"].forEach(function (key) {
      if (!params.has(key)) return;
      var v = params.get(key).trim();
      if (v === "off") out[key] = false;
      else if (v !== "on") out.warnings.push(key + "=" + v + " is not on or off: " + key + " are shown.");
    });
    if (params.has("note")) {
      var note = params.get("note").replace(/\s+/g, " ").trim();
      out.note = note.length > NOTE_MAX ? note.slice(0, NOTE_MAX - 1) + "…" : note;
    }
    return out;
  }

  // the canonical query for a choice: the form writes it, the handout cites it
  function query(choice) {
    var ids = choice.ids;
    var assign = choice.range && ids.length > 1 ? ids[0] + ".." + ids[ids.length - 1] : ids.join(",");
    var q = "?assign=" + assign + "&lang=" + choice.lang + "&notes=" + (choice.notes ? "on" : "off") +
      "&questions=" + (choice.questions ? "on" : "off");
    if (choice.note) q += "&note=" + encodeURIComponent(choice.note);
    return q;
  }

  // --- small DOM helpers ---------------------------------------------------------------------

  // text with its Chinese runs marked lang="zh-Hans", inside an English element
  function mixed(parent, textValue) {
    var last = 0;
    String(textValue).replace(HAN, function (run, at) {
      if (at > last) parent.appendChild(document.createTextNode(textValue.slice(last, at)));
      var span = document.createElement("span");
      span.lang = "zh-Hans";
      span.textContent = run;
      parent.appendChild(span);
      last = at + run.length;
      return run;
    });
    if (last < textValue.length) parent.appendChild(document.createTextNode(textValue.slice(last)));
    return parent;
  }

  function make(tag, attrs, textValue) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (textValue !== undefined) mixed(el, textValue);
    return el;
  }

  // --- naming what was assigned ----------------------------------------------------------------

  function info(id) {
    var meta = (window.EDITION_ASSIGN && window.EDITION_ASSIGN.paragraphs) || {};
    if (meta[id]) return meta[id];
    var link = document.querySelector("#" + id + " .para-label a");
    return { n: link ? link.textContent.trim() : id, section: "" };
  }

  // consecutive ids of one section: "¶2–¶4"; otherwise "¶2, ¶4"
  function labels(group, pageIds) {
    var first = pageIds.indexOf(group[0]), last = pageIds.indexOf(group[group.length - 1]);
    if (group.length > 1 && last - first === group.length - 1) {
      return info(group[0]).n + "–" + info(group[group.length - 1]).n;
    }
    return group.map(function (id) { return info(id).n; }).join(", ");
  }

  function groups(ids) {
    var out = [];
    ids.forEach(function (id) {
      var section = info(id).section;
      if (out.length && out[out.length - 1].section === section) out[out.length - 1].ids.push(id);
      else out.push({ section: section, ids: [id] });
    });
    return out;
  }

  // "¶2–¶4 of 三（二）"; "¶1 of 四（一）; ¶1 of 四（三）"
  function describe(ids, pageIds) {
    return groups(ids).map(function (g) {
      return labels(g.ids, pageIds) + (g.section ? " of " + g.section : "");
    }).join("; ");
  }

  function idList(choice) {
    var ids = choice.ids;
    return choice.range && ids.length > 1 ? ids[0] + "–" + ids[ids.length - 1] : ids.join(", ");
  }

  // the For teachers form: 《…》, part 三（二）, ¶3 [s3-2-p03], in <edition>, version v, <address>.
  function citation(choice, pageIds) {
    var meta = window.EDITION_ASSIGN || {};
    var g = groups(choice.ids);
    var where = g.length === 1 && g[0].section
      ? "part " + g[0].section + ", " + labels(g[0].ids, pageIds) : describe(choice.ids, pageIds);
    var page = meta.page || location.pathname.split("/").slice(-2).join("/");
    var address = meta.baseurl ? meta.baseurl + page + query(choice)
      : /^https?:$/.test(location.protocol) ? location.origin + location.pathname + query(choice)
      : page + query(choice);
    return {
      text: (meta.work ? meta.work + ", " : "") + where + " [" + idList(choice) + "], in " +
        (meta.title || document.title) + (meta.version ? ", version " + meta.version : "") + ", ",
      address: address,
      licence: meta.license ? "Editorial content: " + meta.license + "." : "",
    };
  }

  // --- the page ----------------------------------------------------------------------------------

  function pageIdsOf(article) {
    return Array.prototype.map.call(article.querySelectorAll(".source-paragraph[id]"), function (p) { return p.id; });
  }

  // hide what holds nothing kept; keep what is kept, whole
  function prune(el, keep) {
    if (keep.has(el)) return true;
    var kids = Array.prototype.slice.call(el.children);
    var kept = kids.map(function (k) { return prune(k, keep); });
    if (!kept.some(Boolean)) return false;
    kids.forEach(function (k, i) { if (!kept[i]) k.classList.add("assign-out"); });
    return true;
  }

  function mark(article, choice) {
    var assigned = {};
    choice.ids.forEach(function (id) { assigned[id] = true; });
    var keep = new Set();
    var charts = 0;
    article.querySelectorAll(".para-block").forEach(function (block) {
      var p = block.querySelector(".source-paragraph[id]");
      if (!p || !assigned[p.id]) return;
      block.classList.add("assign-in");
      keep.add(block);
      // a chart placed after the paragraph draws its figures: kept on screen, left off the handout
      for (var next = block.nextElementSibling; next && !next.matches(".para-block, section");
        next = next.nextElementSibling) {
        if (next.querySelector(".edition-chart")) {
          next.classList.add("assign-extra");
          keep.add(next);
          charts += 1;
        }
      }
    });
    article.querySelectorAll("section").forEach(function (section) {
      if (!section.querySelector(".para-block.assign-in")) return;
      var h = section.querySelector(":scope > h1, :scope > h2, :scope > h3, :scope > h4");
      if (h) keep.add(h);
    });
    var title = article.querySelector("h1");
    if (title) keep.add(title);
    var questions = 0;
    article.querySelectorAll(".discussion-questions ol").forEach(function (list) {
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.value = i + 1;  // the question keeps its number in the chapter
        var cites = (li.getAttribute("data-cites") || "").split(/\s+/);
        if (choice.questions && cites.some(function (id) { return assigned[id]; })) {
          keep.add(li);
          questions += 1;
        }
      });
    });
    if (questions) {
      article.querySelectorAll(".discussion-questions > .admonition-title").forEach(function (t) { keep.add(t); });
    }
    // a chapter published over several pages lists its questions at the end of its last page
    var elsewhere = !article.querySelector(".discussion-questions") && !!article.querySelector("nav.chapter-pages");
    return { keep: keep, charts: charts, questions: questions, elsewhere: elsewhere };
  }

  function banner(choice, pageIds, found) {
    var box = make("section", { "class": "assign-banner", "aria-labelledby": "assign-banner-title", lang: "en" });
    var h = make("h2", { id: "assign-banner-title", tabindex: "-1" });
    h.appendChild(make("span", { lang: "zh-Hans" }, "作业"));
    h.appendChild(document.createTextNode(" Assignment"));
    box.appendChild(h);
    var what = make("p", { "class": "assign-summary" }, "Assigned: " + describe(choice.ids, pageIds) +
      " (" + idList(choice) + ").");
    box.appendChild(what);
    var layers = [];
    if (choice.lang) layers.push("Language: " + LANGS[choice.lang]);
    layers.push("Notes: " + (choice.notes ? "shown" : "hidden"));
    layers.push(!choice.questions ? "Discussion questions: hidden"
      : found.questions ? "Discussion questions on these paragraphs: " + found.questions
      : found.elsewhere ? "Discussion questions: at the end of the chapter's last page (listed under its heading)"
      : "No discussion question of this chapter cites these paragraphs");
    box.appendChild(make("p", { "class": "assign-layers" }, layers.join(". ") + "."));
    if (choice.note) box.appendChild(noteLine(choice.note));
    choice.warnings.forEach(function (w) { box.appendChild(make("p", { "class": "assign-warning" }, w)); });
    var actions = make("div", { "class": "assign-actions" });
    var whole = make("button", { type: "button", id: "assign-whole", "aria-pressed": "false" },
      "Show the whole chapter");
    whole.addEventListener("click", function () { setWhole(whole.getAttribute("aria-pressed") !== "true"); });
    var print = make("button", { type: "button", id: "assign-print" }, "Print handout");
    print.addEventListener("click", printHandout);
    actions.appendChild(whole);
    actions.appendChild(print);
    box.appendChild(actions);
    return box;
  }

  function noteLine(note) {
    var p = make("p", { "class": "assign-note" }, "Teacher’s note: ");
    var q = document.createElement("q");
    q.textContent = note;  // text, never markup
    q.lang = /[\u4e00-\u9fff]/.test(note) ? "zh-Hans" : "en";
    p.appendChild(q);
    return p;
  }

  function handout(choice, pageIds, found) {
    var meta = window.EDITION_ASSIGN || {};
    var box = make("div", { "class": "assign-handout", lang: "en" });
    var kind = make("p", { "class": "assign-handout-kind" });
    kind.appendChild(make("span", { lang: "zh-Hans" }, "阅读作业"));
    kind.appendChild(document.createTextNode(" Reading assignment: " ));
    mixed(kind, describe(choice.ids, pageIds));
    box.appendChild(kind);
    box.appendChild(make("p", { "class": "assign-handout-title" }, meta.title || document.title));
    if (choice.note) box.appendChild(noteLine(choice.note));
    var cite = citation(choice, pageIds);
    var line = make("p", { "class": "assign-cite" }, "Cite as: " + cite.text);
    line.appendChild(make("span", { "class": "assign-address" }, cite.address));
    line.appendChild(document.createTextNode(". " + cite.licence));
    box.appendChild(line);
    if (found.charts) {
      box.appendChild(make("p", { "class": "assign-charts" }, (found.charts === 1 ? "The chart" : "The " +
        found.charts + " charts") + " beside these paragraphs " + (found.charts === 1 ? "is" : "are") +
        " in the online edition, at the address above."));
    }
    return box;
  }

  var wholeOnPrint = null;

  function setWhole(on) {
    root.classList.toggle("assignment", !on);
    var b = document.getElementById("assign-whole");
    if (b) b.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function printHandout() {
    var b = document.getElementById("assign-whole");
    wholeOnPrint = b && b.getAttribute("aria-pressed") === "true";
    setWhole(false);  // the handout is the assignment, whatever the screen shows
    window.print();
  }

  function errorBanner(choice) {
    var box = make("section", { "class": "assign-banner assign-error", "aria-labelledby": "assign-banner-title",
      lang: "en" });
    var h = make("h2", { id: "assign-banner-title", tabindex: "-1" });
    h.appendChild(document.createTextNode("This assignment link cannot be read "));
    h.appendChild(make("span", { lang: "zh-Hans" }, "作业链接有误"));
    box.appendChild(h);
    var list = make("ul", {});
    choice.errors.concat(choice.warnings).forEach(function (e) { list.appendChild(make("li", {}, e)); });
    box.appendChild(list);
    box.appendChild(make("p", {}, "The whole chapter is shown below. Ask the teacher who sent the link for a " +
      "corrected one; the link’s form is explained on the For teachers page."));
    return box;
  }

  function place(article, box) {
    var h1 = article.querySelector("h1");
    if (h1) h1.insertAdjacentElement("afterend", box);
    else article.insertBefore(box, article.firstChild);
  }

  function showAssignment() {
    var article = document.querySelector("article.bd-article");
    if (!article) return null;
    var pageIds = pageIdsOf(article);
    var headingIds = Array.prototype.map.call(article.querySelectorAll("section[id]"), function (s) { return s.id; });
    var choice = parse(location.search, pageIds, headingIds);
    if (choice.assign === null) return null;
    if (choice.errors.length) {
      var error = errorBanner(choice);
      place(article, error);
      return error.querySelector("h2");
    }
    var found = mark(article, choice);
    var box = banner(choice, pageIds, found);
    var head = handout(choice, pageIds, found);
    place(article, box);
    article.insertBefore(head, article.firstChild);
    found.keep.add(box);
    found.keep.add(head);
    prune(article, found.keep);
    // the page's contents (beside the article, or under its button on a phone) list the kept sections only
    document.querySelectorAll(".bd-sidebar-secondary a[href^='#'], #jb-print-toc a[href^='#']").forEach(function (a) {
      var target = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
      var li = a.closest("li");
      if (li && target && target.closest(".assign-out")) li.classList.add("assign-out");
    });
    root.classList.add("assignment-loaded", "assignment");
    root.classList.toggle("assign-notes-off", !choice.notes);
    document.title = "作业 Assignment: " + describe(choice.ids, pageIds) + " · " + document.title;
    return box.querySelector("h2");
  }

  // in the page head, before the first paint: the link's language, and nothing shown until the
  // assignment is marked (the class is removed whatever happens, so the page is never left blank)
  var early = new URLSearchParams(location.search);
  if (early.has("assign")) {
    root.classList.add("assignment-pending");
    var lang = (early.get("lang") || "").trim();
    if (LANGS[lang] && window.editionLanguage) window.editionLanguage.forPage(lang);
  }

  window.addEventListener("afterprint", function () {
    if (wholeOnPrint) setWhole(true);
    wholeOnPrint = null;
  });

  // --- the form on the For teachers page --------------------------------------------------------

  function builder() {
    var form = document.getElementById("assign-builder");
    var dataNode = document.getElementById("assign-builder-data");
    if (!form || !dataNode) return;
    var data = JSON.parse(dataNode.textContent);
    var $ = function (id) { return document.getElementById(id); };
    var chapter = $("assign-chapter"), first = $("assign-first"), last = $("assign-last");
    var set = $("assign-set"), range = $("assign-range"), link = $("assign-link"), open = $("assign-open");
    var status = $("assign-status");

    function current() {
      return data.chapters.filter(function (c) { return c.doc === chapter.value; })[0] || data.chapters[0];
    }

    function options(select, paragraphs) {
      select.textContent = "";
      paragraphs.forEach(function (p) {
        var o = make("option", { value: p.id, lang: "zh-Hans" });
        o.textContent = p.n + " · " + p.id;
        select.appendChild(o);
      });
    }

    function fill() {
      var c = current();
      options(first, c.paragraphs);
      options(last, c.paragraphs);
      last.value = c.paragraphs[c.paragraphs.length - 1].id;
      set.textContent = "";
      var group = make("div", { role: "group", "aria-label": "Chosen paragraphs" });
      c.paragraphs.forEach(function (p) {
        var label = make("label", { "class": "assign-choice", lang: "zh-Hans" });
        var box = make("input", { type: "checkbox", value: p.id });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + p.n + " · " + p.id));
        group.appendChild(label);
      });
      set.appendChild(group);
    }

    function choice() {
      var c = current();
      var ids = c.paragraphs.map(function (p) { return p.id; });
      var kind = form.querySelector("input[name='assign-kind']:checked").value;
      var chosen;
      if (kind === "range") {
        chosen = ids.slice(ids.indexOf(first.value), ids.indexOf(last.value) + 1);
      } else {
        chosen = Array.prototype.map.call(set.querySelectorAll("input:checked"), function (b) { return b.value; });
      }
      return {
        chapter: c, ids: chosen, range: kind === "range",
        lang: form.querySelector("input[name='assign-lang']:checked").value,
        notes: $("assign-notes").checked, questions: $("assign-questions").checked,
        note: $("assign-note").value.replace(/\s+/g, " ").trim().slice(0, NOTE_MAX),
      };
    }

    function update() {
      var kind = form.querySelector("input[name='assign-kind']:checked").value;
      range.hidden = kind !== "range";
      set.hidden = kind === "range";
      var ch = choice();
      if (!ch.ids.length) {
        link.value = "";
        open.removeAttribute("href");
        status.textContent = "Choose at least one paragraph.";
        return;
      }
      var q = query(ch);
      var absolute = data.baseurl ? data.baseurl + ch.chapter.page + q : new URL(ch.chapter.href + q, location.href).href;
      link.value = absolute;
      open.href = ch.chapter.href + q;
      status.textContent = "";
    }

    first.addEventListener("change", function () {
      if (first.selectedIndex > last.selectedIndex) last.selectedIndex = first.selectedIndex;
    });
    last.addEventListener("change", function () {
      if (last.selectedIndex < first.selectedIndex) first.selectedIndex = last.selectedIndex;
    });
    chapter.addEventListener("change", fill);
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
    link.addEventListener("focus", function () { link.select(); });
    $("assign-copy").addEventListener("click", function () {
      update();
      if (!link.value) return;
      var done = function () { status.textContent = "Link copied."; };
      var fallback = function () {
        link.focus();
        link.select();
        var ok = false;
        try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
        status.textContent = ok ? "Link copied." : "Select the link and copy it (Ctrl+C or ⌘C).";
      };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(link.value).then(done, fallback);
      else fallback();
    });
    fill();
    update();
  }

  function ready() {
    var heading = null;
    try {
      heading = showAssignment();
    } finally {
      root.classList.remove("assignment-pending");
    }
    // the reader lands on what was assigned (or on what is wrong with the link)
    if (heading) heading.focus();
    builder();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
