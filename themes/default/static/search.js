// Site search (站内搜索) for search/index.html. Reads the query from ?q=, ranks the documents of
// search/index.js (window.GONGSHI_SEARCH, loaded by a <script> tag so it works from file://) and
// shows each hit with its best passage, matching words highlighted.
//
// Queries are cut the way the index was (src/render/search.rs): pairs of adjacent Han characters
// and runs of ASCII letters/digits, so "发展党员公示" typed without spaces still finds "发展党员"
// and "公示" wherever they are. Record text comes from the public (comments): it only ever
// reaches the page through textContent and text nodes, never as HTML.
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var PASSAGE = 80; // characters of a shown passage
  var RERANK = 300; // best candidates whose phrases are checked
  var MIN_COVERAGE = 0.5; // share of the query's weight (and of its terms) a hit must match
  var ORG_KIND = "党组织"; // the kind of org pages in the index (search.rs)

  var index = window.GONGSHI_SEARCH;
  var docs = index && index.v === 1 ? index.docs : null;
  var folded = []; // lazily folded [title, org, text] per doc
  var postings = {}; // term -> absolute doc numbers
  var avgLength = 1;

  function isHan(code) {
    return (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff) ||
      (code >= 0xf900 && code <= 0xfaff) || (code >= 0x20000 && code <= 0x2ffff);
  }

  // Same folding as search.rs: full-width ASCII to ASCII, ASCII to lower case, one unit per unit.
  function fold(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0).toLowerCase();
      else if (c === 0x3000) out += " ";
      else if (c < 128) out += s.charAt(i).toLowerCase();
      else out += s.charAt(i);
    }
    return out;
  }

  function isWordChar(ch) {
    return /[0-9a-z]/.test(ch);
  }

  // A query as index terms (bigrams, words), lone Han characters (found by scanning) and phrases
  // (the space-separated parts, for the bonus of appearing whole).
  function analyze(query) {
    var q = { terms: [], singles: [], phrases: [] };
    function add(list, t) {
      if (list.indexOf(t) < 0) list.push(t);
    }
    var parts = fold(query).split(/\s+/);
    for (var p = 0; p < parts.length; p++) {
      var part = parts[p];
      if (!part) continue;
      var chars = Array.from(part);
      var han = [];
      var word = "";
      for (var i = 0; i <= chars.length; i++) {
        var ch = i < chars.length ? chars[i] : " ";
        if (isHan(ch.codePointAt(0))) {
          han.push(ch);
        } else {
          if (han.length === 1) add(q.singles, han[0]);
          for (var k = 0; k + 1 < han.length; k++) add(q.terms, han[k] + han[k + 1]);
          han = [];
        }
        if (isWordChar(ch)) {
          word += ch;
        } else if (word) {
          add(q.terms, word);
          word = "";
        }
      }
      if (Array.from(part).length > 1) add(q.phrases, part);
    }
    return q;
  }

  function fields(n) {
    if (!folded[n]) folded[n] = [fold(docs[n][1]), fold(docs[n][3]), fold(docs[n][4])];
    return folded[n];
  }

  function docsWithTerm(t) {
    if (postings[t]) return postings[t];
    var list = [];
    var raw = index.terms[t];
    if (raw) {
      var at = 0;
      for (var i = 0; i < raw.length; i++) { at += raw[i]; list.push(at); }
    }
    postings[t] = list;
    return list;
  }

  // A lone character is not an index term: scan every document for it.
  function docsWithChar(ch) {
    if (postings["\u0000" + ch]) return postings["\u0000" + ch];
    var list = [];
    for (var n = 0; n < docs.length; n++) {
      var f = fields(n);
      if (f[0].indexOf(ch) >= 0 || f[1].indexOf(ch) >= 0 || f[2].indexOf(ch) >= 0) list.push(n);
    }
    postings["\u0000" + ch] = list;
    return list;
  }

  function count(text, t) {
    var n = 0;
    for (var at = text.indexOf(t); at >= 0; at = text.indexOf(t, at + t.length)) n++;
    return n;
  }

  // BM25-like weight of one term in one document, with the title and org counted as strong fields.
  function termScore(f, t) {
    var tf = count(f[2], t);
    var norm = tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * f[2].length / avgLength));
    return norm + (f[0].indexOf(t) >= 0 ? 2 : 0) + (f[1].indexOf(t) >= 0 ? 0.5 : 0);
  }

  // Longest piece of `phrase` (at least two characters) found in `text`, in characters.
  function longestPiece(text, phrase) {
    var best = 0;
    for (var i = 0; i + best < phrase.length; i++) {
      for (var j = phrase.length; j - i > Math.max(best, 1); j--) {
        if (text.indexOf(phrase.slice(i, j)) >= 0) { best = j - i; break; }
      }
    }
    return best;
  }

  function search(query) {
    var q = analyze(query);
    var keys = q.terms.concat(q.singles);
    var n = docs.length;
    var weight = {};
    var total = 0;
    var hits = {};
    for (var k = 0; k < keys.length; k++) {
      var t = keys[k];
      var list = t.length === 1 && isHan(t.codePointAt(0)) ? docsWithChar(t) : docsWithTerm(t);
      // A query pair that no document has (often one spanning two words, like 员公 in 党员公示)
      // has no weight; it still counts below, so a query of mostly unknown pairs finds nothing.
      if (!list.length) continue;
      weight[t] = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      total += weight[t];
      for (var i = 0; i < list.length; i++) (hits[list[i]] = hits[list[i]] || []).push(t);
    }
    if (!total) return { q: q, results: [] };
    var scored = [];
    for (var d in hits) {
      if (!Object.prototype.hasOwnProperty.call(hits, d)) continue;
      var doc = Number(d);
      var matched = hits[d];
      var covered = 0;
      var score = 0;
      var f = fields(doc);
      for (var m = 0; m < matched.length; m++) {
        covered += weight[matched[m]];
        score += weight[matched[m]] * termScore(f, matched[m]);
      }
      var coverage = covered / total;
      if (coverage < MIN_COVERAGE || matched.length < keys.length * MIN_COVERAGE) continue;
      scored.push({ doc: doc, score: score * coverage * coverage, terms: matched });
    }
    byScore(scored);
    // Phrases: a hit that has the query's words together (in its title above all) comes first.
    var top = scored.slice(0, RERANK);
    for (var r = 0; r < top.length; r++) {
      var g = fields(top[r].doc);
      for (var p = 0; p < q.phrases.length; p++) {
        var ph = q.phrases[p];
        var inTitle = longestPiece(g[0], ph) / ph.length;
        var inText = longestPiece(g[2], ph) / ph.length;
        top[r].score += total * (3 * inTitle * inTitle + 1.5 * inText * inText);
        // Typing (part of) an org's name is looking for that org: its page comes first.
        if (docs[top[r].doc][2] === ORG_KIND && (g[0].indexOf(ph) >= 0 || g[1].indexOf(ph) >= 0)) {
          top[r].score += 4 * total;
        }
      }
    }
    byScore(top);
    return { q: q, results: top.concat(scored.slice(RERANK)) };
  }

  function byScore(list) {
    list.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
  }

  // Marks (true) every character of `text` that is part of a query term, phrase or lone character.
  function highlightMask(text, q) {
    var low = fold(text);
    var mask = new Array(low.length);
    var needles = q.phrases.concat(q.terms, q.singles);
    for (var i = 0; i < needles.length; i++) {
      var t = needles[i];
      for (var at = low.indexOf(t); at >= 0; at = low.indexOf(t, at + 1)) {
        for (var j = 0; j < t.length; j++) mask[at + j] = true;
      }
    }
    return mask;
  }

  // Appends `text` to `el` as text nodes, highlighted runs wrapped in <mark>: never as HTML.
  function appendHighlighted(el, text, q) {
    var mask = highlightMask(text, q);
    var start = 0;
    for (var i = 1; i <= text.length; i++) {
      if (i < text.length && !!mask[i] === !!mask[start]) continue;
      var piece = text.slice(start, i);
      if (mask[start]) {
        var mark = document.createElement("mark");
        mark.textContent = piece;
        el.appendChild(mark);
      } else {
        el.appendChild(document.createTextNode(piece));
      }
      start = i;
    }
  }

  // The window of the text with the most distinct query words, starting a little before the first.
  function passage(text, q) {
    if (!text) return "";
    var low = fold(text);
    var needles = q.phrases.concat(q.terms, q.singles);
    var found = [];
    for (var i = 0; i < needles.length; i++) {
      for (var at = low.indexOf(needles[i]); at >= 0; at = low.indexOf(needles[i], at + 1)) {
        found.push({ at: at, t: needles[i], phrase: i < q.phrases.length });
      }
    }
    var start = 0;
    var best = -1;
    for (var a = 0; a < found.length; a++) {
      var from = Math.max(0, found[a].at - 12);
      var distinct = {};
      var value = 0;
      for (var b = 0; b < found.length; b++) {
        var h = found[b];
        if (h.at >= from && h.at + h.t.length <= from + PASSAGE && !distinct[h.t]) {
          distinct[h.t] = true;
          value += h.phrase ? 3 * h.t.length : h.t.length;
        }
      }
      if (value > best || (value === best && from < start)) { best = value; start = from; }
    }
    // Never cut a surrogate pair in two.
    if (start > 0 && /[\udc00-\udfff]/.test(text.charAt(start))) start--;
    var end = Math.min(text.length, start + PASSAGE);
    if (end < text.length && /[\ud800-\udbff]/.test(text.charAt(end - 1))) end++;
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  function rootPrefix() {
    var el = document.querySelector('script[src$="search/index.js"]');
    return el ? el.getAttribute("src").replace(/search\/index\.js$/, "") : "../";
  }

  function render(query, found, status, out) {
    var results = found.results;
    if (!results.length) {
      status.textContent = "无结果：没有找到与“" + query + "”相关的内容。请检查有没有错别字，或换用更短、更常用的词再试。";
      return;
    }
    var shown = results.slice(0, MAX_RESULTS);
    status.textContent = "找到 " + results.length + " 条与“" + query + "”相关的结果" +
      (results.length > shown.length ? "，下面列出最相关的 " + shown.length + " 条。" : "。");
    var list = document.createElement("ol");
    list.className = "search-results";
    var root = rootPrefix();
    for (var i = 0; i < shown.length; i++) {
      var d = docs[shown[i].doc];
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = root + d[0];
      appendHighlighted(link, d[1], found.q);
      heading.appendChild(link);
      item.appendChild(heading);
      var meta = document.createElement("p");
      meta.className = "meta";
      meta.textContent = d[2] + (d[3] ? " · " + d[3] : "");
      item.appendChild(meta);
      var text = passage(d[4], found.q);
      if (text) {
        var p = document.createElement("p");
        p.className = "search-passage";
        appendHighlighted(p, text, found.q);
        item.appendChild(p);
      }
      list.appendChild(item);
    }
    out.appendChild(list);
  }

  function queryFromUrl() {
    try {
      return (new URLSearchParams(window.location.search).get("q") || "").trim();
    } catch (e) {
      var m = /[?&]q=([^&#]*)/.exec(window.location.search);
      return m ? decodeURIComponent(m[1].replace(/\+/g, " ")).trim() : "";
    }
  }

  function start() {
    var status = document.getElementById("search-status");
    var out = document.getElementById("search-results");
    var input = document.getElementById("search-q");
    if (!status || !out) return;
    var query = queryFromUrl();
    if (input) input.value = query;
    if (!docs) {
      status.textContent = "搜索索引未能加载（缺少 search/index.js 或版本不符），请重新生成网站。";
      return;
    }
    if (!query) {
      status.textContent = "请输入要查找的内容，例如组织名称、事项名称或留言内容。";
      return;
    }
    var total = 0;
    for (var i = 0; i < docs.length; i++) total += docs[i][4].length;
    avgLength = Math.max(1, total / Math.max(1, docs.length));
    document.title = "“" + query + "”的搜索结果_" + document.title.replace(/^[^_]*_/, "");
    render(query, search(query), status, out);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
