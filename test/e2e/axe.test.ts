// An axe scan (axe-core, npm) of every page in a real browser, with no serious or critical
// finding: each lesson's address at desktop width, each lesson opened from the list at phone
// width, and the page that refuses a browser without the token. Screenshots of each lesson go
// to test-results/e2e/.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLab, type LabProcess } from './support/lab-process.ts';
import { launchChromium } from './support/browser.ts';
import { artifactPath } from './support/artifacts.ts';
import { axeFindings } from './support/axe.ts';

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
  await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
}

describe('axe', () => {
  let lab: LabProcess;
  let browser: Browser;
  let context: BrowserContext;
  let origin: string;
  let lessons: string[];
  const problems: string[] = [];

  before(async () => {
    lab = await startLab();
    origin = new URL(lab.url).origin;
    browser = await launchChromium();
    // the lab's Content-Security-Policy allows no injected script, and axe is one
    context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(lab.url);
    lessons = ((await (await page.request.get(`${origin}/api/lessons`)).json()) as { lessons: { id: string }[] }).lessons.map((l) => l.id);
    await page.close();
  });
  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  test('axe finds nothing serious or critical on any lesson page, at desktop and at phone width', async () => {
    assert.ok(lessons.length >= 5, `the chapter has its lessons (${lessons.join(', ')})`);
    const findings: string[] = [];
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(String(e)));
    for (const id of lessons) {
      await page.goto(`${origin}/lessons/${id}/`);
      await ready(page);
      for (const f of await axeFindings(page)) findings.push(`/lessons/${id}/ at 1280 px: ${f}`);
      await page.screenshot({ path: artifactPath(`lesson-${id}.png`) });
    }
    // at phone width each lesson is opened from the list, as a learner moves on (same document)
    await page.setViewportSize({ width: 420, height: 800 });
    for (const id of lessons) {
      const section = page.locator(`[data-section-id="${id}"]`);
      if ((await section.getAttribute('data-open')) !== 'true') await section.locator('[data-lesson-toggle]').click();
      await page.waitForURL(new RegExp(`/lessons/${id}/`));
      for (const f of await axeFindings(page)) findings.push(`/lessons/${id}/ at 420 px: ${f}`);
    }
    await page.close();
    assert.deepEqual(findings, []);
    assert.deepEqual(problems, []);
  });

  test('axe finds nothing serious or critical on the page that refuses a browser without the token', async () => {
    const stranger = await browser.newContext({ bypassCSP: true });
    const page = await stranger.newPage();
    const r = await page.goto(`${origin}/`);
    assert.equal(r?.status(), 401);
    assert.deepEqual(await axeFindings(page), []);
    await stranger.close();
  });
});
