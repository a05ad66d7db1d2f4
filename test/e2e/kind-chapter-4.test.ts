// The chapter through the page on the kind provider, the last lesson (kind-chapter-1 to -3 play
// the ones before): a fresh `serve --provider kind` (fake kind, emulated cluster), brought to the end of
// "Switch to CoreDNS" by `coredns-lab solve` with the kind templates, then "Delete kube-dns" typed
// into the page's terminal until the chapter is complete.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.ts';
import { startProviderLab, type ProviderLab } from './support/provider-lab.ts';
import { chapterOf, typeLessons } from './support/type-lessons.ts';
import { ROOT, run } from '../integration/sandbox/sandbox-process.ts';

describe('the chapter through the page on kind, lesson 5 (fake kind, emulated cluster)', () => {
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

  test('solve runs the kind templates on the kind cluster; Delete kube-dns, typed, completes the chapter', async () => {
    const solved = await run(process.execPath, [join(ROOT, 'bin', 'coredns-lab.js'), 'solve', 'switch-to-coredns', '--state-dir', pl.lab.stateDir], { timeoutMs: 120_000 });
    assert.equal(solved.code, 0, solved.stderr);
    assert.match(solved.stderr, /templates\/coredns-kind\.yaml/);
    assert.match(solved.stderr, /templates\/coredns-service-kind\.yaml/);
    await page.goto(pl.lab.url);
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await typeLessons(page, await chapterOf(page, pl.lab.url), ['delete-kube-dns'], 'kind-chapter');
    const summary = page.locator('[data-chapter-complete]');
    await summary.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await summary.innerText(), /Chapter complete/);
    assert.deepEqual(problems, []);
  });
});
