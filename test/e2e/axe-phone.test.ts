// An axe scan (axe-core, npm) at phone width (420 px) in a real browser, with no serious or
// critical finding: the stacked layout, each lesson opened from the list as a learner moves on.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { e2eFixture } from './support/fixture.ts';
import { axeFindings } from './support/axe.ts';

describe('axe at phone width', () => {
  const fx = e2eFixture();

  test('axe finds nothing serious or critical at phone width, with each lesson opened from the list', async () => {
    // the lab's Content-Security-Policy allows no injected script, and axe is one
    const phone = await fx.browser.newContext({ bypassCSP: true, viewport: { width: 420, height: 800 } });
    const page = await phone.newPage();
    await page.goto(fx.lab.url);
    await page.goto(`${fx.origin}/lessons/prerequisites/`);
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    const lessons = await page.locator('[data-section-id]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.sectionId!));
    assert.ok(lessons.length >= 5, lessons.join(', '));
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
});
