// An axe scan (axe-core, npm) of every page in a real browser, with no serious or critical
// finding: each lesson's address at desktop width, each lesson opened from the list at phone
// width (the stacked layout, as a learner moves on), and the page that refuses a browser without
// the token.
// Screenshots of each lesson go to test-results/e2e/.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { e2eFixture } from './support/fixture.ts';
import { artifactPath } from './support/artifacts.ts';
import { axeFindings } from './support/axe.ts';

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
  await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
}

describe('axe', () => {
  const fx = e2eFixture();
  let context: BrowserContext;
  let lessons: string[];

  before(async () => {
    // the lab's Content-Security-Policy allows no injected script, and axe is one
    context = await fx.browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(fx.lab.url);
    lessons = ((await (await page.request.get(`${fx.origin}/api/lessons`)).json()) as { lessons: { id: string }[] }).lessons.map((l) => l.id);
    await page.close();
  });

  test('axe finds nothing serious or critical on any lesson page', async () => {
    assert.ok(lessons.length >= 5, `the chapter has its lessons (${lessons.join(', ')})`);
    const findings: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (e) => fx.problems.push(String(e)));
    for (const [i, id] of lessons.entries()) {
      await page.goto(`${fx.origin}/lessons/${id}/`);
      // the first page is scanned with every step's result shown (hints, links); the others as
      // soon as their lesson is there, to keep the file within the runner's time on a busy machine
      if (i === 0) await ready(page);
      else await page.waitForSelector('[data-lessons][data-lessons-state="ready"]', { timeout: 60_000 });
      for (const f of await axeFindings(page)) findings.push(`/lessons/${id}/ at 1280 px: ${f}`);
      await page.screenshot({ path: artifactPath(`lesson-${id}.png`) });
    }
    await page.close();
    assert.deepEqual(findings, []);
    assert.deepEqual(fx.problems, []);
  });

  test('axe finds nothing serious or critical at phone width, with each lesson opened from the list', async () => {
    const phone = await fx.browser.newContext({ bypassCSP: true, viewport: { width: 420, height: 800 } });
    const page = await phone.newPage();
    await page.goto(fx.lab.url);
    await page.goto(`${fx.origin}/lessons/${lessons[0]}/`);
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    const findings: string[] = [];
    for (const id of lessons) {
      const section = page.locator(`[data-section-id="${id}"]`);
      if ((await section.getAttribute('data-open')) !== 'true') await section.locator('[data-lesson-toggle]').click();
      await page.waitForURL(new RegExp(`/lessons/${id}/`));
      for (const f of await axeFindings(page)) findings.push(`/lessons/${id}/ at 420 px: ${f}`);
    }
    assert.deepEqual(findings, []);
    await phone.close();
  });

  test('axe finds nothing serious or critical on the page that refuses a browser without the token', async () => {
    const stranger = await fx.browser.newContext({ bypassCSP: true });
    const page = await stranger.newPage();
    const r = await page.goto(`${fx.origin}/`);
    assert.equal(r?.status(), 401);
    assert.deepEqual(await axeFindings(page), []);
    await stranger.close();
  });
});
