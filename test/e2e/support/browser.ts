// Debian's chromium driven by playwright-core. Under test/run.mjs every e2e file connects to the
// one browser server the run started (one chromium start instead of one per file; each file's
// contexts are its own and close when it disconnects); run alone, a file launches its own.
import { chromium, type Browser } from 'playwright-core';
import { BROWSER_WS_ENV, CHROMIUM_LAUNCH } from './chromium.mjs';

export function launchChromium(): Promise<Browser> {
  const ws = process.env[BROWSER_WS_ENV];
  return ws ? chromium.connect(ws) : chromium.launch(CHROMIUM_LAUNCH);
}
