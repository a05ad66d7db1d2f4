// The one set-up of an e2e file: its own lab (`coredns-lab serve` on a free port with a fresh
// state dir, lab-process.ts) and a browser (browser.ts), started together in the suite's
// `before` and closed in its `after`; optionally one page whose errors are collected.
//
//   describe('my page', () => {
//     const fx = e2eFixture({ page: { width: 1280, height: 800 } });
//     test('...', async () => { await fx.page.goto(fx.lab.url); assert.deepEqual(fx.problems, []); });
//   });
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startLab, type LabProcess } from './lab-process.ts';
import { launchChromium } from './browser.ts';

export interface E2eFixture {
  readonly lab: LabProcess;
  readonly browser: Browser;
  /** the lab's origin (http://127.0.0.1:port) */
  readonly origin: string;
  /** the page asked for with `page` */
  readonly page: Page;
  /** the page's uncaught errors (pageerror); a test may add its own findings */
  readonly problems: string[];
}

export interface E2eOptions {
  /** open one page of this size in `before`, its uncaught errors going to `problems` */
  page?: { width: number; height: number };
  /** the lab must exit with 0 on SIGTERM (checked in `after`) */
  cleanStop?: boolean;
}

/** Call in a describe body: the hooks belong to that suite. */
export function e2eFixture(options: E2eOptions = {}): E2eFixture {
  let lab: LabProcess | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const problems: string[] = [];
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`e2eFixture: no ${what} (used outside a test, or its before hook failed)`);
    return value;
  };

  before(async () => {
    // the lab and the browser start at the same time: each takes seconds
    const [labResult, browserResult] = await Promise.allSettled([startLab(), launchChromium()]);
    if (labResult.status === 'fulfilled') lab = labResult.value;
    if (browserResult.status === 'fulfilled') browser = browserResult.value;
    if (labResult.status === 'rejected') throw labResult.reason;
    if (browserResult.status === 'rejected') throw browserResult.reason;
    if (options.page) {
      page = await browser!.newPage({ viewport: options.page });
      page.on('pageerror', (e) => problems.push(String(e)));
    }
  });
  after(async () => {
    await browser?.close();
    const code = await lab?.stop();
    if (options.cleanStop && lab) assert.equal(code, 0, `serve should stop cleanly on SIGTERM; stderr:\n${lab.stderr()}`);
  });

  return {
    get lab() {
      return started(lab, 'lab');
    },
    get browser() {
      return started(browser, 'browser');
    },
    get origin() {
      return new URL(started(lab, 'lab').url).origin;
    },
    get page() {
      return started(page, 'page (ask for one with e2eFixture({ page }))');
    },
    problems,
  };
}
