// Progress that tells the truth, seen in a real browser: what a step shows comes from the
// cluster (on load, after a reload, after a reset), the server keeps each browser's progress in
// the state dir, and the page's own reset buttons ask first, show their progress, and leave every
// step as the cluster has it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { e2eFixture } from './support/fixture.ts';

/** what the chapter's Status Quo passes: the cluster and the kube-dns Service are there from the start */
const PASS_AT_STATUS_QUO = new Set(['prerequisites/cluster', 'status-quo/kube-dns-service']);
const step = (address: string) => `[data-step-id="${address}"]`;

async function statuses(page: Page): Promise<Record<string, string>> {
  const pairs = await page.locator('[data-step-id]').evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.stepId!, (e as HTMLElement).dataset.checkStatus!]));
  return Object.fromEntries(pairs);
}

function statusQuo(all: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(all).map((a) => [a, PASS_AT_STATUS_QUO.has(a) ? 'pass' : 'fail']));
}

async function verified(page: Page): Promise<void> {
  await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
}

describe('progress from the cluster', () => {
  const fx = e2eFixture({ page: { width: 1280, height: 800 } });

  test('a fresh browser sees each step as the Status Quo has it, checked against the cluster', async () => {
    await fx.page.goto(fx.lab.url);
    await verified(fx.page);
    const all = await statuses(fx.page);
    assert.equal(Object.keys(all).length, 12);
    assert.deepEqual(all, statusQuo(all));
    assert.equal(await fx.page.locator('[data-step-id][data-check-stale]').count(), 0);
    // the first lesson opens on its own address
    assert.equal(new URL(fx.page.url()).pathname, '/lessons/prerequisites/');
  });

  test('the server keeps the browser\'s progress in the state dir (0600), and a reload shows what the cluster has now', async () => {
    // the cluster changes behind the page's back: a solve through the API
    const solved = await fx.page.request.post(`${fx.origin}/api/solve/deploy-coredns/create`);
    assert.equal(solved.status(), 200, await solved.text());
    const file = join(fx.lab.stateDir, 'progress.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { browsers: Record<string, { steps: Record<string, { status: string }> }> };
    const mine = Object.entries(kept.browsers).find(([client]) => client.startsWith('browser:'));
    assert.ok(mine, `a record for this browser: ${Object.keys(kept.browsers).join(', ')}`);
    assert.equal(mine[1].steps['deploy-coredns/create']?.status, 'pass');

    const progress = (await (await fx.page.request.get(`${fx.origin}/api/progress`)).json()) as { steps: Record<string, { status: string }> };
    assert.equal(progress.steps['deploy-coredns/create']?.status, 'pass');

    await fx.page.goto(`${fx.origin}/lessons/deploy-coredns/`);
    await verified(fx.page);
    const all = await statuses(fx.page);
    // the solve did status-quo/busybox and deploy-coredns/create (and the steps that only read them)
    for (const a of ['status-quo/busybox', 'status-quo/nslookup', 'status-quo/resolv-conf', 'deploy-coredns/create']) assert.equal(all[a], 'pass', a);
    assert.equal(all['switch-to-coredns/apply-service'], 'fail');
  });

  test('"Reset the sandbox" asks first, shows its progress, and every step is back to what the Status Quo has', async () => {
    const dialogs: string[] = [];
    fx.page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await fx.page.click('[data-reset-sandbox]');
    assert.match(dialogs[0]!, /Reset the sandbox\?/);
    assert.equal((await statuses(fx.page))['deploy-coredns/create'], 'pass', 'a dismissed confirm changes nothing');

    fx.page.once('dialog', (d) => void d.accept());
    await fx.page.click('[data-reset-sandbox]');
    const line = fx.page.locator('.chapter-tools [data-reset-progress]');
    assert.equal(await line.getAttribute('role'), 'status');
    await fx.page.waitForSelector('[data-lessons][data-reset-state="done"]', { timeout: 120_000 });
    assert.match(await line.innerText(), /^Reset done in \d+ s/);
    await verified(fx.page);
    const all = await statuses(fx.page);
    assert.deepEqual(all, statusQuo(all));
    // the header asks /api/status every 3 s: the epoch shows there by the next answer
    await fx.page.waitForSelector('[data-cluster-status][data-reset-epoch="1"]', { timeout: 15_000 });
    assert.equal(await fx.page.locator('[data-terminal]').getAttribute('data-terminal-state'), 'attached', 'the terminal stays');
  });

  test('"Reset this lesson" brings the sandbox to where the lesson starts', async () => {
    await fx.page.goto(`${fx.origin}/lessons/switch-to-coredns/`);
    await verified(fx.page);
    fx.page.once('dialog', (d) => void d.accept());
    await fx.page.click('[data-section-id="switch-to-coredns"] [data-reset-lesson]');
    await fx.page.waitForSelector('[data-lessons][data-reset-state="done"]', { timeout: 180_000 });
    assert.match(await fx.page.locator('[data-section-id="switch-to-coredns"] [data-reset-progress]').innerText(), /^Reset done in \d+ s \(\d+ earlier actions redone\)/);
    await verified(fx.page);
    const all = await statuses(fx.page);
    for (const [a, s] of Object.entries(all)) {
      const before = a.startsWith('prerequisites/') || a.startsWith('status-quo/') || a.startsWith('deploy-coredns/');
      assert.equal(s, before ? 'pass' : 'fail', a);
    }
    assert.equal(await fx.page.locator(step('switch-to-coredns/apply-service')).isVisible(), true);
  });

  test('a reload mid-lesson lands on the same lesson and step', async () => {
    await fx.page.goto(`${fx.origin}/lessons/status-quo/#resolv-conf`);
    await verified(fx.page);
    await fx.page.reload();
    await verified(fx.page);
    assert.equal(new URL(fx.page.url()).pathname + new URL(fx.page.url()).hash, '/lessons/status-quo/#resolv-conf');
    assert.equal(await fx.page.locator('[data-section-id="status-quo"]').getAttribute('data-open'), 'true');
    assert.equal(await fx.page.locator('[data-section-id="deploy-coredns"]').getAttribute('data-open'), 'false');
    assert.equal(await fx.page.locator(step('status-quo/resolv-conf')).getAttribute('id'), 'resolv-conf');
    assert.ok(await fx.page.locator(step('status-quo/resolv-conf')).isVisible());
    // an unknown lesson is a 404 that names the real ones
    const r = await fx.page.request.get(`${fx.origin}/lessons/no-such-lesson/`, { headers: { Accept: 'text/html' } });
    assert.equal(r.status(), 404);
    assert.match(await r.text(), /status-quo/);
    assert.deepEqual(fx.problems, []);
  });
});
