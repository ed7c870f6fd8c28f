// "Cite this paragraph": a button beside each paragraph's ¶ label opens, under the paragraph, its
// citation in the form the For teachers page gives, in BibTeX and in CSL-JSON, and its permalink,
// each copied with one click. Keyboard: the button is a disclosure (Enter or Space); the panel
// takes focus; Escape or "Close" shuts it and focus goes back to the button.
//
// Everything comes from the page's one citation record, <script type="application/json"
// id="edition-citation"> (made by cyberspace_edition.extension.citation from CITATION.cff and
// html_baseurl; its docstring gives the record's shape). A paragraph's citation is not written out
// in it: the record has ONE template (data.template, made by the Python that makes every format,
// with a token, data.template.tokens, in place of each value that varies) and, per paragraph, only
// those values (data.paragraphs[id] = [number, index in data.sections]; data.sections[i] =
// [section, part]). `fill` replaces each token, in every string, by its value: plain substitution,
// no formatting here. The build checks that this gives exactly the Python's citation of every
// paragraph. This script also publishes the citations, resolved, for other scripts (the
// assignment handout):
//   window.editionCitation.data           the record as the page carries it
//   window.editionCitation.published      true when html_baseurl gives a published address
//   window.editionCitation.address        that address, or the edition's folder as opened (ends in /)
//   window.editionCitation.edition()      {url, text, bibtex, csl, licence, licenceUrl, version, title}
//   window.editionCitation.paragraph(id)  {id, label, section, name, url, text, bibtex, csl} or null
//   window.editionCitation.copy(text)     a Promise: the text on the clipboard
// Where no address is published, the address in every string is the one the reader opened the
// edition at, and the panel says so.
(function () {
  "use strict";
  var record = document.getElementById("edition-citation");
  if (!record) return;
  var data;
  try { data = JSON.parse(record.textContent); } catch (e) { return; }

  // the edition's folder as opened (no query, no fragment), ending in '/'
  function openedAddress() {
    var u = new URL(data.page.toRoot || "./", location.href);
    u.search = "";
    u.hash = "";
    return u.href;
  }
  var here = data.address || openedAddress();
  function resolve(s) {
    return data.address ? String(s) : String(s).split(data.token).join(here);
  }
  // CSL-JSON as the build shows it: two spaces, a date's parts on one line
  function cslText(csl) {
    return JSON.stringify(csl, null, 2).replace(/\[\s*\[\s*(\d+),\s*(\d+),\s*(\d+)\s*\]\s*\]/g, "[[$1, $2, $3]]");
  }
  // a paragraph's values, by the names of the template's tokens (see the header)
  function values(id) {
    if (!data.template || !Object.prototype.hasOwnProperty.call(data.paragraphs, id)) return null;
    var p = data.paragraphs[id], s = data.sections[p[1]];
    return { id: id, number: String(p[0]), section: s[0], part: s[1], page: data.page.url };
  }
  // the template with each token, in the order of data.template.tokens, replaced by its value
  function fill(value, v) {
    if (typeof value === "string") {
      var tokens = data.template.tokens;
      Object.keys(tokens).forEach(function (k) { value = value.split(tokens[k]).join(v[k]); });
      return value;
    }
    if (Array.isArray(value)) return value.map(function (x) { return fill(x, v); });
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = fill(value[k], v); });
      return out;
    }
    return value;
  }
  function paragraph(id) {
    var v = values(id);
    if (!v) return null;
    var t = data.template;
    return { id: id, label: fill(t.label, v), section: v.section, name: fill(t.name, v), url: resolve(fill(t.url, v)),
             text: resolve(fill(t.text, v)), bibtex: resolve(fill(t.bibtex, v)), csl: resolve(cslText(fill(t.csl, v))) };
  }
  function edition() {
    var e = data.edition;
    return { url: resolve(e.url), text: resolve(e.text), bibtex: resolve(e.bibtex),
             csl: resolve(cslText(e.csl)), licence: e.licence, licenceUrl: e.licenceUrl,
             version: e.version, title: e.title };
  }

  // the clipboard: the async API where the page may use it, else the old copy command
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return copyByCommand(text); });
    }
    return copyByCommand(text);
  }
  function copyByCommand(text) {
    return new Promise(function (ok, fail) {
      var had = document.activeElement;
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.setAttribute("aria-hidden", "true");
      area.style.cssText = "position:fixed;top:0;left:0;opacity:0;";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      area.remove();
      if (had && had.focus) had.focus();
      if (done) { ok(); } else { fail(new Error("the browser refused to copy")); }
    });
  }

  window.editionCitation = { data: data, published: !!data.address, address: here, resolve: resolve,
                             edition: edition, paragraph: paragraph, copy: copy };

  // --- building blocks ------------------------------------------------------------------------
  var HAN = /([\u2e80-\u2fff\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+)/;
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  // English with its Chinese runs marked, so that a screen reader reads each in its own voice
  function mixed(text) {
    return text.split(HAN).filter(Boolean).map(function (part) {
      return HAN.test(part) ? el("span", { lang: "zh-Hans" }, [part]) : document.createTextNode(part);
    });
  }

  function say(status, message) {
    status.textContent = "";
    setTimeout(function () { status.textContent = message; }, 50);
  }

  function copyButton(label, value, status, what) {
    var b = el("button", { type: "button", class: "cite-copy" }, [label]);
    b.addEventListener("click", function () {
      copy(value).then(function () { say(status, "Copied " + what + " to the clipboard."); },
        function () { say(status, "Your browser did not let the page copy: select the text and copy it yourself."); });
    });
    return b;
  }

  // --- the panel of one paragraph -----------------------------------------------------------------
  function panelFor(id, button) {
    var p = paragraph(id);
    var panel = el("div", { class: "cite-panel", id: "cite-" + id, role: "group", lang: "en",
                            "aria-labelledby": "cite-" + id + "-title" });
    var status = el("p", { class: "cite-status", role: "status", "aria-live": "polite" });
    panel.append(el("p", { class: "cite-title", id: "cite-" + id + "-title" },
                     [el("span", { lang: "zh-Hans" }, ["引用"]), " Cite this paragraph: "].concat(mixed(p.name))));
    [["Citation", "text", "the citation", false], ["BibTeX", "bibtex", "the BibTeX entry", true],
     ["CSL-JSON", "csl", "the CSL-JSON item", true]].forEach(function (f) {
      var value = f[3] ? el("pre", { class: "cite-value" }, [p[f[1]]]) : el("p", { class: "cite-value" }, mixed(p[f[1]]));
      panel.append(el("div", { class: "cite-format cite-format-" + f[1] }, [
        el("div", { class: "cite-format-head" }, [el("span", { class: "cite-format-name" }, [f[0]]),
                                                   copyButton("Copy " + (f[1] === "text" ? "citation" : f[0]), p[f[1]], status, f[2])]),
        value]));
    });
    panel.append(el("div", { class: "cite-format cite-format-link" }, [
      el("div", { class: "cite-format-head" }, [el("span", { class: "cite-format-name" }, ["Permalink"]),
                                                 copyButton("Copy link", p.url, status, "the permalink")]),
      el("p", { class: "cite-value" }, [el("a", { href: p.url, class: "cite-permalink" }, [p.url])])]));
    if (!data.address) {
      panel.append(el("p", { class: "cite-note" }, [
        "No published address is set for this edition, so these citations give the address at which you opened it" +
        (location.protocol === "file:" ? ": a file on this computer, which others cannot open." : ".")]));
    }
    panel.append(status);
    var close = el("button", { type: "button", class: "cite-close" }, ["Close"]);
    close.addEventListener("click", function () { shut(button, true); });
    panel.append(close);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.stopPropagation(); shut(button, true); }
    });
    return panel;
  }

  var open = null;  // the button whose panel shows
  function shut(button, focus) {
    var panel = document.getElementById(button.getAttribute("aria-controls"));
    if (panel) panel.hidden = true;
    button.setAttribute("aria-expanded", "false");
    if (open === button) open = null;
    if (focus) button.focus();
  }
  function show(button) {
    if (open && open !== button) shut(open, false);
    var id = button.dataset.para;
    var panel = document.getElementById("cite-" + id);
    if (!panel) {
      panel = panelFor(id, button);
      var pair = button.closest(".para-pair") || button.closest(".source-paragraph");
      pair.append(panel);
    }
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    open = button;
    panel.querySelector(".cite-copy").focus();
  }

  function addButtons() {
    document.querySelectorAll(".source-paragraph[id] .para-label a.para-link").forEach(function (link) {
      var id = link.closest(".source-paragraph").id;
      var p = paragraph(id);
      if (!p || link.parentNode.querySelector(".cite-button")) return;
      // the name: what shows (引用 or Cite, by language mode) and which paragraph
      var button = el("button", { type: "button", class: "cite-button", "aria-expanded": "false",
                                  "aria-controls": "cite-" + id, "data-para": id, title: "Cite this paragraph" }, [
        el("span", { class: "cite-zh", lang: "zh-Hans" }, ["引用"]),
        el("span", { class: "cite-en", lang: "en" }, ["Cite"]),
        el("span", { class: "cite-sr" }, [" " + p.name])]);
      button.addEventListener("click", function () {
        if (button.getAttribute("aria-expanded") === "true") shut(button, false); else show(button);
      });
      button.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
          event.stopPropagation();
          shut(button, true);
        }
      });
      link.after(button);
    });
  }

  // --- the citation blocks made at build time (For teachers): the address in, copy buttons ----------
  function fillStatic() {
    document.querySelectorAll(".edition-citation-block").forEach(function (block) {
      if (!data.address) {  // the address as opened, where the build had none to give
        block.querySelectorAll(".edition-cite-value").forEach(function (value) {
          var target = value.querySelector("pre") || value;
          var text = target.textContent;
          if (text.indexOf(data.noAddress) < 0) return;
          text = text.split(data.noAddress).join(here);
          if (target.tagName === "PRE") { target.textContent = text; return; }
          value.lang = "en";
          value.replaceChildren.apply(value, mixed(text));
        });
      }
      var status = el("p", { class: "cite-status", role: "status", "aria-live": "polite" });
      var names = { "edition-cite-edition-text": ["Copy the citation", "the edition's citation"],
                    "edition-cite-edition-bibtex": ["Copy BibTeX", "the edition's BibTeX entry"],
                    "edition-cite-edition-csl": ["Copy CSL-JSON", "the edition's CSL-JSON item"],
                    "edition-cite-example-text": ["Copy the example", "the example citation"] };
      block.querySelectorAll(".edition-cite-value").forEach(function (value) {
        var kind = Object.keys(names).filter(function (k) { return value.classList.contains(k); })[0];
        if (!kind) return;
        var text = (value.querySelector("pre") || value).textContent.trim();
        value.after(el("p", { class: "cite-static-copy" }, [copyButton(names[kind][0], text, status, names[kind][1])]));
      });
      block.append(status);
    });
  }

  function ready() { addButtons(); fillStatic(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
