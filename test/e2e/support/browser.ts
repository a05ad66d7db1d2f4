// Debian's chromium driven by playwright-core. Under test/run.mjs every e2e file connects to the
// one browser server the run started (one chromium start instead of one per file; each file's
// contexts are its own and close when it disconnects); run alone, a file launches its own.
import { chromium, type Browser } from 'playwright-core';
import { BROWSER_WS_ENV, CHROMIUM_LAUNCH } from './chromium.mjs';

export function launchChromium(): Promise<Browser> {
  const ws = process.env[BROWSER_WS_ENV];
  return ws ? chromium.connect(ws) : chromium.launch(CHROMIUM_LAUNCH);
}

/**
 * The polling of every page.waitForFunction in the e2e files. Playwright's default, 'raf', runs the
 * predicate on every animation frame: the page draws 60 frames a second for as long as the wait
 * lasts, and with --disable-gpu every frame goes through the renderer, the software compositor and
 * the browser process. Over the suite's waits that was most of chromium's CPU.
 */
export const PAGE_POLL_MS = 100;
