// Opens a page of one colour holding a WebM with alpha in headless Chromium, shows the video's
// last frame and saves a screenshot of it: where the chart has no background, the page's colour
// must show through (tests/browser.rs samples the screenshot).
//
// usage: node check_alpha.mjs URL SCREENSHOT.png
// Exits 0 once the screenshot is saved; otherwise prints why and exits 1.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error("usage: node check_alpha.mjs URL SCREENSHOT.png");
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), "benchanim-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
  viewport: { width: 1000, height: 600 },
  deviceScaleFactor: 1,
});
let failed = false;
try {
  const page = await context.newPage();
  page.on("pageerror", (error) => {
    console.log(`FAIL script error on the page: ${error.message}`);
    failed = true;
  });
  await page.goto(url, { waitUntil: "load" });
  const shown = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const video = document.querySelector("video");
        const lastFrame = () => {
          video.addEventListener("seeked", () => resolve({ ok: true, at: video.currentTime }), { once: true });
          video.currentTime = Math.max(0, video.duration - 0.05);
        };
        video.addEventListener("error", () => resolve({ ok: false, why: `video error ${video.error && video.error.code}` }));
        if (video.readyState >= 1) lastFrame();
        else video.addEventListener("loadedmetadata", lastFrame, { once: true });
        setTimeout(() => resolve({ ok: false, why: "the video did not load in 20 s" }), 20000);
      }),
  );
  if (!shown.ok) {
    console.log(`FAIL ${shown.why}`);
    failed = true;
  } else {
    // A moment for the seeked frame to reach the screen.
    await page.waitForTimeout(300);
    const box = await page.locator("video").boundingBox();
    await page.screenshot({ path: screenshot, clip: box });
    console.log(`ok   last frame at ${shown.at.toFixed(2)} s, screenshot ${screenshot}`);
  }
} catch (error) {
  console.log(`FAIL the check stopped: ${error.stack || error}`);
  failed = true;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
