// How the e2e tests start Debian's chromium (no downloaded browsers here), in one place for
// test/run.mjs, which starts one browser server for all the e2e files of a run, and for
// browser.ts, which connects to it (or, run without run.mjs, launches a browser of its own).
export const BROWSER_WS_ENV = 'COREDNS_LAB_TEST_BROWSER_WS';

export const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
};
