// Opens the gallery page in headless Chromium and checks what a reader would see: every
// scene's video loads, has the rendered size and duration, and plays; its poster and GIF load;
// the page fetches nothing from elsewhere; a copy button copies its snippet; nothing overflows
// a phone-width screen. Saves screenshots (light, dark, phone) to look at.
//
// usage: node check_gallery.mjs URL EXPECTED_JSON SCREENSHOT.png
//   EXPECTED_JSON: [{"name": "vllm_input", "title": "...", "width": 1920, "height": 1080,
//                    "duration": 9.5}, ...]
// Exits 0 when every check passes; otherwise prints each failure and exits 1.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const DURATION_TOLERANCE_S = 0.1;
const LOAD_TIMEOUT_MS = 20000;

const [url, expectedJson, screenshot] = process.argv.slice(2);
if (!url || !expectedJson || !screenshot) {
  console.error("usage: node check_gallery.mjs URL EXPECTED_JSON SCREENSHOT.png");
  process.exit(2);
}
const expected = JSON.parse(expectedJson);
const failures = [];
const fail = (message) => {
  failures.push(message);
  console.log(`FAIL ${message}`);
};
const pass = (message) => console.log(`ok   ${message}`);
const check = (ok, message) => (ok ? pass(message) : fail(message));

const profile = mkdtempSync(join(tmpdir(), "benchanim-chromium-"));
// A fresh profile every run (Playwright passes it as --user-data-dir).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
  ],
  viewport: { width: 1280, height: 900 },
  colorScheme: "light",
});

