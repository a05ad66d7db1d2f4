// Progress that tells the truth, seen in a real browser: what a step shows comes from the
// cluster (on load, after a reload, after a reset), the server keeps each browser's progress in
// the state dir, and the page's own reset buttons ask first, show their progress, and leave every
// step as the cluster has it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startLab, type LabProcess } from './support/lab-process.ts';
import { launchChromium } from './support/browser.ts';

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
  let lab: LabProcess;
  let browser: Browser;
  let page: Page;
  let origin: string;
  const problems: string[] = [];

  before(async () => {
    lab = await startLab();
    origin = new URL(lab.url).origin;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => problems.push(String(e)));
  });
  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  test('a fresh browser sees each step as the Status Quo has it, checked against the cluster', async () => {
    await page.goto(lab.url);
    await verified(page);
    const all = await statuses(page);
    assert.equal(Object.keys(all).length, 12);
    assert.deepEqual(all, statusQuo(all));
    assert.equal(await page.locator('[data-step-id][data-check-stale]').count(), 0);
    // the first lesson opens on its own address
    assert.equal(new URL(page.url()).pathname, '/lessons/prerequisites/');
  });

  test('the server keeps the browser\'s progress in the state dir (0600), and a reload shows what the cluster has now', async () => {
    // the cluster changes behind the page's back: a solve through the API
    const solved = await page.request.post(`${origin}/api/solve/deploy-coredns/create`);
    assert.equal(solved.status(), 200, await solved.text());
    const file = join(lab.stateDir, 'progress.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { browsers: Record<string, { steps: Record<string, { status: string }> }> };
    const mine = Object.entries(kept.browsers).find(([client]) => client.startsWith('browser:'));
    assert.ok(mine, `a record for this browser: ${Object.keys(kept.browsers).join(', ')}`);
    assert.equal(mine[1].steps['deploy-coredns/create']?.status, 'pass');

    const progress = (await (await page.request.get(`${origin}/api/progress`)).json()) as { steps: Record<string, { status: string }> };
    assert.equal(progress.steps['deploy-coredns/create']?.status, 'pass');

    await page.goto(`${origin}/lessons/deploy-coredns/`);
    await verified(page);
    const all = await statuses(page);
    // the solve did status-quo/busybox and deploy-coredns/create (and the steps that only read them)
    for (const a of ['status-quo/busybox', 'status-quo/nslookup', 'status-quo/resolv-conf', 'deploy-coredns/create']) assert.equal(all[a], 'pass', a);
    assert.equal(all['switch-to-coredns/apply-service'], 'fail');
  });

  test('"Reset the sandbox" asks first, shows its progress, and every step is back to what the Status Quo has', async () => {
    const dialogs: string[] = [];
    page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.click('[data-reset-sandbox]');
    assert.match(dialogs[0]!, /Reset the sandbox\?/);
    assert.equal((await statuses(page))['deploy-coredns/create'], 'pass', 'a dismissed confirm changes nothing');

    page.once('dialog', (d) => void d.accept());
    await page.click('[data-reset-sandbox]');
    const line = page.locator('.chapter-tools [data-reset-progress]');
    assert.equal(await line.getAttribute('role'), 'status');
    await page.waitForSelector('[data-lessons][data-reset-state="done"]', { timeout: 120_000 });
    assert.match(await line.innerText(), /^Reset done in \d+ s/);
    await verified(page);
    const all = await statuses(page);
    assert.deepEqual(all, statusQuo(all));
    // the header asks /api/status every 3 s: the epoch shows there by the next answer
    await page.waitForSelector('[data-cluster-status][data-reset-epoch="1"]', { timeout: 15_000 });
    assert.equal(await page.locator('[data-terminal]').getAttribute('data-terminal-state'), 'attached', 'the terminal stays');
  });

  test('"Reset this lesson" brings the sandbox to where the lesson starts', async () => {
    await page.goto(`${origin}/lessons/switch-to-coredns/`);
    await verified(page);
    page.once('dialog', (d) => void d.accept());
    await page.click('[data-section-id="switch-to-coredns"] [data-reset-lesson]');
    await page.waitForSelector('[data-lessons][data-reset-state="done"]', { timeout: 180_000 });
    assert.match(await page.locator('[data-section-id="switch-to-coredns"] [data-reset-progress]').innerText(), /^Reset done in \d+ s \(\d+ earlier actions redone\)/);
    await verified(page);
    const all = await statuses(page);
    for (const [a, s] of Object.entries(all)) {
      const before = a.startsWith('prerequisites/') || a.startsWith('status-quo/') || a.startsWith('deploy-coredns/');
      assert.equal(s, before ? 'pass' : 'fail', a);
    }
    assert.equal(await page.locator(step('switch-to-coredns/apply-service')).isVisible(), true);
  });

  test('a reload mid-lesson lands on the same lesson and step', async () => {
    await page.goto(`${origin}/lessons/status-quo/#resolv-conf`);
    await verified(page);
    await page.reload();
    await verified(page);
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).hash, '/lessons/status-quo/#resolv-conf');
    assert.equal(await page.locator('[data-section-id="status-quo"]').getAttribute('data-open'), 'true');
    assert.equal(await page.locator('[data-section-id="deploy-coredns"]').getAttribute('data-open'), 'false');
    assert.equal(await page.locator(step('status-quo/resolv-conf')).getAttribute('id'), 'resolv-conf');
    assert.ok(await page.locator(step('status-quo/resolv-conf')).isVisible());
    // an unknown lesson is a 404 that names the real ones
    const r = await page.request.get(`${origin}/lessons/no-such-lesson/`, { headers: { Accept: 'text/html' } });
    assert.equal(r.status(), 404);
    assert.match(await r.text(), /status-quo/);
    assert.deepEqual(problems, []);
  });
});
