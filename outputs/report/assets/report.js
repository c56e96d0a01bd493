/* extract report: the claims, articles and register views.
   Data files under data/ call EXTRACT.put(key, value); they are loaded with script tags
   (which work from file://) and only when a view needs them. */
"use strict";

var EXTRACT = (function () {
  var store = {}, waiting = {};
  var CLAIMS_PER_SCREEN = 25, DOCS_LISTED = 300;
  var SLOT_LABELS = ["supplier", "recipient", "weapon", "family", "status", "quantity", "value_usd", "people",
                     "speaker", "quote", "place", "parties", "name", "polarity", "attributed_to", "date_text",
                     "date_value", "date_basis", "first_published", "n_sources", "n_independent", "sources",
                     "uncertainty"];

  function put(key, value) {
    store[key] = value;
    (waiting[key] || []).forEach(function (w) { w[0](value); });
    delete waiting[key];
  }

  function load(key) {
    return new Promise(function (resolve, reject) {
      if (key in store) { resolve(store[key]); return; }
      var first = !waiting[key];
      (waiting[key] = waiting[key] || []).push([resolve, reject]);
      if (!first) return;
      var script = document.createElement("script");
      script.src = "data/" + key + ".js";
      script.onerror = function () {
        (waiting[key] || []).forEach(function (w) { w[1](new Error("cannot load data/" + key + ".js")); });
        delete waiting[key];
      };
      document.head.appendChild(script);
    });
  }

  function esc(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function el(tag, attrs, html) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (html != null) node.innerHTML = html;
    return node;
  }

  function unique(values) {
    return Array.from(new Set(values.filter(function (v) { return v; }))).sort();
  }

  function options(values, all) {
    return '<option value="">' + esc(all) + "</option>" + values.map(function (v) {
      return '<option value="' + esc(v) + '">' + esc(v) + "</option>";
    }).join("");
  }

  function fail(error) {
    document.getElementById("main").appendChild(el("p", {"class": "error"}, esc(error.message || error)));
  }

  /* ---------------------------------------------------------------- claims view */

  function markEvidence(text, marks) {
    var out = "", at = 0;
    (marks || []).forEach(function (m) {
      if (m[0] < at || m[1] > text.length) return;
      out += esc(text.slice(at, m[0])) + '<mark class="slot slot-' + esc(m[2]) + '" data-slot="' + esc(m[2]) + '">' +
             esc(text.slice(m[0], m[1])) + "<sub>" + esc(m[2]) + "</sub></mark>";
      at = m[1];
    });
    return out + esc(text.slice(at));
  }

  function claimCard(detail, summary) {
    var c = detail.claim, card = el("article", {"class": "claim", id: detail.id, "data-type": summary.type});
    var review = c.review_status ? '<span class="badge ' + esc(c.review_status) + '">' + esc(c.review_status) + "</span>" :
      '<span class="badge">not reviewed</span>';
    var html = "<header><span class=\"badge type\">" + esc(c.claim_type) + "</span>" +
      '<span class="head">' + esc(summary.head) + "</span>" + review +
      '<span class="muted">' + esc(c.n_sources) + " source(s), " + esc(c.n_independent) + " independent</span>" +
      '<a class="permalink" href="#' + esc(detail.id) + '" title="stable address of this claim">#' + esc(detail.id) + "</a></header>";
    html += '<div class="slots">' + SLOT_LABELS.filter(function (k) { return c[k]; }).map(function (k) {
      return "<span><b>" + esc(k) + ":</b> " + esc(c[k]) + "</span>";
    }).join("") + "</div>";
    if (c.conflicts) html += '<div class="conflicts"><b>Conflicts:</b> ' + esc(c.conflicts) + "</div>";
    html += '<div class="review"><b>Review:</b> ' + (c.review_status ? esc(c.review_status) : "none yet") +
      (c.review_note ? " — " + esc(c.review_note) : "") + "</div>";
    html += '<div class="sources">' + detail.sources.map(function (s) {
      var outlet = s.source || s.attributed_to || s.doc;
      return '<section class="source" data-doc="' + esc(s.doc) + '"><div class="meta"><b>' + esc(outlet) + "</b> · " +
        esc(s.published || "date unknown") + ' · <a href="articles.html#' + encodeURIComponent(s.doc) + '">' +
        esc(s.title || s.doc) + "</a>" + (s.url ? ' · <a href="' + esc(s.url) + '" rel="noreferrer">url</a>' : "") +
        '</div><p class="evidence">' + markEvidence(s.evidence, s.marks) + '</p><div class="basis">' +
        esc(s.rule) + (s.basis ? ": " + esc(s.basis) : "") + "</div></section>";
    }).join("") + "</div>";
    card.innerHTML = html;
    return card;
  }

  function claimsView(main, index) {
    var filters = [
      ["type", "type", "all types", unique(index.map(function (c) { return c.type; }))],
      ["country", "country", "all countries", unique([].concat.apply([], index.map(function (c) { return c.countries; })))],
      ["system", "system", "all systems", unique(index.map(function (c) { return c.system; }))],
      ["status", "status", "all statuses", unique(index.map(function (c) { return c.status; }))],
      ["review", "review status", "any review", ["accepted", "rejected", "needs_check", "(none)"]]
    ];
    main.innerHTML = "<h1>Claims</h1>";
    var form = el("form", {"class": "filters", id: "filters"});
    form.innerHTML = filters.map(function (f) {
      return "<label>" + esc(f[1]) + ' <select name="' + f[0] + '" id="f-' + f[0] + '">' + options(f[3], f[2]) + "</select></label>";
    }).join("") +
      '<label>from <input name="from" id="f-from" placeholder="YYYY[-MM[-DD]]" size="10"></label>' +
      '<label>to <input name="to" id="f-to" placeholder="YYYY[-MM[-DD]]" size="10"></label>' +
      '<label>words <input name="q" id="f-q" placeholder="in the summary" size="14"></label>' +
      '<button type="reset" id="f-reset">clear</button>';
    main.appendChild(form);
    var pager = el("div", {"class": "pager"});
    pager.innerHTML = '<button id="prev">◀ previous</button><span id="count"></span><button id="next">next ▶</button>';
    main.appendChild(pager);
    var list = el("div", {id: "claims"});
    main.appendChild(list);
    var state = {shown: index, page: 0, version: 0};

    function keep(c, f) {
      if (f.type && c.type !== f.type) return false;
      if (f.country && c.countries.indexOf(f.country) < 0) return false;
      if (f.system && c.system !== f.system) return false;
      if (f.status && c.status !== f.status) return false;
      if (f.review && (f.review === "(none)" ? c.review : c.review !== f.review)) return false;
      if (f.from && !(c.to && c.to.slice(0, f.from.length) >= f.from)) return false;
      if (f.to && !(c.from && c.from.slice(0, f.to.length) <= f.to)) return false;
      if (f.q && c.head.toLowerCase().indexOf(f.q.toLowerCase()) < 0) return false;
      return true;
    }

    function current() {
      var f = {};
      Array.prototype.forEach.call(form.elements, function (e) { if (e.name) f[e.name] = e.value.trim(); });
      return f;
    }

    function render() {
      var version = ++state.version, pages = Math.max(1, Math.ceil(state.shown.length / CLAIMS_PER_SCREEN));
      state.page = Math.min(state.page, pages - 1);
      var slice = state.shown.slice(state.page * CLAIMS_PER_SCREEN, (state.page + 1) * CLAIMS_PER_SCREEN);
      document.getElementById("count").textContent = state.shown.length + " of " + index.length + " claims · page " +
        (state.page + 1) + " of " + pages;
      document.getElementById("prev").disabled = state.page === 0;
      document.getElementById("next").disabled = state.page >= pages - 1;
      var needed = unique(slice.map(function (c) { return "claims-" + c.page; }));
      return Promise.all(needed.map(load)).then(function (chunks) {
        if (version !== state.version) return;
        var details = {};
        chunks.forEach(function (chunk) { chunk.forEach(function (d) { details[d.id] = d; }); });
        list.innerHTML = "";
        slice.forEach(function (c) { list.appendChild(claimCard(details[c.id], c)); });
        list.setAttribute("data-rendered", String(version));
      });
    }

    function refilter() {
      var f = current();
      state.shown = index.filter(function (c) { return keep(c, f); });
      state.page = 0;
      return render();
    }

    function goToHash() {
      var id = decodeURIComponent(location.hash.slice(1));
      if (!id) return;
      var at = state.shown.findIndex(function (c) { return c.id === id; });
      if (at < 0 && index.some(function (c) { return c.id === id; })) {
        Array.prototype.forEach.call(form.elements, function (e) { if (e.name) e.value = ""; });
        state.shown = index;
        at = index.findIndex(function (c) { return c.id === id; });
      }
      if (at < 0) return;
      state.page = Math.floor(at / CLAIMS_PER_SCREEN);
      render().then(function () {
        var card = document.getElementById(id);
        if (!card) return;
        Array.prototype.forEach.call(document.querySelectorAll(".claim.target"), function (n) { n.classList.remove("target"); });
        card.classList.add("target");
        card.scrollIntoView();
      });
    }

    form.addEventListener("change", refilter);
    form.addEventListener("input", function (e) { if (e.target.tagName === "INPUT") refilter(); });
    form.addEventListener("reset", function () { setTimeout(refilter, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); refilter(); });
    document.getElementById("prev").addEventListener("click", function () { state.page--; render(); });
    document.getElementById("next").addEventListener("click", function () { state.page++; render(); });
    window.addEventListener("hashchange", goToHash);
    if (location.hash) goToHash(); else render().catch(fail);
  }

  /* ---------------------------------------------------------------- article view */

  function articleHtml(doc, links, heads) {
    var text = doc.text, cuts = new Set([0, text.length]);
    var entities = [], end = -1;
    doc.entities.slice().sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; }).forEach(function (e) {
      if (e[0] >= end) { entities.push(e); end = e[1]; }  /* overlapping entities: the first, longest */
    });
    entities.forEach(function (e) { cuts.add(e[0]); cuts.add(e[1]); });
    doc.mentions.forEach(function (m) { cuts.add(m[0]); cuts.add(m[1]); });
    var points = Array.from(cuts).sort(function (a, b) { return a - b; }), out = "", ei = 0;
    for (var i = 0; i + 1 < points.length; i++) {
      var s = points[i], t = points[i + 1];
      doc.mentions.forEach(function (m) {
        if (m[0] !== s) return;
        var claim = links[m[3]] || "";
        out += '<a class="claim-link" data-mention="' + esc(m[3]) + '" data-claim="' + esc(claim) + '" href="claims.html#' +
          encodeURIComponent(claim) + '" title="' + esc(heads[claim] || m[2]) + '">' + esc(m[2]) + "</a>";
      });
      while (ei < entities.length && entities[ei][1] <= s) ei++;
      var ent = ei < entities.length && entities[ei][0] <= s && t <= entities[ei][1] ? entities[ei] : null;
      var claims = doc.mentions.filter(function (m) { return m[0] <= s && t <= m[1]; });
      var piece = esc(text.slice(s, t));
      if (ent) {
        piece = '<mark class="ent ent-' + esc(ent[2]) + '" title="' + esc(ent[3] + (ent[4] ? " (" + ent[4] + ")" : "")) + '">' +
          piece + (t === ent[1] ? '<span class="lbl">' + esc(ent[2]) + "</span>" : "") + "</mark>";
      }
      if (claims.length) {
        piece = '<span class="in-claim" data-claims="' + esc(claims.map(function (m) { return links[m[3]] || ""; }).join(" ")) +
          '">' + piece + "</span>";
      }
      out += piece;
    }
    return out;
  }

  function articlesView(main, docs, index) {
    var heads = {};
    index.forEach(function (c) { heads[c.id] = c.head; });
    main.innerHTML = '<div class="layout"><aside class="doclist"><input id="doc-filter" placeholder="filter articles">' +
      '<div id="docs"></div></aside><section id="article"></section></div>';
    var listBox = document.getElementById("docs"), box = document.getElementById("article");

    function list() {
      var q = document.getElementById("doc-filter").value.toLowerCase(), here = decodeURIComponent(location.hash.slice(1));
      var shown = docs.filter(function (d) { return (d.id + " " + d.title + " " + d.source).toLowerCase().indexOf(q) >= 0; });
      listBox.innerHTML = shown.slice(0, DOCS_LISTED).map(function (d) {
        return '<a href="#' + encodeURIComponent(d.id) + '"' + (d.id === here ? ' class="here"' : "") + ">" +
          esc(d.title || d.id) + '<br><span class="muted">' + esc([d.source, d.published, d.id].filter(Boolean).join(" · ")) +
          "</span></a>";
      }).join("") + (shown.length > DOCS_LISTED ? '<p class="note">' + (shown.length - DOCS_LISTED) +
        " more: type to filter</p>" : "");
    }

    function show() {
      list();
      var id = decodeURIComponent(location.hash.slice(1)) || (docs[0] && docs[0].id);
      var doc = docs.find(function (d) { return d.id === id; });
      if (!doc) { box.innerHTML = '<p class="note">No article.</p>'; return; }
      var head = "<h1>" + esc(doc.title || doc.id) + '</h1><p class="muted">' +
        esc([doc.source, doc.published, doc.id].filter(Boolean).join(" · ")) +
        (doc.url ? ' · <a href="' + esc(doc.url) + '" rel="noreferrer">' + esc(doc.url) + "</a>" : "") + "</p>";
      if (doc.status !== "ok") { box.innerHTML = head + '<p class="error">skipped: ' + esc(doc.reason) + "</p>"; return; }
      Promise.all([load("doc-" + doc.n), load("links-" + doc.n)]).then(function (data) {
        box.innerHTML = head + '<div class="legend">' + ["WEAPON", "PERSON", "COUNTRY", "DATE"].map(function (t) {
          return '<mark class="ent ent-' + t + '">' + t + "</mark>";
        }).join("") + '<span class="in-claim">claim evidence</span></div><div class="article-text" id="text">' +
          articleHtml(data[0], data[1], heads) + "</div>";
      }).catch(fail);
    }

    document.getElementById("doc-filter").addEventListener("input", list);
    window.addEventListener("hashchange", show);
    show();
  }

  /* ---------------------------------------------------------------- register view */

  function years(cell) { return (String(cell || "").match(/\b(1[89]|2\d)\d\d\b/g) || []).map(Number); }

  /* [year, number] of each delivery: from "deliveries" ("2022: 2 [A]; 2023: 2 [B]") when the register has it */
  function batches(row) {
    var found = [], pattern = /\b((?:1[89]|2\d)\d\d)\b[^:;]*:\s*([^\[;]*)/g, m;
    while ((m = pattern.exec(String(row.deliveries || "")))) found.push([Number(m[1]), m[2].trim()]);
    if (found.length) return found;
    var numbers = String(row.number_delivered || "").split(";"), ys = years(row.years_of_delivery);
    return ys.map(function (y, k) { return [y, numbers.length === ys.length ? numbers[k].trim() : ""]; });
  }

  function timeline(rows) {
    rows = rows.filter(function (r) { return years(r.year_of_order).length || years(r.years_of_delivery).length; });
    var all = [].concat.apply([], rows.map(function (r) { return years(r.year_of_order).concat(years(r.years_of_delivery)); }));
    if (!all.length) return '<p class="note">No dated orders or deliveries.</p>';
    var lo = Math.min.apply(null, all), hi = Math.max.apply(null, all), step = 56, left = 170, height = 22;
    var pairs = {};
    rows.forEach(function (r) {
      var pair = (r.supplier || "?") + " → " + (r.recipient || "?");
      (pairs[pair] = pairs[pair] || []).push(r);
    });
    var x = function (y) { return left + (y - lo) * step + step / 2; }, width = left + (hi - lo + 1) * step;
    return Object.keys(pairs).sort().map(function (pair) {
      var members = pairs[pair], h = (members.length + 1) * height + 4, svg = "";
      for (var y = lo; y <= hi; y++) {
        svg += '<line class="axis" x1="' + x(y) + '" x2="' + x(y) + '" y1="0" y2="' + (h - height) + '"/>' +
          '<text x="' + (x(y) - 14) + '" y="' + (h - 6) + '">' + y + "</text>";
      }
      members.forEach(function (r, i) {
        var cy = i * height + height / 2 + 2;
        svg += '<text x="0" y="' + (cy + 4) + '">' + esc(r.weapon_designation).slice(0, 26) + "</text>";
        years(r.year_of_order).forEach(function (y) {
          svg += '<circle class="order" cx="' + x(y) + '" cy="' + cy + '" r="6"><title>ordered ' + y + " " +
            esc(r.number_ordered) + "</title></circle>";
        });
        batches(r).forEach(function (batch) {
          var y = batch[0], n = batch[1];
          svg += '<rect class="delivery" x="' + (x(y) - 6) + '" y="' + (cy - 6) + '" width="12" height="12"><title>delivered ' +
            y + (n ? ": " + esc(n) : "") + "</title></rect>" + (n ? '<text x="' + (x(y) + 9) + '" y="' + (cy + 4) + '">' + esc(n) + "</text>" : "");
        });
      });
      return '<div class="pair">' + esc(pair) + '</div><svg width="' + width + '" height="' + h + '" role="img" aria-label="' +
        esc(pair) + '">' + svg + "</svg>";
    }).join("");
  }

  function registerView(main, data) {
    var columns = data.columns, rows = data.rows.map(function (values) {
      var row = {};
      columns.forEach(function (c, i) { row[c] = values[i]; });
      return row;
    });
    main.innerHTML = "<h1>Transfer register</h1>" +
      '<h2>Deliveries by supplier → recipient</h2><p class="note">○ order, ■ delivery (with the number delivered when the sources give it); rows without a year are in the table only</p>' +
      '<div class="timeline" id="timeline">' + timeline(rows) + "</div>" +
      "<h2>transfers.csv</h2>" + '<table class="register" id="register"><thead><tr>' +
      columns.map(function (c) { return "<th>" + esc(c) + "</th>"; }).join("") + "</tr></thead><tbody>" +
      rows.map(function (r) {
        return "<tr>" + columns.map(function (c) {
          if (c === "claim_ids") {
            return "<td>" + String(r[c] || "").split(";").filter(Boolean).map(function (id) {
              return '<a href="claims.html#' + encodeURIComponent(id) + '">' + esc(id) + "</a>";
            }).join(" ") + "</td>";
          }
          return "<td>" + esc(r[c]) + "</td>";
        }).join("") + "</tr>";
      }).join("") + "</tbody></table>" + (rows.length ? "" : '<p class="note">No transfer claims.</p>');
  }

  function start(page) {
    var main = document.getElementById("main");
    var here = document.querySelector('[data-nav="' + page + '"]');
    if (here) here.classList.add("here");
    var ready;
    if (page === "claims") {
      ready = load("claims-index").then(function (index) { claimsView(main, index); });
    } else if (page === "articles") {
      ready = Promise.all([load("docs"), load("claims-index")]).then(function (d) { articlesView(main, d[0], d[1]); });
    } else {
      ready = load("register").then(function (rows) { registerView(main, rows); });
    }
    ready.then(function () { document.body.setAttribute("data-ready", "1"); }).catch(fail);
  }

  return {put: put, load: load, start: start};
})();

document.addEventListener("DOMContentLoaded", function () { EXTRACT.start(document.body.getAttribute("data-page")); });
