// Untrusted text never runs: a site whose comments, replies, titles, table cells and Markdown carry
// the OWASP filter-evasion vectors is opened page by page in headless Chromium with a hook on every
// way a payload reports itself (alert/confirm/prompt, window.__pwned, any dialog); none fires, no
// element keeps an event handler or a javascript: URL, and the commenters' words are still shown.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { REPO, buildSite, fileUrl, launchBrowser, strictContext } from "./support.mjs";

const P = "window.__pwned=1;alert(1)";
export const VECTORS = [
  `<script>${P}</script>`,
  `<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>`,
  `<IMG SRC="javascript:${P};">`,
  `<IMG SRC=javascript:alert('XSS')>`,
  `<IMG SRC=JaVaScRiPt:alert('XSS')>`,
  "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
  `<a onmouseover="${P}">xxs link</a>`,
  `<IMG """><SCRIPT>${P}</SCRIPT>">`,
  `<IMG SRC=# onmouseover="${P}">`,
  `<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>`,
  `<img src=x onerror="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041">`,
  `<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>`,
  `<IMG SRC="jav\tascript:alert('XSS');">`,
  `<IMG SRC="jav&#x09;ascript:alert('XSS');">`,
  `<IMG SRC=" &#14;  javascript:alert('XSS');">`,
  `<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^\`=alert("XSS")>`,
  `<<SCRIPT>${P};//\\<</SCRIPT>`,
  `<svg/onload=${P}>`,
  `<svg><script>${P}</script></svg>`,
  `<iframe src="javascript:${P};"></iframe>`,
  `<INPUT TYPE="IMAGE" SRC="javascript:${P};">`,
  `<BODY BACKGROUND="javascript:alert('XSS')">`,
  `<details open ontoggle=${P}>x</details>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${P}>`,
  `"><script>${P}</script>`,
  `'><img src=x onerror=${P}>`,
  `</title><script>${P}</script>`,
  `</textarea><script>${P}</script>`,
  `<a href="javascript:${P}">点我</a>`,
  `<object data="javascript:${P}"></object>`,
  `<embed src="javascript:${P}">`,
  `<form action="javascript:${P}"><button>提交</button></form>`,
  `<meta http-equiv="refresh" content="0;url=javascript:${P}">`,
  `<div style="background:url(javascript:${P})">背景</div>`,
  `<img src=x:alert(1) onerror=eval(src)>`,
  `<a href="&#x6A;avascript:${P}">实体编码</a>`,
];
// Markdown-only forms, for editors' bodies.
const MARKDOWN = [
  `[点我](javascript:${P})`,
  `[点我](JaVaScRiPt:alert(1))`,
  `[点我](&#106;avascript:alert(1))`,
  `![图](javascript:alert(1))`,
  `[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
];

let browser;
let site;
let root;

function yaml(value) {
  return JSON.stringify(value); // a JSON string is a valid YAML double-quoted scalar
}

function writeVectors(dir) {
  const entries = VECTORS.map((v, i) =>
    [
      `  - id: x${i}`,
      `    received_on: 2025-06-0${(i % 9) + 1}`,
      `    channel: 网站留言`,
      `    commenter: { name: ${yaml(v.slice(0, 12))} }`,
      `    text: ${yaml(v)}`,
      `    status: 已答复`,
      `    acknowledged_on: 2025-06-10`,
      `    reply: { on: 2025-06-20, by: ${yaml("丙村党支部" + v.slice(0, 20))}, text: ${yaml("答复：" + v)} }`,
    ].join("\n"),
  );
  mkdirSync(join(dir, "content/comments/2025"), { recursive: true });
  writeFileSync(join(dir, "content/comments/2025/cun-c.yaml"), `org: cun-c\nyear: 2025\nentries:\n${entries.join("\n")}\n`);
  const table = VECTORS.slice(0, 12).map((v) => `  - { 姓名: ${yaml(v)}, 备注: ${yaml(v)} }`).join("\n");
  mkdirSync(join(dir, "content/disclosures/2025/cun-c"), { recursive: true });
  writeFileSync(
    join(dir, "content/disclosures/2025/cun-c/xss.md"),
    [
      "---",
      "org: cun-c",
      `title: ${yaml("丙村公示" + VECTORS[24])}`,
      "category: 其他",
      "event_date: 2025-06-03",
      "published_on: 2025-06-05",
      "period: { from: 2025-06-05, to: 2025-06-13 }",
      "approval: { approved_by: 支委会, approved_on: 2025-06-04 }",
      "table:",
      table,
      "---",
      [...VECTORS, ...MARKDOWN].join("\n\n"),
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "content/pages/xss.md"),
    `---\ntitle: ${yaml("测试页" + VECTORS[26])}\n---\n${[...MARKDOWN, ...VECTORS].join("\n\n")}\n`,
  );
}

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith(".html")) out.push(p);
  }
  return out;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), "gongshi-xss-"));
  cpSync(join(REPO, "tests/fixtures/minimal"), root, { recursive: true });
  writeVectors(root);
  browser = await launchBrowser();
  site = buildSite(root);
});

after(async () => {
  await browser?.close();
  site?.cleanup();
  if (root) rmSync(root, { recursive: true, force: true });
});

test("there are at least 30 vectors", () => {
  assert.ok(VECTORS.length + MARKDOWN.length >= 30);
});

test("no page runs a payload, keeps a handler or a javascript: URL", async () => {
  const pages = htmlFiles(site.out);
  assert.ok(pages.length > 20, `only ${pages.length} pages`);
  const { context, offences } = await strictContext(browser);
  await context.addInitScript(() => {
    window.__fired = [];
    for (const f of ["alert", "confirm", "prompt", "print"]) window[f] = () => window.__fired.push(f);
  });
  const page = await context.newPage();
  const found = [];
  for (const file of pages) {
    const rel = relative(site.out, file);
    await page.goto(fileUrl(site.out, rel));
    // Hover and focus everything, so handlers that wait for a person would fire too.
    await page.$$eval("body *", (els) => els.forEach((e) => {
      for (const t of ["mouseover", "focus", "toggle", "load", "error"]) e.dispatchEvent(new Event(t));
    }));
    const report = await page.evaluate(() => {
      const bad = [];
      for (const el of document.querySelectorAll("*")) {
        for (const a of el.attributes) {
          const v = a.value.replace(/[\s\u0000-\u001f]/g, "").toLowerCase();
          if (a.name.startsWith("on")) bad.push(`${el.tagName} ${a.name}`);
          if (v.startsWith("javascript:") || v.startsWith("vbscript:") || (v.startsWith("data:") && a.name !== "content")) bad.push(`${el.tagName} ${a.name}=${a.value}`);
        }
      }
      // The site's own search form is fine: a form with a javascript: action is caught above.
      for (const tag of ["iframe", "object", "embed", "meta[http-equiv]", "svg script", "base"]) {
        if (document.querySelector(tag)) bad.push(`<${tag}> present`);
      }
      return { fired: window.__fired, pwned: window.__pwned === 1, bad };
    });
    if (report.fired.length || report.pwned || report.bad.length) found.push(`${rel}: ${JSON.stringify(report)}`);
  }
  await context.close();
  assert.deepEqual(found, []);
  assert.deepEqual(offences.filter((o) => !o.startsWith("request: http://xss.example")), []);
});

test("the commenters' words are shown, escaped, not dropped", async () => {
  const { context } = await strictContext(browser);
  const page = await context.newPage();
  await page.goto(fileUrl(site.out, "comments/2025/cun-c/index.html"));
  const text = await page.evaluate(() => document.body.innerText);
  await context.close();
  const norm = (s) => s.replace(/\s+/g, " ").trim();
  const missing = VECTORS.filter((v) => !norm(text).includes(norm(v)));
  assert.deepEqual(missing, [], "vectors not visible as text on the comments page");
  const replies = VECTORS.filter((v) => !norm(text).includes(norm("答复：" + v)));
  assert.deepEqual(replies, [], "replies not visible as text");
});
