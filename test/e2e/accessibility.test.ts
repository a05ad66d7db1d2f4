// The page for people who do not use a mouse or do not see the screen, in a real browser: the
// landmarks (the lessons are the main region, the terminal a named region); live regions for
// check results, the connection and the cluster; xterm's screen-reader mode; the keyboard's way
// out of the terminal, shown and read out; a visible focus ring; the cluster's message as text.
// The axe scans, at desktop and phone width, are in axe.test.ts.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { e2eFixture } from './support/fixture.ts';

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
  await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
}

describe('accessibility', () => {
  const fx = e2eFixture();
  let context: BrowserContext;

  before(async () => {
    context = await fx.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(fx.lab.url);
    await page.close();
  });

  test('landmarks, live regions and the terminal\'s screen-reader mode', async () => {
    const page = await context.newPage();
    await page.goto(`${fx.origin}/lessons/status-quo/`);
    await ready(page);
    const facts = await page.evaluate(() => {
      const mains = [...document.querySelectorAll('main, [role="main"]')];
      const lessonsRoot = document.querySelector('[data-lessons]')!;
      const terminalRegion = document.querySelector('[data-terminal]')!.closest('section');
      // no named inner functions here: the test's compiler would wrap them in a helper the page lacks
      const [stepResult, lessonAnnounce, connection, cluster] = [
        '[data-step-result]',
        '[data-lesson-announce]',
        '[data-terminal-state-label]',
        '[data-cluster-status]',
      ].map((sel) => {
        const e = document.querySelector(sel);
        return e ? (e.getAttribute('role') ?? `aria-live=${e.getAttribute('aria-live')}`) : 'missing';
      });
      return {
        mains: mains.length,
        mainName: mains[0]?.getAttribute('aria-label'),
        lessonsInMain: mains[0]?.contains(lessonsRoot) ?? false,
        lessonsInNav: !!lessonsRoot.closest('nav'),
        terminalRegion: terminalRegion?.getAttribute('aria-label'),
        stepResult,
        lessonAnnounce,
        connection,
        cluster,
        screenReaderMirror: !!document.querySelector('[data-terminal] .xterm-accessibility'),
      };
    });
    assert.deepEqual(facts, {
      mains: 1,
      mainName: 'Lessons',
      lessonsInMain: true,
      lessonsInNav: false,
      terminalRegion: 'Terminal',
      stepResult: 'aria-live=polite',
      lessonAnnounce: 'status',
      connection: 'status',
      cluster: 'status',
      screenReaderMirror: true,
    });
    await page.close();
  });

  test('the way out of the terminal is shown, read out on focus, and works; focus is visible where it lands', async () => {
    const page = await context.newPage();
    await page.goto(`${fx.origin}/lessons/status-quo/`);
    await ready(page);
    const textarea = page.locator('[data-terminal] textarea');
    const described = await textarea.getAttribute('aria-describedby');
    assert.equal(described, 'terminal-keys');
    const hint = page.locator(`#${described}`);
    assert.equal(await hint.isVisible(), true);
    assert.match(await hint.innerText(), /Ctrl\s*\+\s*Shift\s*\+\s*E leaves the terminal/);

    await textarea.focus();
    await page.keyboard.press('Control+Shift+E');
    const landed = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement;
      return { id: a.id, visible: a.matches(':focus-visible'), outline: getComputedStyle(a).outlineStyle };
    });
    assert.deepEqual(landed, { id: 'lesson-column', visible: true, outline: 'solid' });
    // the next Tab goes on into the lessons, to a control with its own ring
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement;
      return { inLessons: !!a.closest('#lesson-column'), tag: a.tagName, outline: getComputedStyle(a).outlineStyle };
    });
    assert.deepEqual(next, { inLessons: true, tag: 'BUTTON', outline: 'solid' });
    // nothing of the shortcut reached the shell: the prompt line is still empty
    assert.doesNotMatch(await page.locator('[data-terminal] .xterm-rows').innerText(), /\^E/);
    await page.close();
  });

  test('the cluster\'s message is on the page as text, not only in a title', async () => {
    const page = await context.newPage();
    const message = 'the kind cluster did not start (docker is not running); the terminal works, but kubectl has no cluster to talk to';
    await page.route('**/api/status', (route) =>
      route.fulfill({ json: { cluster: { provider: 'kind', state: 'error', message }, reset: { epoch: 0, at: null } } }),
    );
    await page.goto(`${fx.origin}/lessons/prerequisites/`);
    const line = page.locator('[data-cluster-message]');
    await line.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await line.innerText(), message);
    assert.equal(await page.locator('[data-cluster-status]').innerText(), 'cluster: kind · error');
    assert.equal(await page.locator('[data-cluster-status]').getAttribute('title'), null);
    await page.close();
  });
});
