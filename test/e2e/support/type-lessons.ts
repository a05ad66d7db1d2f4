// A learner working through lessons in the page's terminal, never pressing Check: each command is
// pasted, as after the step's Copy button, then Enter, and waited for (the shell's OSC 133 marks
// count finished commands); each lesson must turn green by itself. Shared by the page tests that
// play the chapter. A paste is one event where typing is one per key, each echoed and drawn: over
// the chapter that was about 40% of chromium's CPU. Typing key by key is e2e/terminal.test.ts's.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { artifactPath } from './artifacts.ts';
import type { Chapter } from '../../../sandbox/checks/schema.ts';
import { PAGE_POLL_MS } from './browser.ts';

/** pastes a command into the terminal, presses Enter and waits until the shell says it has finished */
export async function enterCommand(page: Page, command: string): Promise<void> {
  const before = Number((await page.locator('[data-terminal]').getAttribute('data-commands-finished')) ?? 0);
  await page.locator('[data-terminal] textarea').focus();
  await page.locator('[data-terminal] textarea').evaluate((ta, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, command);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('[data-terminal]')?.dataset.commandsFinished ?? 0) > n, before, { timeout: 60_000, polling: PAGE_POLL_MS });
}

export async function chapterOf(page: Page, url: string): Promise<Chapter> {
  return (await (await page.request.get(`${new URL(url).origin}/api/lessons`)).json()) as Chapter;
}

/** types every command of the named lessons as the page shows them; each lesson must go green and the next open */
export async function typeLessons(page: Page, chapter: Chapter, ids: string[], shots: string): Promise<void> {
  for (const [i, lesson] of chapter.lessons.filter((l) => ids.includes(l.id)).entries()) {
    const section = page.locator(`[data-section-id="${lesson.id}"]`);
    // the learner opens the first one; a finished lesson opens the next by itself
    if (i === 0 && (await section.getAttribute('data-open')) !== 'true') await section.locator('[data-lesson-toggle]').click();
    await page.waitForFunction((id) => document.querySelector(`[data-section-id="${id}"]`)?.getAttribute('data-open') === 'true', lesson.id, { timeout: 30_000, polling: PAGE_POLL_MS });
    for (const s of lesson.steps) {
      // what the learner types is what the page shows
      const shown = await section.locator(`[data-step-id="${lesson.id}/${s.id}"]`).innerText();
      for (const command of s.commands) {
        assert.ok(shown.includes(command), `${lesson.id}/${s.id} shows "${command}"`);
        await enterCommand(page, command);
      }
    }
    await page.waitForFunction(
      (id) => [...document.querySelectorAll<HTMLElement>(`[data-section-id="${id}"] [data-step-id]`)].every((e) => e.dataset.checkStatus === 'pass'),
      lesson.id,
      { timeout: 90_000, polling: PAGE_POLL_MS },
    );
    await page.screenshot({ path: artifactPath(`${shots}-${lesson.id}.png`) });
  }
}
