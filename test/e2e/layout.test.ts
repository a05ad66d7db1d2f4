// The page's layout in a real browser: side by side with a separator that resizes (mouse and
// keyboard) from 900 px up, stacked below, no horizontal overflow at phone widths, the terminal's
// header never clipped (also once the terminal has focus and a screenful of output), and the
// lesson text naming the terminal's place as the layout has it. Screenshots go to test-results/e2e/.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { e2eFixture, type E2eFixture } from './support/fixture.ts';
import { artifactPath } from './support/artifacts.ts';

async function openPage(fx: E2eFixture, width: number, path = '/lessons/status-quo/'): Promise<Page> {
  const page = await fx.browser.newPage({ viewport: { width, height: 800 } });
  await page.goto(fx.lab.url);
  await page.goto(new URL(path, fx.lab.url).href);
  await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
  await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
  return page;
}

const box = (page: Page, selector: string) => page.locator(selector).first().evaluate((e) => e.getBoundingClientRect().toJSON() as DOMRect);

describe('layout', () => {
  const fx = e2eFixture();

  for (const width of [360, 420]) {
    test(`${width} px: stacked, nothing wider than the screen, the terminal said to be below`, async () => {
      const page = await openPage(fx, width);
      const overflow = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        lessons: document.querySelector('.lesson-column')!.scrollWidth - document.querySelector('.lesson-column')!.clientWidth,
        title: (() => {
          const t = document.querySelector<HTMLElement>('.topbar-title')!;
          return t.scrollWidth - t.clientWidth;
        })(),
      }));
      assert.deepEqual(overflow, { page: 0, lessons: 0, title: 0 }, 'nothing scrolls sideways or is cut');
      const lessons = await box(page, '.lesson-column');
      const terminal = await box(page, '.terminal-column');
      assert.ok(terminal.top >= lessons.bottom, `the terminal is below the lessons (${terminal.top} < ${lessons.bottom})`);
      assert.equal(await page.locator('[data-splitter]').isVisible(), false);
      assert.match(await page.locator('.lede').innerText(), /in the terminal below\./);
      await page.screenshot({ path: artifactPath(`layout-${width}.png`), fullPage: true });
      await page.close();
    });
  }

  test('1280 px: side by side, and the separator resizes with the keyboard and the mouse, remembered across a reload', async () => {
    const page = await openPage(fx, 1280);
    const lessons = await box(page, '.lesson-column');
    const terminal = await box(page, '.terminal-column');
    assert.ok(terminal.left > lessons.right, 'the terminal is right of the lessons');
    assert.match(await page.locator('.lede').innerText(), /in the terminal on the right\./);
    const splitter = page.locator('[data-splitter]');
    assert.equal(await splitter.getAttribute('role'), 'separator');
    const before = Number(await splitter.getAttribute('aria-valuenow'));
    await splitter.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(Number(await splitter.getAttribute('aria-valuenow')), before + 4);
    assert.ok((await box(page, '.lesson-column')).width > lessons.width, 'the lessons got wider');

    const s = await box(page, '[data-splitter]');
    await page.mouse.move(s.left + s.width / 2, s.top + 100);
    await page.mouse.down();
    await page.mouse.move(700, s.top + 120, { steps: 4 });
    await page.mouse.up();
    const dragged = Number(await splitter.getAttribute('aria-valuenow'));
    const lab0 = await box(page, '.lab');
    assert.equal(dragged, Math.round(((700 - lab0.left) / lab0.width) * 100));
    await page.reload();
    await page.waitForSelector('[data-lessons][data-lessons-state="ready"]');
    assert.equal(Number(await page.locator('[data-splitter]').getAttribute('aria-valuenow')), dragged);
    await page.screenshot({ path: artifactPath('layout-1280.png') });
    await page.close();
  });

  for (const width of [420, 1280]) {
    test(`${width} px: the terminal's header stays whole once the terminal has focus and a screenful of output`, async () => {
      const page = await openPage(fx, width);
      await page.locator('[data-terminal] textarea').focus();
      await page.keyboard.type('seq 300');
      await page.keyboard.press('Enter');
      // the shell's OSC 133 marks count finished commands
      await page.waitForSelector('[data-terminal][data-commands-finished="1"]', { timeout: 30_000 });
      await page.locator('.lede').click();
      await page.locator('[data-terminal] textarea').focus();
      await page.keyboard.type('echo x');
      const m = await page.evaluate(() => {
        const panel = document.querySelector('.terminal-panel')!;
        const bar = document.querySelector('.terminal-toolbar')!.getBoundingClientRect();
        const host = document.querySelector('.terminal-host')!.getBoundingClientRect();
        const screen = document.querySelector('[data-terminal] .xterm-screen')!.getBoundingClientRect();
        return {
          scrolled: panel.scrollTop,
          barTop: bar.top - panel.getBoundingClientRect().top,
          barHeight: bar.height,
          below: screen.bottom - host.bottom,
        };
      });
      assert.equal(m.scrolled, 0, 'the panel never scrolls');
      assert.equal(m.barTop, 1, 'the toolbar starts right under the panel border');
      assert.equal(m.barHeight, 40);
      assert.ok(m.below <= 0, `the rows fit in the terminal's box (${m.below} px below it)`);
      await page.close();
    });
  }
});
