// The chapter through the page on the kind provider, lesson 3 (kind-chapter-1 plays lessons 1-2,
// -3 and -4 lessons 4 and 5): a fresh `serve --provider kind` (fake kind, emulated cluster), brought to the
// end of "Status Quo" by `coredns-lab solve`, then "Deploy CoreDNS" typed into the page's
// terminal from the kind templates the page shows.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { startProviderLab, type ProviderLab } from './support/provider-lab.ts';
import { chapterOf, typeLessons } from './support/type-lessons.ts';
import { ROOT, run } from '../integration/sandbox/sandbox-process.ts';

describe('the chapter through the page on kind, lesson 3 (fake kind, emulated cluster)', () => {
  let pl: ProviderLab;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    pl = await startProviderLab('kind');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => problems.push(String(e)));
  });
  after(async () => {
    await browser?.close();
    await pl?.stop();
  });

  test('after solving the Status Quo, Deploy CoreDNS typed from the kind template turns green', async () => {
    const solved = await run(process.execPath, [join(ROOT, 'bin', 'coredns-lab.js'), 'solve', 'status-quo', '--state-dir', pl.lab.stateDir], { timeoutMs: 120_000 });
    assert.equal(solved.code, 0, solved.stderr);
    assert.match(solved.stderr, /templates\/busybox\.yaml/);
    await page.goto(pl.lab.url);
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await typeLessons(page, await chapterOf(page, pl.lab.url), ['deploy-coredns'], 'kind-chapter');
    assert.deepEqual(problems, []);
  });
});
