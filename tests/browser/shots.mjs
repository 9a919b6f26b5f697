// Screenshots for a person to look at (not a test): the home page, a report, the reports year
// page and a search, at phone (360px) and desktop (1280px) width, in normal and large-text mode.
// Usage: node shots.mjs [output folder, default /tmp] -> shot-<page>-<width>-<mode>.png
import { buildSite, fileUrl, launchBrowser } from "./support.mjs";
import { join } from "node:path";

const dest = process.argv[2] || "/tmp";
const PAGES = {
  home: "index.html",
  report: "reports/2024/hexing/index.html",
  "reports-year": "reports/2025/index.html",
  search: "search/index.html?q=" + encodeURIComponent("三会一课台账"),
};

const site = buildSite();
const browser = await launchBrowser();
try {
  for (const width of [360, 1280]) {
    for (const large of [false, true]) {
      const context = await browser.newContext({ viewport: { width, height: width === 360 ? 740 : 900 } });
      if (large) {
        await context.addInitScript(() => {
          if (location.protocol === "file:") window.localStorage.setItem("gongshi-large-text", "1");
        });
      }
      const page = await context.newPage();
      for (const [name, rel] of Object.entries(PAGES)) {
        await page.goto(fileUrl(site.out, rel));
        const file = join(dest, `shot-${name}-${width}-${large ? "large" : "normal"}.png`);
        await page.screenshot({ path: file, fullPage: true });
        console.log(file);
        // A tall phone page shrinks to nothing when viewed whole: also keep its first two screens.
        if (width === 360) {
          const top = file.replace(/\.png$/, "-top.png");
          await page.screenshot({ path: top, clip: { x: 0, y: 0, width, height: 1480 } });
          console.log(top);
        }
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  site.cleanup();
}
