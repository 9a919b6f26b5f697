// The reader's side of the built sample, in headless Chromium from file://: search, axe-core
// (WCAG 2.1 A/AA) in normal and large-text mode, no horizontal scrolling at 360px, the large-text
// toggle, keyboard use, charts, and no request/pop-up of any kind. One browser for all tests.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { PAGE_TYPES, REPO, buildSite, fileUrl, launchBrowser, strictContext } from "./support.mjs";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const LARGE_KEY = "gongshi-large-text";

let browser;
let sample;
let minimal;

before(async () => {
  browser = await launchBrowser();
  sample = buildSite();
  minimal = buildSite(join(REPO, "tests", "fixtures", "minimal"));
});

after(async () => {
  await browser?.close();
  sample?.cleanup();
  minimal?.cleanup();
});

/** Opens `rel` of `out` in a fresh strict context; large text is switched on through storage. */
async function open(out, rel, { large = false, width = 1280, height = 900 } = {}) {
  const { context, offences } = await strictContext(browser, { viewport: { width, height } });
  if (large) {
    // Also runs in about:blank, which has no storage: only file:// pages matter here.
    await context.addInitScript((key) => {
      if (location.protocol === "file:") window.localStorage.setItem(key, "1");
    }, LARGE_KEY);
  }
  const page = await context.newPage();
  await page.goto(fileUrl(out, rel));
  return { page, context, offences };
}

/** Waits until the search page has answered (it loads index files one after another). */
async function searched(page) {
  await page.waitForFunction(() => !/正在查找/.test(document.getElementById("search-status").textContent));
}

