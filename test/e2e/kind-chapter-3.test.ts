// The chapter through the page on the kind provider, lesson 4 (kind-chapter-1 and -2 play the
// ones before, -4 the last): a fresh `serve --provider kind` (fake kind, emulated cluster), brought to the end of
// "Deploy CoreDNS" by `coredns-lab solve` with the kind templates, then "Switch to CoreDNS" typed
// into the page's terminal from the kind Service template the page shows.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { startProviderLab, type ProviderLab } from './support/provider-lab.ts';
import { chapterOf, typeLessons } from './support/type-lessons.ts';
import { ROOT, run } from '../integration/sandbox/sandbox-process.ts';

describe('the chapter through the page on kind, lesson 4 (fake kind, emulated cluster)', () => {
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

  test('solve runs the kind template on the kind cluster; Switch to CoreDNS, typed, turns green', async () => {
    const solved = await run(process.execPath, [join(ROOT, 'bin', 'coredns-lab.js'), 'solve', 'deploy-coredns', '--state-dir', pl.lab.stateDir], { timeoutMs: 120_000 });
    assert.equal(solved.code, 0, solved.stderr);
    assert.match(solved.stderr, /templates\/coredns-kind\.yaml/);
    await page.goto(pl.lab.url);
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await typeLessons(page, await chapterOf(page, pl.lab.url), ['switch-to-coredns'], 'kind-chapter');
    assert.deepEqual(problems, []);
  });
});