try {
  const origin = new URL(url).origin;
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  const page = await context.newPage();
  const elsewhere = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(origin + "/")) elsewhere.push(request.url());
  });
  page.on("response", (response) => {
    if (response.status() >= 400) fail(`${response.url()} answered ${response.status()}`);
  });
  page.on("pageerror", (error) => fail(`script error on the page: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") fail(`console error: ${message.text()}`);
  });

  const response = await page.goto(url, { waitUntil: "load" });
  check(response && response.status() === 200, `index.html served (${response && response.status()})`);

  const onPage = await page.$$eval("article.scene", (cards) => cards.map((c) => c.dataset.scene));
  check(
    JSON.stringify([...onPage].sort()) === JSON.stringify(expected.map((s) => s.name).sort()),
    `the page shows exactly the expected scenes (${onPage.join(", ")})`,
  );

  for (const scene of expected) {
    await checkScene(page, scene);
  }
  await checkCopy(page);
  check(elsewhere.length === 0, `no request leaves ${origin}${elsewhere.length ? ": " + elsewhere.join(", ") : ""}`);

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshot, fullPage: true });
  pass(`screenshot ${screenshot}`);
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: sibling(screenshot, "dark"), fullPage: true });
  pass(`screenshot ${sibling(screenshot, "dark")}`);

  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `nothing is wider than a 390 px phone screen (overflow ${overflow} px)`);
  const widest = await page.$$eval("video", (videos) =>
    Math.max(...videos.map((v) => v.getBoundingClientRect().right)),
  );
  check(widest <= 390, `videos fit a phone screen (rightmost edge at ${widest.toFixed(0)} px)`);
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: sibling(screenshot, "phone"), fullPage: true });
  pass(`screenshot ${sibling(screenshot, "phone")}`);
} catch (error) {
  fail(`the check stopped: ${error.stack || error}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

console.log(`${failures.length === 0 ? "PASS" : "FAIL"}: ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);

/** `shot.png` → `shot-dark.png` */
function sibling(path, suffix) {
  return path.replace(/(\.png)?$/, `-${suffix}.png`);
}

async function checkScene(page, scene) {
  const handle = (
    await page.evaluateHandle(
      (name) => [...document.querySelectorAll("article.scene")].find((c) => c.dataset.scene === name),
      scene.name,
    )
  ).asElement();
  if (!handle) {
    fail(`${scene.name}: no card on the page`);
    return;
  }
  // Chromium pauses muted autoplaying videos that are off screen; a reader scrolls to them.
  await handle.scrollIntoViewIfNeeded();
  const title = await handle.evaluate((c) => c.querySelector("h2").textContent);
  check(title === scene.title, `${scene.name}: title reads ${JSON.stringify(title)}`);

  const video = await handle.evaluateHandle((c) => c.querySelector("video"));
  const attrs = await video.evaluate((v) => ({
    muted: v.muted,
    loop: v.loop,
    autoplay: v.autoplay,
    playsinline: v.playsInline,
    poster: v.poster,
    width: v.getAttribute("width"),
    height: v.getAttribute("height"),
  }));
  check(
    attrs.muted && attrs.loop && attrs.autoplay && attrs.playsinline,
    `${scene.name}: video is muted, looping, autoplaying, inline`,
  );
  check(
    attrs.width === String(scene.width) && attrs.height === String(scene.height),
    `${scene.name}: video element is ${attrs.width}x${attrs.height} before it loads`,
  );

  try {
    await video.evaluate(
      (v, timeout) =>
        new Promise((resolve, reject) => {
          if (v.readyState === 4) return resolve();
          const timer = setTimeout(
            () => reject(new Error(`readyState ${v.readyState}, error ${v.error && v.error.message}`)),
            timeout,
          );
          const done = () => {
            if (v.readyState === 4) {
              clearTimeout(timer);
              resolve();
            }
          };
          v.addEventListener("canplaythrough", done);
          v.addEventListener("timeupdate", done);
          v.addEventListener("error", () => reject(new Error(`media error ${v.error && v.error.code}`)));
        }),
      LOAD_TIMEOUT_MS,
    );
    pass(`${scene.name}: video reaches readyState 4`);
  } catch (error) {
    fail(`${scene.name}: video never had enough data: ${error.message}`);
    return;
  }
  const media = await video.evaluate((v) => ({
    duration: v.duration,
    videoWidth: v.videoWidth,
    videoHeight: v.videoHeight,
  }));
  check(
    Math.abs(media.duration - scene.duration) <= DURATION_TOLERANCE_S,
    `${scene.name}: duration ${media.duration.toFixed(3)} s (expected ${scene.duration})`,
  );
  check(
    media.videoWidth === scene.width && media.videoHeight === scene.height,
    `${scene.name}: decodes at ${media.videoWidth}x${media.videoHeight} (expected ${scene.width}x${scene.height})`,
  );

  const playing = await video.evaluate(
    (v) =>
      new Promise((resolve) => {
        const start = v.currentTime;
        const deadline = Date.now() + 5000;
        const poll = () => {
          if (!v.paused && v.currentTime !== start) return resolve({ ok: true, start, now: v.currentTime });
          if (Date.now() > deadline) return resolve({ ok: false, start, now: v.currentTime, paused: v.paused });
          setTimeout(poll, 100);
        };
        poll();
      }),
  );
  check(
    playing.ok,
    `${scene.name}: plays (currentTime ${playing.start.toFixed(2)} → ${playing.now.toFixed(2)}${playing.paused ? ", paused" : ""})`,
  );

  const gifHref = await handle.evaluate((c) => {
    const a = c.querySelector('a[data-kind="gif"]');
    return a && a.href;
  });
  for (const [what, src] of [["poster", attrs.poster], ["GIF", gifHref]]) {
    if (!src) {
      fail(`${scene.name}: no ${what} on the page`);
      continue;
    }
    const image = await page.evaluate(
      (src) =>
        new Promise((resolve) => {
          const img = new Image();
          img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
          img.onerror = () => resolve({ width: 0, height: 0 });
          img.src = src;
        }),
      src,
    );
    check(image.width > 0 && image.height > 0, `${scene.name}: ${what} loads (${image.width}x${image.height})`);
  }
}

async function checkCopy(page) {
  if ((await page.locator("button.copy").count()) === 0) {
    fail("no copy button on the page");
    return;
  }
  const button = page.locator("button.copy").first();
  const id = await button.getAttribute("data-copy");
  const snippet = await page.locator(`[id="${id}"]`).textContent();
  await button.click();
  let copied = "";
  try {
    copied = await page.evaluate(() => navigator.clipboard.readText());
  } catch (error) {
    fail(`clipboard could not be read: ${error.message}`);
  }
  check(copied === snippet && snippet.length > 0, `the first copy button copies its snippet`);
  check((await button.textContent()) === "Copied", `the copy button says it copied`);
}
