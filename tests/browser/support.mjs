// Shared helpers of the browser tests: build a site with gongshi into a temp dir, launch Debian's
// Chromium (never a downloaded browser), name one page of every page type.
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DATE = "2026-03-31";
export const CHROMIUM = process.env.GONGSHI_CHROMIUM || "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** One page of every page type of the sample (site.md), by a name used in test titles. */
export const PAGE_TYPES = {
  home: "index.html",
  "org tree": "orgs/index.html",
  org: "orgs/hexing/index.html",
  "targets year": "targets/2025/index.html",
  "targets org": "targets/2025/hexing/index.html",
  "reports year": "reports/2025/index.html",
  report: "reports/2025/hexing/index.html",
  rectifications: "rectifications/hexing/index.html",
  "disclosures list": "disclosures/index.html",
  disclosure: "disclosures/2025/hexing/fazhan-dangyuan-2025-04/index.html",
  "comments index": "comments/index.html",
  "comments org": "comments/2025/hexing/index.html",
  "free page": "about/index.html",
  search: "search/index.html?q=" + encodeURIComponent("三会一课台账"),
  "boards index": "boards/index.html",
  board: "boards/hexing/index.html",
  releases: "releases/index.html",
  release: "releases/2/index.html",
  "record history": "reports/2025/taoyuan/history/index.html",
  "old version with diff": "reports/2025/taoyuan/history/2/index.html",
};

/**
 * Builds the site under `root` (a folder holding content/) into a new temp dir and returns the
 * output folder. Uses GONGSHI_BIN when set, else `cargo run` (the binary `cargo test` just built).
 */
export function buildSite(root = REPO) {
  const dir = mkdtempSync(join(tmpdir(), "gongshi-browser-"));
  const out = join(dir, "public");
  const args = ["build", "--root", root, "--out", out, "--date", DATE, "--quiet"];
  const [cmd, argv] = process.env.GONGSHI_BIN
    ? [process.env.GONGSHI_BIN, args]
    : ["cargo", ["run", "--quiet", "--manifest-path", join(REPO, "Cargo.toml"), "--", ...args]];
  execFileSync(cmd, argv, { cwd: REPO, stdio: ["ignore", "ignore", "inherit"] });
  return { out, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Launches headless Chromium; fails with a clear message when it is not installed. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the browser tests need Debian's chromium ` +
        "(scripts/test installs it with apt-get; or set GONGSHI_CHROMIUM). Never `npx playwright install`.",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** The file:// URL of a page of the built site (`rel` may carry ?query). */
export function fileUrl(out, rel) {
  const [path, query] = rel.split("?");
  return pathToFileURL(join(out, path)).href + (query ? "?" + query : "");
}

/**
 * A new browser context that records every request that is not a local file, and every dialog
 * or pop-up a page tries to open: a page of this site must do neither.
 */
export async function strictContext(browser, options = {}) {
  const context = await browser.newContext(options);
  const offences = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    offences.push("request: " + url);
    return route.abort();
  });
  context.on("page", (page) => {
    page.on("dialog", (d) => {
      offences.push("dialog: " + d.message());
      d.dismiss().catch(() => {});
    });
    page.on("popup", (p) => offences.push("pop-up: " + p.url()));
    page.on("pageerror", (e) => offences.push("script error: " + e.message));
  });
  return { context, offences };
}
