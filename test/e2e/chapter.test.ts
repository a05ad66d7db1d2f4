// A learner enters the whole chapter in the page's terminal (each command pasted, as after Copy), never pressing Check: each step
// turns green when the command that does it has finished (the shell's OSC 133 marks), a finished
// lesson opens the next, and the last one shows "Chapter complete" with the time taken.
// Screenshots of each lesson go to test-results/e2e/.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { e2eFixture } from './support/fixture.ts';
import { artifactPath } from './support/artifacts.ts';
import { enterCommand } from './support/type-lessons.ts';
import type { Chapter } from '../../sandbox/checks/schema.ts';
import { PAGE_POLL_MS } from './support/browser.ts';

describe('typing the chapter', () => {
  const fx = e2eFixture({ page: { width: 1280, height: 800 } });
  let chapter: Chapter;
  let checkClicks = 0;

  before(async () => {
    fx.page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/(solve|reset)\//.test(r.url())) fx.problems.push(`the test must not solve or reset: ${r.url()}`);
    });
    await fx.page.exposeFunction('__countCheckClick', () => checkClicks++);
  });

  test('every lesson turns green by itself and the next one opens', async () => {
    await fx.page.goto(fx.lab.url);
    await fx.page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    await fx.page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await fx.page.evaluate(() => {
      for (const b of document.querySelectorAll('[data-check]')) b.addEventListener('click', () => void (window as unknown as { __countCheckClick(): void }).__countCheckClick());
    });
    chapter = (await (await fx.page.request.get(`${new URL(fx.lab.url).origin}/api/lessons`)).json()) as Chapter;
    for (const [i, lesson] of chapter.lessons.entries()) {
      const section = fx.page.locator(`[data-section-id="${lesson.id}"]`);
      assert.equal(await section.getAttribute('data-open'), 'true', `${lesson.id} is open without a click`);
      assert.equal(new URL(fx.page.url()).pathname, `/lessons/${lesson.id}/`);
      for (const s of lesson.steps) for (const command of s.commands) await enterCommand(fx.page, command);
      await fx.page.waitForFunction(
        (id) => [...document.querySelectorAll<HTMLElement>(`[data-section-id="${id}"] [data-step-id]`)].every((e) => e.dataset.checkStatus === 'pass'),
        lesson.id,
        { timeout: 45_000, polling: PAGE_POLL_MS },
      );
      await fx.page.screenshot({ path: artifactPath(`chapter-${i + 1}-${lesson.id}.png`) });
    }
    assert.equal(checkClicks, 0, 'nobody pressed Check');
  });

  test('the chapter ends with a summary: the time taken and what was learned', async () => {
    const summary = fx.page.locator('[data-chapter-complete]');
    await summary.waitFor({ state: 'visible', timeout: 20_000 });
    const text = await summary.innerText();
    assert.match(text, /Chapter complete/);
    assert.match(text, /in \d+ (s|min)/);
    for (const l of chapter.lessons) assert.ok(text.includes(l.title), `the summary names ${l.title}`);
    await fx.page.screenshot({ path: artifactPath('chapter-complete.png') });
    assert.deepEqual(fx.problems, []);
  });
});
