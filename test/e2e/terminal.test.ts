// The learner's first minute, in a real browser: open the printed URL, type into the page's
// terminal, see the shell's answer, reload, and find the same screen.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2eFixture } from './support/fixture.ts';
import { PAGE_POLL_MS } from './support/browser.ts';
import { waitFor } from '../support/wait.ts';

const rowsText = (page: Page) => page.locator('[data-terminal] .xterm-rows').innerText();

describe('terminal in the page', () => {
  const fx = e2eFixture({ cleanStop: true });

  test('types a command, sees its output, and gets the same screen back after a reload', async () => {
    const page = await fx.browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('console', (m) => {
      if (m.type() === 'error') fx.problems.push(m.text());
    });
    page.on('pageerror', (e) => fx.problems.push(String(e)));

    const res = await page.goto(fx.lab.url);
    assert.equal(res?.status(), 200);
    assert.ok(!page.url().includes('token='), `the token must leave the address bar: ${page.url()}`);

    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    await page.waitForFunction(() => /coredns-lab.*lab.*[$#]/.test(document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? ''), null, { timeout: 20_000, polling: PAGE_POLL_MS });
    await page.click('[data-terminal]');
    await page.keyboard.type('echo hello-$((40+2))');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /hello-42/.test(document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? ''), null, { timeout: 15_000, polling: PAGE_POLL_MS });
    const before = await rowsText(page);
    assert.match(before, /echo hello-\$\(\(40\+2\)\)/);

    await page.reload();
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    await page.waitForFunction(() => /hello-42/.test(document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? ''), null, { timeout: 15_000, polling: PAGE_POLL_MS });
    const after = await rowsText(page);
    assert.match(after, /echo hello-\$\(\(40\+2\)\)/, 'the command line is restored too');
    assert.match(await page.locator('[data-terminal-state-label]').innerText(), /resumed/);

    // the same shell: a variable set before a reload is still there
    await page.click('[data-terminal]');
    await page.keyboard.type('X=kept-$((6*7)); echo "$X"');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /kept-42/.test(document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? ''), null, { timeout: 15_000, polling: PAGE_POLL_MS });
    await page.reload();
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    await page.click('[data-terminal]');
    await page.keyboard.type('echo "again-$X"');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /again-kept-42/.test(document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? ''), null, { timeout: 15_000, polling: PAGE_POLL_MS });

    const csp = fx.problems.filter((p) => /Content Security Policy|Refused to/.test(p));
    assert.deepEqual(csp, [], 'the page must run under its CSP without violations');
    assert.deepEqual(fx.problems, []);
    await page.close();
  });

  test('when the shell ends, the page says why and Enter starts a new shell', async () => {
    const page = await fx.browser.newPage();
    await page.goto(fx.lab.url);
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    await page.click('[data-terminal]');
    await page.keyboard.type('exit 7');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-terminal][data-terminal-state="closed"]', { timeout: 15_000 });
    const overlay = page.locator('[data-terminal-overlay]');
    assert.equal(await overlay.isVisible(), true);
    assert.match(await overlay.innerText(), /exited \(code 7\)/);
    // the keyboard focus is still in the terminal
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    assert.equal(await overlay.isVisible(), false);
    await page.close();
  });

  test('the cursor blinks while the learner types, goes steady when the terminal is idle, and never blinks with reduced motion', async () => {
    // the cursor cell's background: the cursor's colour in the shown half of a blink, none in the hidden half
    const cursorBg = (p: Page) => p.evaluate(() => {
      const cell = document.querySelector('[data-terminal] .xterm-rows .xterm-cursor');
      return cell ? getComputedStyle(cell).backgroundColor : 'no cursor';
    });
    const HIDDEN = 'rgba(0, 0, 0, 0)';
    // counts the blink's flips on the terminal's host from now on
    const countFlips = (p: Page) => p.evaluate(() => {
      const host = document.querySelector<HTMLElement>('[data-terminal]')!;
      host.dataset.flips = '0';
      new MutationObserver(() => (host.dataset.flips = String(Number(host.dataset.flips) + 1))).observe(host, { attributeFilter: ['data-cursor-off'] });
    });
    const flips = async (p: Page) => Number(await p.locator('[data-terminal]').getAttribute('data-flips'));

    const page = await fx.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(fx.lab.url);
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    await page.click('[data-terminal]');
    await page.keyboard.type('echo blink');
    const seen = new Set<string>();
    await waitFor(async () => seen.add(await cursorBg(page)).size >= 2, { what: 'the cursor in both halves of a blink', show: () => [...seen].join(', '), timeout: 5_000, interval: 100 });
    assert.ok(seen.has(HIDDEN), `one half hides the cursor: ${[...seen].join(', ')}`);
    // a timer draws the blink, not a CSS animation that has the browser draw 60 frames a second
    assert.equal(await page.evaluate(() => document.getAnimations().length), 0);

    // BLINK_STOP_AFTER_MS (15 s) after the last key or output the cursor is steady, and shown
    await page.waitForFunction(() => !document.querySelector('[data-terminal]')!.hasAttribute('data-cursor-blinking'), null, { timeout: 30_000, polling: 500 });
    assert.notEqual(await cursorBg(page), HIDDEN);
    await countFlips(page);

    // meanwhile, a learner who asked for reduced motion types a command: the cursor never blinks
    const ctx = await fx.browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const still = await ctx.newPage();
    await still.goto(fx.lab.url);
    await still.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    await countFlips(still);
    await still.click('[data-terminal]');
    await still.keyboard.type('echo still');
    await still.keyboard.press('Enter');
    await still.waitForFunction(() => /still[\s\S]*still/.test(document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? ''), null, { timeout: 15_000, polling: PAGE_POLL_MS });
    assert.equal(await flips(still), 0, 'with prefers-reduced-motion the cursor never blinks');
    assert.notEqual(await cursorBg(still), HIDDEN);
    await ctx.close();

    // the idle page stayed steady all that time, and a key starts the blink again
    assert.equal(await flips(page), 0, 'an idle terminal\'s cursor stays steady');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-terminal][data-cursor-blinking]', { timeout: 5_000 });
    await page.close();
  });

  test('a page opened without the token is refused', async () => {
    const page = await fx.browser.newPage();
    const res = await page.goto(fx.lab.url.replace(/\?token=.*$/, ''));
    assert.equal(res?.status(), 401);
    assert.match(await page.content(), /access token/i);
    await page.close();
  });

  test('the page has the lesson column and the terminal hooks', async () => {
    const page = await fx.browser.newPage();
    await page.goto(fx.lab.url);
    assert.equal(await page.locator('[data-terminal]').count(), 1);
    // the lessons arrive from /api/lessons after the page loads
    await page.waitForSelector('[data-lessons-state="ready"]', { timeout: 20_000 });
    const sections = await page.locator('.lesson-nav [data-section-id] h2').allInnerTexts();
    assert.deepEqual(sections.slice(0, 2), ['Prerequisites', 'Status Quo']);
    await page.close();
  });
});
