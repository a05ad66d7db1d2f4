// A learner types the whole chapter into the page's terminal, never pressing Check: each step
// turns green when the command that does it has finished (the shell's OSC 133 marks), a finished
// lesson opens the next, and the last one shows "Chapter complete" with the time taken.
// Screenshots of each lesson go to test-results/e2e/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startLab, type LabProcess } from './support/lab-process.ts';
import { launchChromium } from './support/browser.ts';
import { artifactPath } from './support/artifacts.ts';
import type { Chapter } from '../../sandbox/checks/schema.ts';

describe('typing the chapter', () => {
  let lab: LabProcess;
  let browser: Browser;
  let page: Page;
  let chapter: Chapter;
  const problems: string[] = [];
  let checkClicks = 0;

  before(async () => {
    lab = await startLab();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/(solve|reset)\//.test(r.url())) problems.push(`the test must not solve or reset: ${r.url()}`);
    });
    await page.exposeFunction('__countCheckClick', () => checkClicks++);
  });
  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  /** types a command as a learner does and waits until the shell says it has finished */
  async function type(command: string): Promise<void> {
    const host = page.locator('[data-terminal]');
    const before = Number((await host.getAttribute('data-commands-finished')) ?? 0);
    await page.locator('[data-terminal] textarea').focus();
    await page.keyboard.type(command);
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('[data-terminal]')?.dataset.commandsFinished ?? 0) > n, before, { timeout: 30_000 });
  }

  test('every lesson turns green by itself and the next one opens', async () => {
    await page.goto(lab.url);
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await page.evaluate(() => {
      for (const b of document.querySelectorAll('[data-check]')) b.addEventListener('click', () => void (window as unknown as { __countCheckClick(): void }).__countCheckClick());
    });
    chapter = (await (await page.request.get(`${new URL(lab.url).origin}/api/lessons`)).json()) as Chapter;
    for (const [i, lesson] of chapter.lessons.entries()) {
      const section = page.locator(`[data-section-id="${lesson.id}"]`);
      assert.equal(await section.getAttribute('data-open'), 'true', `${lesson.id} is open without a click`);
      assert.equal(new URL(page.url()).pathname, `/lessons/${lesson.id}/`);
      for (const s of lesson.steps) for (const command of s.commands) await type(command);
      await page.waitForFunction(
        (id) => [...document.querySelectorAll<HTMLElement>(`[data-section-id="${id}"] [data-step-id]`)].every((e) => e.dataset.checkStatus === 'pass'),
        lesson.id,
        { timeout: 45_000 },
      );
      await page.screenshot({ path: artifactPath(`chapter-${i + 1}-${lesson.id}.png`) });
    }
    assert.equal(checkClicks, 0, 'nobody pressed Check');
  });

  test('the chapter ends with a summary: the time taken and what was learned', async () => {
    const summary = page.locator('[data-chapter-complete]');
    await summary.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await summary.innerText();
    assert.match(text, /Chapter complete/);
    assert.match(text, /in \d+ (s|min)/);
    for (const l of chapter.lessons) assert.ok(text.includes(l.title), `the summary names ${l.title}`);
    await page.screenshot({ path: artifactPath('chapter-complete.png') });
    assert.deepEqual(problems, []);
  });
});
