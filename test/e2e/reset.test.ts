// `sandbox reset --in-place` under serve, seen from the page: the terminal stays attached, and
// every step shows what the Status Quo has again (also after a reload), because the page sees the
// new reset epoch on /api/status and checks every step against the cluster.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { e2eFixture } from './support/fixture.ts';

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
  const fx = e2eFixture({ page: { width: 1280, height: 800 } });

  test('a passed step goes back to not yet after `sandbox reset --in-place`; the terminal stays attached', async () => {
    await fx.page.goto(fx.lab.url);
    await fx.page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 30_000 });
    await fx.page.waitForSelector('[data-cluster-status="running"]', { timeout: 30_000 });
    await fx.page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    await fx.page.click('[data-section-id="status-quo"] [data-lesson-toggle]');
    const solved = await fx.page.request.post(`${new URL(fx.lab.url).origin}/api/solve/status-quo/busybox`);
    assert.equal(solved.status(), 200, await solved.text());
    await fx.page.locator(`${BUSYBOX} [data-check]`).click();
    await fx.page.waitForSelector(`${BUSYBOX}[data-check-status="pass"]`, { timeout: 30_000 });
    assert.equal(await fx.page.locator('[data-cluster-status]').getAttribute('data-reset-epoch'), '0');

    const r = await lab(['sandbox', 'reset', '--in-place', '--state-dir', fx.lab.stateDir]);
    assert.equal(r.code, 0, r.stderr);

    await fx.page.waitForSelector('[data-cluster-status][data-reset-epoch="1"]', { timeout: 20_000 });
    await fx.page.waitForSelector(`${BUSYBOX}[data-check-status="fail"]`, { timeout: 30_000 });
    await fx.page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 30_000 });
    assert.equal(await fx.page.locator(SERVICE).getAttribute('data-check-status'), 'pass', 'the Status Quo has the kube-dns Service');
    assert.equal(await fx.page.locator('[data-terminal]').getAttribute('data-terminal-state'), 'attached');

    await fx.page.reload();
    await fx.page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 30_000 });
    assert.equal(await fx.page.locator(BUSYBOX).getAttribute('data-check-status'), 'fail', 'the pass from before the reset is not restored');
    assert.deepEqual(fx.problems, []);
  });
});
