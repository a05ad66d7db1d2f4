// `sandbox reset --in-place` under serve, seen from the page: the terminal stays attached, and
// every step's status goes back to pending (also after a reload), because the page sees the new
// reset epoch on /api/status.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startLab, type LabProcess } from './support/lab-process.ts';
import { launchChromium } from './support/browser.ts';

const STEP = '[data-step-id="status-quo/kube-dns-service"]';

function lab(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join('bin', 'coredns-lab.js'), ...args], { cwd: new URL('../..', import.meta.url).pathname, timeout: 90_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('a reset in place, seen from the page', () => {
  let server: LabProcess;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    server = await startLab();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => problems.push(String(e)));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('a passed step goes back to pending after `sandbox reset --in-place`; the terminal stays attached', async () => {
    await page.goto(server.url);
    await page.waitForSelector('[data-lessons][data-lessons-state="ready"]', { timeout: 20_000 });
    await page.waitForSelector('[data-cluster-status="running"]', { timeout: 30_000 });
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    await page.click('[data-section-id="status-quo"] [data-lesson-toggle]');
    await page.locator(`${STEP} [data-check]`).click();
    await page.waitForSelector(`${STEP}[data-check-status="pass"]`, { timeout: 30_000 });
    assert.equal(await page.locator('[data-cluster-status]').getAttribute('data-reset-epoch'), '0');

    const r = await lab(['sandbox', 'reset', '--in-place', '--state-dir', server.stateDir]);
    assert.equal(r.code, 0, r.stderr);

    await page.waitForSelector('[data-cluster-status][data-reset-epoch="1"]', { timeout: 20_000 });
    await page.waitForSelector(`${STEP}[data-check-status="pending"]`, { timeout: 5_000 });
    const statuses = await page.locator('[data-step-id]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.checkStatus));
    assert.ok(statuses.length > 0 && statuses.every((s) => s === 'pending'), statuses.join(','));
    assert.equal(await page.locator('[data-terminal]').getAttribute('data-terminal-state'), 'attached');

    await page.reload();
    await page.waitForSelector('[data-lessons][data-lessons-state="ready"]', { timeout: 20_000 });
    assert.equal(await page.locator(STEP).getAttribute('data-check-status'), 'pending', 'the pass from before the reset is not restored');
    assert.deepEqual(problems, []);
  });
});
