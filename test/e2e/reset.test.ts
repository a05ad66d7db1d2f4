// `sandbox reset --in-place` under serve, seen from the page: the terminal stays attached, and
// every step shows what the Status Quo has again (also after a reload), because the page sees the
// new reset epoch on /api/status and checks every step against the cluster.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startLab, type LabProcess } from './support/lab-process.ts';
import { launchChromium } from './support/browser.ts';

const BUSYBOX = '[data-step-id="status-quo/busybox"]';
const SERVICE = '[data-step-id="status-quo/kube-dns-service"]';

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

  test('a passed step goes back to not yet after `sandbox reset --in-place`; the terminal stays attached', async () => {
    await page.goto(server.url);
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 30_000 });
    await page.waitForSelector('[data-cluster-status="running"]', { timeout: 30_000 });
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    await page.click('[data-section-id="status-quo"] [data-lesson-toggle]');
    const solved = await page.request.post(`${new URL(server.url).origin}/api/solve/status-quo/busybox`);
    assert.equal(solved.status(), 200, await solved.text());
    await page.locator(`${BUSYBOX} [data-check]`).click();
    await page.waitForSelector(`${BUSYBOX}[data-check-status="pass"]`, { timeout: 30_000 });
    assert.equal(await page.locator('[data-cluster-status]').getAttribute('data-reset-epoch'), '0');

    const r = await lab(['sandbox', 'reset', '--in-place', '--state-dir', server.stateDir]);
    assert.equal(r.code, 0, r.stderr);

    await page.waitForSelector('[data-cluster-status][data-reset-epoch="1"]', { timeout: 20_000 });
    await page.waitForSelector(`${BUSYBOX}[data-check-status="fail"]`, { timeout: 30_000 });
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 30_000 });
    assert.equal(await page.locator(SERVICE).getAttribute('data-check-status'), 'pass', 'the Status Quo has the kube-dns Service');
    assert.equal(await page.locator('[data-terminal]').getAttribute('data-terminal-state'), 'attached');

    await page.reload();
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 30_000 });
    assert.equal(await page.locator(BUSYBOX).getAttribute('data-check-status'), 'fail', 'the pass from before the reset is not restored');
    assert.deepEqual(problems, []);
  });
});
