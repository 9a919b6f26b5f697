// Site search (站内搜索) for search/index.html. Reads the query from ?q=, loads only the parts of the
// index the query needs and shows the best hits with their best passage, matching words highlighted.
//
// The index (src/render/search/, docs/search.md) is split so that a phone downloads little:
//   search/index.js    the entry (window.GONGSHI_SEARCH): version, hash, shard and document counts;
//   search/t/<n>.js    term shards: term -> documents holding it, each with a weight digit;
//   search/d/<n>.js    document chunks: [url, title, kind, org, text] of `chunk` documents each.
// Every file is a script that calls back (index.onTerms / index.onDocs), because from file:// a
// <script> tag is the only way to load data. A query loads its terms' shards, ranks from them, and
// then loads only the chunks of the hits it shows (and of the few whose phrase bonus it must check).
//
// Queries are cut the way the index was: pairs of adjacent Han characters and runs of ASCII
// letters/digits (a lone Han character is looked up in titles and org names), so "发展党员公示"
// typed without spaces still finds "发展党员" and "公示" wherever they are. Record text comes from
// the public (comments): it only ever reaches the page through textContent and text nodes.
(function () {
  "use strict";

  var PAGE = 10; // results shown at a time; "显示更多结果" shows the next ones
  var PASSAGE = 80; // characters of a shown passage
  var MIN_COVERAGE = 0.5; // share of the query's weight (and of its terms) a hit must match
  var MAX_ROUNDS = 4; // rounds of chunk loading to settle the order of one page of results
  var ORG_KIND = "党组织"; // the kind of org pages (documents.rs)
  var HASH = "fnv1a32-fmix32"; // how a term finds its shard (files.rs shard_of)
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  var index = window.GONGSHI_SEARCH;
  var usable = !!index && index.v === 2 && index.hash === HASH;
  var digit = [];
  for (var di = 0; di < DIGITS.length; di++) digit[DIGITS.charCodeAt(di)] = di;

  // ---- Loading: every index file is a script that hands its data to a callback. ----

  var loaded = {}; // "t3" / "d5" -> data
  var requested = {};
  var waiters = {}; // file key -> callbacks waiting for it

  if (usable) {
    index.onTerms = function (n, terms) { arrived("t" + n, terms); };
    index.onDocs = function (n, rows) { arrived("d" + n, rows); };
  }

  function arrived(key, data) {
    loaded[key] = data;
    var w = waiters[key] || [];
    delete waiters[key];
    for (var i = 0; i < w.length; i++) w[i](true);
  }

  function failed(key) {
    var w = waiters[key] || [];
    delete waiters[key];
    for (var i = 0; i < w.length; i++) w[i](false);
  }

  function rootPrefix() {
    var el = document.querySelector('script[src$="search/index.js"]');
    return el ? el.getAttribute("src").replace(/search\/index\.js$/, "") : "../";
  }

  // The path of an index file, as routes.rs makes it: search/t/<n>.js, search/d/<n>.js.
  function request(key) {
    requested[key] = true;
    var s = document.createElement("script");
    s.src = rootPrefix() + "search/" + key.charAt(0) + "/" + key.slice(1) + ".js";
    s.charset = "utf-8";
    s.onerror = function () { failed(key); };
    // A file that loaded but did not call back is as good as missing.
    s.onload = function () { if (!(key in loaded)) failed(key); };
    document.head.appendChild(s);
  }

  // Calls done(true) once every file of `keys` has arrived, done(false) if one cannot be loaded.
  function need(keys, done) {
    var missing = [];
    for (var i = 0; i < keys.length; i++) {
      if (!(keys[i] in loaded) && missing.indexOf(keys[i]) < 0) missing.push(keys[i]);
    }
    var left = missing.length;
    var over = false;
    if (!left) return done(true);
    function one(ok) {
      if (over) return;
      if (!ok || --left === 0) {
        over = true;
        done(ok);
      }
    }
    for (var j = 0; j < missing.length; j++) {
      (waiters[missing[j]] = waiters[missing[j]] || []).push(one);
      if (!requested[missing[j]]) request(missing[j]);
    }
  }

  // FNV-1a over the term's code points, MurmurHash3's finalizer, modulo the shard count.
  function shardOf(term) {
    var h = 0x811c9dc5;
    for (var i = 0; i < term.length; i++) {
      var c = term.codePointAt(i);
      if (c > 0xffff) i++;
      h = Math.imul(h ^ c, 0x01000193);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return (h >>> 0) & (index.shards - 1);
  }

  function chunkOf(doc) {
    return "d" + Math.floor(doc / index.chunk);
  }

  function row(doc) {
    return loaded[chunkOf(doc)][doc % index.chunk];
  }

  // ---- Queries ----

  function isHan(code) {
    return (code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff) ||
      (code >= 0xf900 && code <= 0xfaff) || (code >= 0x20000 && code <= 0x2ffff);
  }

  // Same folding as terms.rs: full-width ASCII to ASCII, ASCII to lower case, one unit per unit.
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

  // A query as index terms (pairs, words), lone Han characters, and phrases: the space-separated
  // parts, each with its own terms in order (for the bonus of appearing whole).
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
      var own = [];
      var allHan = true;
      var han = [];
      var word = "";
      for (var i = 0; i <= chars.length; i++) {
        var ch = i < chars.length ? chars[i] : " ";
        if (isHan(ch.codePointAt(0))) {
          han.push(ch);
        } else {
          if (i < chars.length) allHan = false;
          if (han.length === 1) { add(q.singles, han[0]); own.push(han[0]); }
          for (var k = 0; k + 1 < han.length; k++) { add(q.terms, han[k] + han[k + 1]); own.push(han[k] + han[k + 1]); }
          han = [];
        }
        if (isWordChar(ch)) {
          word += ch;
        } else if (word) {
          add(q.terms, word);
          own.push(word);
          word = "";
        }
      }
      if (chars.length > 1) q.phrases.push({ text: part, keys: own, han: allHan });
    }
    return q;
  }

  var decoded = {}; // term -> { docs: [...], weights: [...] }

  // A term's posting string: for each document the gap from the previous one in base-32 digits
  // (a digit of 32 or more means more follow), then its weight digit.
  function postings(term) {
    if (decoded[term]) return decoded[term];
    var list = { docs: [], weights: [] };
    var s = loaded["t" + shardOf(term)][term] || "";
    var doc = 0;
    for (var i = 0; i < s.length;) {
      var n = 0;
      var shift = 0;
      var d;
      while ((d = digit[s.charCodeAt(i++)]) >= 32) {
        n += (d & 31) * Math.pow(2, shift);
        shift += 5;
      }
      doc += n + d * Math.pow(2, shift);
      list.docs.push(doc);
      list.weights.push(digit[s.charCodeAt(i++)]);
    }
    decoded[term] = list;
    return list;
  }

  // BM25-like weight of a term in a document from its weight digit (saturated count in 15 levels,
  // 16: in the title, 32: in the org), with the title and org counted as strong fields.
  function termScore(w) {
    return (w & 15) * 2.2 / 15 + (w & 16 ? 2 : 0) + (w & 32 ? 0.5 : 0);
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

  // The longest run of the phrase's terms, in order, whose weight digit has `bit`.
  function run(hit, phrase, bit) {
    var best = 0;
    var now = 0;
    for (var i = 0; i < phrase.keys.length; i++) {
      now = (hit.w[phrase.keys[i]] || 0) & bit ? now + 1 : 0;
      best = Math.max(best, now);
    }
    return best;
  }

  // Bounds of a phrase's bonus from the postings alone: a Han phrase of n characters whose pairs
  // are in a field k in a row holds at most k + 1 characters of it there, and at least 2 if k > 0.
  function phraseBounds(hit, phrase, total, isOrg) {
    var len = phrase.text.length;
    var n = phrase.keys.length;
    var fields = [run(hit, phrase, 16), run(hit, phrase, 15), run(hit, phrase, 32)];
    var up = [];
    var low = [];
    for (var f = 0; f < 2; f++) {
      var k = fields[f];
      if (phrase.han) {
        up.push(k ? Math.min(1, (k + 1) / len) : 0);
        low.push(k ? Math.min(1, 2 / len) : 0);
      } else {
        up.push(k ? 1 : 0);
        low.push(n === 1 && phrase.keys[0] === phrase.text ? up[f] : 0);
      }
    }
    var whole = isOrg && n > 0 && (fields[0] === n || fields[2] === n);
    var exactWhole = whole && n === 1 && phrase.keys[0] === phrase.text;
    return {
      up: total * (3 * up[0] * up[0] + 1.5 * up[1] * up[1]) + (whole ? 4 * total : 0),
      low: total * (3 * low[0] * low[0] + 1.5 * low[1] * low[1]) + (exactWhole ? 4 * total : 0),
    };
  }

  // The phrase bonus from the document's own words: a hit that has the query's words together
  // (in its title above all) comes first; typing (part of) an org's name puts its page first.
  function phraseBonus(doc, q, total) {
    var r = row(doc);
    var title = fold(r[1]);
    var org = fold(r[3]);
    var text = fold(r[4]);
    var bonus = 0;
    for (var p = 0; p < q.phrases.length; p++) {
      var ph = q.phrases[p].text;
      var inTitle = longestPiece(title, ph) / ph.length;
      var inText = longestPiece(text, ph) / ph.length;
      bonus += total * (3 * inTitle * inTitle + 1.5 * inText * inText);
      if (r[2] === ORG_KIND && (title.indexOf(ph) >= 0 || org.indexOf(ph) >= 0)) bonus += 4 * total;
    }
    return bonus;
  }

  function orgPages() {
    var set = {};
    var at = 0;
    for (var i = 0; i < index.orgs.length; i++) {
      at += index.orgs[i];
      set[at] = true;
    }
    return set;
  }

  // Ranks from the postings: every hit gets a score and, until its chunk is read, an upper bound
  // (`up`) for its phrase bonus; `exact` hits need no chunk to be placed.
  function rank(q) {
    var keys = q.terms.concat(q.singles);
    var n = index.docs;
    var weight = {};
    var total = 0;
    var hits = {};
    for (var k = 0; k < keys.length; k++) {
      var t = keys[k];
      var list = postings(t);
      // A query pair that no document has (often one spanning two words, like 员公 in 党员公示)
      // has no weight; it still counts below, so a query of mostly unknown pairs finds nothing.
      if (!list.docs.length) continue;
      weight[t] = Math.log(1 + (n - list.docs.length + 0.5) / (list.docs.length + 0.5));
      total += weight[t];
      for (var i = 0; i < list.docs.length; i++) {
        var d = list.docs[i];
        var hit = hits[d] || (hits[d] = { doc: d, matched: 0, covered: 0, score: 0, w: {} });
        hit.matched++;
        hit.covered += weight[t];
        hit.score += weight[t] * termScore(list.weights[i]);
        hit.w[t] = list.weights[i];
      }
    }
    var found = [];
    if (!total) return found;
    var orgs = orgPages();
    for (var key in hits) {
      if (!Object.prototype.hasOwnProperty.call(hits, key)) continue;
      var h = hits[key];
      var coverage = h.covered / total;
      if (coverage < MIN_COVERAGE || h.matched < keys.length * MIN_COVERAGE) continue;
      h.base = h.score * coverage * coverage;
      var up = h.base;
      var low = h.base;
      for (var p = 0; p < q.phrases.length; p++) {
        var b = phraseBounds(h, q.phrases[p], total, !!orgs[h.doc]);
        up += b.up;
        low += b.low;
      }
      h.score = up;
      h.exact = up === low;
      h.w = null;
      found.push(h);
    }
    byScore(found);
    found.total = total;
    return found;
  }

  function byScore(list) {
    list.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
  }

  // Settles the order of the first `count` hits: reads the chunks of those whose phrase bonus is
  // only bounded, scores them exactly (so does every hit of a chunk read anyway), and sorts again,
  // until the first `count` are all exact (anything below has a bound under them) or enough
  // rounds have passed. Then the chunks of the first `count` are there to show them.
  function settle(found, q, count, done, rounds) {
    rounds = rounds || 0;
    var open = [];
    for (var i = 0; i < Math.min(count, found.length); i++) {
      if (!found[i].exact) open.push(chunkOf(found[i].doc));
    }
    var shown = [];
    for (var s = 0; s < Math.min(count, found.length); s++) shown.push(chunkOf(found[s].doc));
    if (!open.length || rounds >= MAX_ROUNDS) return need(shown, done);
    need(open, function (ok) {
      if (!ok) return done(false);
      for (var j = 0; j < found.length; j++) {
        var h = found[j];
        if (!h.exact && chunkOf(h.doc) in loaded) {
          h.score = h.base + phraseBonus(h.doc, q, found.total);
          h.exact = true;
        }
      }
      byScore(found);
      settle(found, q, count, done, rounds + 1);
    });
  }

  // ---- Showing results ----

  // Marks (true) every character of `text` that is part of a query term, phrase or lone character.
  function highlightMask(text, q) {
    var low = fold(text);
    var mask = new Array(low.length);
    var needles = phraseTexts(q).concat(q.terms, q.singles);
    for (var i = 0; i < needles.length; i++) {
      var t = needles[i];
      for (var at = low.indexOf(t); at >= 0; at = low.indexOf(t, at + 1)) {
        for (var j = 0; j < t.length; j++) mask[at + j] = true;
      }
    }
    return mask;
  }

  function phraseTexts(q) {
    return q.phrases.map(function (p) { return p.text; });
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
    var phrases = phraseTexts(q);
    var needles = phrases.concat(q.terms, q.singles);
    var found = [];
    for (var i = 0; i < needles.length; i++) {
      for (var at = low.indexOf(needles[i]); at >= 0; at = low.indexOf(needles[i], at + 1)) {
        found.push({ at: at, t: needles[i], phrase: i < phrases.length });
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

  function item(doc, q) {
    var d = row(doc);
    var li = document.createElement("li");
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = rootPrefix() + d[0];
    appendHighlighted(link, d[1], q);
    heading.appendChild(link);
    li.appendChild(heading);
    var meta = document.createElement("p");
    meta.className = "meta";
    meta.textContent = d[2] + (d[3] ? " · " + d[3] : "");
    li.appendChild(meta);
    var text = passage(d[4], q);
    if (text) {
      var p = document.createElement("p");
      p.className = "search-passage";
      appendHighlighted(p, text, q);
      li.appendChild(p);
    }
    return li;
  }

  function broken(status) {
    status.textContent = "搜索索引未能加载（search/ 下的文件缺失或版本不符），请重新生成网站。";
  }

  // Shows the hits after the `shown` already on the page, one page of them, and a button for more.
  function showMore(ctx, then) {
    var count = ctx.shown + PAGE;
    settle(ctx.found, ctx.q, count, function (ok) {
      if (!ok) return broken(ctx.status);
      var first = null;
      for (var i = ctx.shown; i < Math.min(count, ctx.found.length); i++) {
        var li = item(ctx.found[i].doc, ctx.q);
        first = first || li;
        ctx.list.appendChild(li);
      }
      ctx.shown = Math.min(count, ctx.found.length);
      var left = ctx.found.length - ctx.shown;
      ctx.more.hidden = left <= 0;
      ctx.button.textContent = "显示更多结果（还有 " + left + " 条）";
      if (ctx.shown > PAGE && first) first.querySelector("a").focus();
      if (then) then();
    });
  }

  function render(query, q, found, status, out) {
    if (!found.length) {
      status.textContent = "无结果：没有找到与“" + query + "”相关的内容。请检查有没有错别字，或换用更短、更常用的词再试。";
      return;
    }
    var list = document.createElement("ol");
    list.className = "search-results";
    out.appendChild(list);
    var more = document.createElement("div");
    more.className = "search-row";
    more.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    more.appendChild(button);
    out.appendChild(more);
    var ctx = { q: q, found: found, shown: 0, status: status, list: list, more: more, button: button };
    button.addEventListener("click", function () { showMore(ctx); });
    showMore(ctx, function () {
      // Said once the first results are on the page: "正在查找" until then.
      status.textContent = "找到 " + found.length + " 条与“" + query + "”相关的结果" +
        (found.length > PAGE ? "，下面先列出最相关的 " + PAGE + " 条。" : "。");
    });
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
    if (!usable) return broken(status);
    if (!query) {
      status.textContent = "请输入要查找的内容，例如组织名称、事项名称或留言内容。";
      return;
    }
    document.title = "“" + query + "”的搜索结果_" + document.title.replace(/^[^_]*_/, "");
    status.textContent = "正在查找……";
    var q = analyze(query);
    var keys = q.terms.concat(q.singles);
    var shards = [];
    for (var i = 0; i < keys.length; i++) shards.push("t" + shardOf(keys[i]));
    need(shards, function (ok) {
      if (!ok) return broken(status);
      render(query, q, rank(q), status, out);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