/** The hrefs (root-relative) of the first `n` search results for `q`, and the status line. */
async function searchFor(q, n = 3, out = sample.out) {
  const { page, context, offences } = await open(out, "search/index.html?q=" + encodeURIComponent(q));
  await searched(page);
  const status = await page.textContent("#search-status");
  const hrefs = await page.$$eval(".search-results > li h2 a", (as) => as.map((a) => a.getAttribute("href")));
  await context.close();
  assert.deepEqual(offences, []);
  return { status, top: hrefs.slice(0, n).map((h) => h.replace(/^\.\.\//, "")), all: hrefs };
}

describe("search", () => {
  // Chinese queries typed without spaces, each with the record a reader means.
  const CASES = [
    ["发展党员公示", "disclosures/2025/hexing/fazhan-dangyuan-2025-04/index.html", 1],
    ["三会一课台账", "rectifications/hexing/index.html", 3],
    ["党费收缴", "disclosures/2024/chengguan/dangfei-2024-shangbannian/index.html", 3],
    ["周六值班", "comments/2025/hexing/index.html#c-2025-hx-001", 1],
    ["换届选举工作安排", "disclosures/2026/chengguan/huanjie-gongzuo-2026-03/index.html", 1],
    ["主题党日", "disclosures/2025/jiangbin/zhuti-dangri-2025-06/index.html", 1],
    ["预备党员", "disclosures/2025/taoyuan/yubei-dangyuan-2025-10/index.html", 3],
    ["河兴", "orgs/hexing/index.html", 1],
    ["冷库租金", "comments/2025/hexing/index.html#c-2025-hx-004", 3],
    ["白石镇述职报告", "reports/2025/baishi/index.html", 3],
    ["满意率低于红线", "reports/2024/hexing/index.html", 3],
    ["ＨＸ-2024-01", "targets/2024/hexing/index.html", 3],
  ];
  for (const [q, expected, within] of CASES) {
    test(`“${q}” finds ${expected} ${within === 1 ? "first" : "in the top " + within}`, async () => {
      const { status, top } = await searchFor(q, within);
      assert.match(status, /找到 \d+ 条/);
      assert.ok(top.includes(expected), `top ${within} for ${q}: ${top.join(", ")}`);
    });
  }

  test("a query that matches nothing says 无结果", async () => {
    const { status, all } = await searchFor("量子计算机");
    assert.match(status, /无结果/);
    assert.equal(all.length, 0);
  });

  test("a query loads the entry, its term's shard and the chunks of the hits shown, nothing more", async () => {
    const { page, context, offences } = await open(sample.out, "about/index.html");
    const loaded = [];
    page.on("request", (r) => loaded.push(r.url().replace(/^.*\/search\//, "search/")));
    await page.goto(fileUrl(sample.out, "search/index.html?q=" + encodeURIComponent("冷库")));
    await searched(page);
    const files = loaded.filter((u) => /^search\/.*\.js$/.test(u));
    const shown = await page.$$eval(".search-results > li h2 a", (as) => as.map((a) => a.getAttribute("href").replace(/^\.\.\//, "")));
    // The chunks that hold the shown hits, from the chunk files themselves.
    const entry = await page.evaluate(() => ({ chunk: window.GONGSHI_SEARCH.chunk, docs: window.GONGSHI_SEARCH.docs }));
    const urls = [];
    for (let n = 0; n * entry.chunk < entry.docs; n++) {
      const text = readFileSync(join(sample.out, "search", "d", `${n}.js`), "utf8");
      urls.push(...JSON.parse(text.slice(text.indexOf(",") + 1, text.lastIndexOf(")"))).map((row) => row[0]));
    }
    const chunks = [...new Set(shown.map((u) => "search/d/" + Math.floor(urls.indexOf(u) / entry.chunk) + ".js"))].sort();
    assert.ok(shown.length > 0 && chunks.length < urls.length / entry.chunk, shown.join(" "));
    assert.equal(files[0], "search/index.js");
    assert.equal(files.filter((u) => u.startsWith("search/t/")).length, 1, files.join(" "));
    assert.deepEqual(files.filter((u) => u.startsWith("search/d/")).sort(), chunks);
    assert.equal(new Set(files).size, files.length, "no file loaded twice");
    assert.deepEqual(offences, []);
    await context.close();
  });

  test("ten results at a time, and a button shows the next ones", async () => {
    const { page, context, offences } = await open(sample.out, "search/index.html?q=" + encodeURIComponent("党员"));
    await searched(page);
    const count = () => page.$$eval(".search-results > li", (li) => li.length);
    const total = Number((await page.textContent("#search-status")).match(/找到 (\d+) 条/)[1]);
    assert.ok(total > 10, String(total));
    assert.equal(await count(), 10);
    await page.click("text=显示更多结果");
    await page.waitForFunction(() => document.querySelectorAll(".search-results > li").length > 10);
    assert.equal(await count(), Math.min(20, total));
    assert.equal(await page.evaluate(() => document.activeElement.closest("li") === document.querySelectorAll(".search-results > li")[10]), true, "focus moves to the first new result");
    assert.deepEqual(offences, []);
    await context.close();
  });

  test("a lone character finds the pages whose title has it", async () => {
    const { status, all } = await searchFor("兴", 10);
    assert.match(status, /找到 \d+ 条/);
    assert.ok(all.length > 0, status);
  });

  test("results show the matching passage highlighted", async () => {
    const { page, context } = await open(sample.out, "search/index.html?q=" + encodeURIComponent("周六值班"));
    await searched(page);
    const marks = await page.$$eval(".search-results > li:first-child .search-passage mark", (ms) => ms.map((m) => m.textContent));
    assert.ok(marks.includes("周六") && marks.includes("值班"), marks.join("|"));
    assert.equal(await page.inputValue("#search-q"), "周六值班");
    await context.close();
  });

  test("the search box of every page is a plain GET form that opens the search page", async () => {
    const { page, context } = await open(sample.out, "reports/2025/hexing/index.html");
    await page.fill("#site-search-q", "主题党日");
    await Promise.all([page.waitForURL(/search\/index\.html\?q=/), page.press("#site-search-q", "Enter")]);
    await searched(page);
    assert.match(await page.textContent("#search-status"), /找到 \d+ 条/);
    await context.close();
  });

  test("comment text is shown as text, never run as HTML", async () => {
    const { page, context, offences } = await open(minimal.out, "search/index.html?q=" + encodeURIComponent("周六无人值班"));
    await searched(page);
    const passage = await page.textContent(".search-results > li .search-passage");
    assert.ok(passage.includes("<script>"), passage);
    assert.equal(await page.$$eval("#search-results script, #search-results img", (e) => e.length), 0);
    assert.deepEqual(offences, []);
    await context.close();
  });
});

describe("axe-core, WCAG 2.1 A and AA", () => {
  for (const large of [false, true]) {
    for (const [type, rel] of Object.entries(PAGE_TYPES)) {
      test(`${type} (${large ? "large text" : "normal"})`, async () => {
        const { page, context, offences } = await open(sample.out, rel, { large });
        assert.equal(await page.evaluate(() => document.documentElement.classList.contains("large-text")), large);
        await page.addScriptTag({ path: AXE });
        const violations = [];
        // Desktop, then phone width: a table that scrolls only on a phone must be reachable too.
        for (const width of [1280, 360]) {
          await page.setViewportSize({ width, height: 900 });
          await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
          const found = await page.evaluate(async (tags) => {
            const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags } });
            return r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`);
          }, WCAG);
          violations.push(...found.map((v) => `${width}px ${v}`));
        }
        await context.close();
        assert.deepEqual(violations, []);
        assert.deepEqual(offences, []);
      });
    }
  }
});

describe("phones: 360px wide, no horizontal scrolling", () => {
  for (const large of [false, true]) {
    test(`every page type (${large ? "large text" : "normal"})`, async () => {
      const wide = [];
      for (const [type, rel] of Object.entries(PAGE_TYPES)) {
        const { page, context } = await open(sample.out, rel, { large, width: 360, height: 740 });
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 360) wide.push(`${type}: ${width}px`);
        await context.close();
      }
      assert.deepEqual(wide, []);
    });
  }
});

describe("large-text mode (适老化)", () => {
  test("the button switches it on, it persists across pages, and text is large and airy", async () => {
    const { page, context, offences } = await open(sample.out, "index.html");
    const button = page.locator("[data-large-toggle]");
    assert.equal(await button.getAttribute("aria-pressed"), "false");
    await button.click();
    assert.equal(await button.getAttribute("aria-pressed"), "true");
    await page.goto(fileUrl(sample.out, "reports/2025/hexing/index.html"));
    const m = await page.evaluate(() => {
      const s = getComputedStyle(document.body);
      const p = getComputedStyle(document.querySelector("main p"));
      return {
        on: document.documentElement.classList.contains("large-text"),
        body: parseFloat(s.fontSize),
        line: parseFloat(s.lineHeight),
        p: parseFloat(p.fontSize),
      };
    });
    assert.ok(m.on, "still on after navigating");
    assert.ok(m.body >= 18 && m.p >= 18, JSON.stringify(m));
    assert.ok(m.line >= 1.5 * m.body, JSON.stringify(m));
    await page.locator("[data-large-toggle]").click();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains("large-text")), false);
    assert.deepEqual(offences, []);
    await context.close();
  });
});

describe("keyboard", () => {
  test("the first Tab reaches a visible skip link that moves focus to the main content", async () => {
    const { page, context } = await open(sample.out, "reports/2025/hexing/index.html");
    await page.keyboard.press("Tab");
    const skip = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      const s = getComputedStyle(a);
      return { cls: a.className, top: r.top, left: r.left, outline: parseFloat(s.outlineWidth) + parseFloat(s.boxShadow === "none" ? 0 : 1) };
    });
    assert.equal(skip.cls, "skip-link");
    assert.ok(skip.left >= 0 && skip.top >= 0, "skip link is on screen when focused");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement.id), "main");
    await context.close();
  });

  test("focused links and buttons show a visible outline", async () => {
    const { page, context } = await open(sample.out, "index.html");
    for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
    const outline = await page.evaluate(() => {
      const s = getComputedStyle(document.activeElement);
      return { tag: document.activeElement.tagName, style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    assert.ok(outline.style !== "none" && outline.width >= 2, JSON.stringify(outline));
    await context.close();
  });
});

describe("charts", () => {
  const CHARTS = [
    ["targets/2025/index.html", "table-targets"],
    ["reports/2025/index.html", "table-reports"],
    ["comments/index.html", "table-comments"],
  ];
  for (const [rel, table] of CHARTS) {
    test(`${rel} has a named SVG chart tied to its table`, async () => {
      const { page, context } = await open(sample.out, rel);
      const chart = await page.evaluate(() => {
        const svg = document.querySelector("figure.chart svg[role=img]");
        const title = svg && document.getElementById(svg.getAttribute("aria-labelledby"));
        const cap = svg && document.getElementById(svg.getAttribute("aria-describedby"));
        return svg && { title: title?.textContent, cap: cap?.textContent, link: cap?.querySelector("a")?.getAttribute("href") };
      });
      assert.ok(chart && chart.title && chart.cap, JSON.stringify(chart));
      assert.equal(chart.link, "#" + table);
      assert.equal(await page.locator(`table#${table} caption`).count(), 1);
      await context.close();
    });
  }
});
