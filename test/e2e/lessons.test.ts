// The lesson column in a real browser against the embedded cluster: the chapter renders from the
// server, a check explains why a step is not done, Run types the step's command into the page's
// terminal and the step turns green, the status after a reload is the cluster's, and Solve brings
// the cluster to a step's state. All of it under the page's CSP, with no console errors.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { e2eFixture } from './support/fixture.ts';
import { waitFor } from '../support/wait.ts';
import { PAGE_POLL_MS } from './support/browser.ts';

const LESSONS = ['prerequisites', 'status-quo', 'deploy-coredns', 'switch-to-coredns', 'delete-kube-dns'];
const step = (address: string) => `[data-step-id="${address}"]`;

describe('lessons in the page', () => {
  const fx = e2eFixture({ page: { width: 1280, height: 800 }, cleanStop: true });

  before(async () => {
    fx.page.on('console', (m) => {
      if (m.type() === 'error') fx.problems.push(m.text());
    });
  });

  test('the chapter renders: five lessons, each step with its page hooks', async () => {
    const res = await fx.page.goto(fx.lab.url);
    assert.equal(res?.status(), 200);
    await fx.page.waitForSelector('[data-lessons][data-lessons-state="ready"]', { timeout: 20_000 });
    // checks and solves need the cluster: fail here, with its reason, rather than in a later test
    await fx.page.waitForSelector('[data-cluster-status]:not([data-cluster-status="unknown"])', { timeout: 20_000 });
    const badge = fx.page.locator('[data-cluster-status]');
    assert.equal(await badge.getAttribute('data-cluster-status'), 'running', `the cluster is not running: ${await badge.getAttribute('title')}`);
    const ids = await fx.page.locator('[data-lessons] [data-section-id]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.sectionId));
    assert.deepEqual(ids, LESSONS);
    assert.equal(await fx.page.locator('[data-chapter-title]').innerText(), 'Using CoreDNS for Service Discovery');
    for (const lesson of LESSONS) {
      const steps = await fx.page.locator(`[data-section-id="${lesson}"] [data-step-id]`).evaluateAll((els) =>
        els.map((e) => [(e as HTMLElement).dataset.stepId, (e as HTMLElement).dataset.checkStatus]),
      );
      assert.ok(steps.length > 0, `${lesson} has steps`);
      for (const [id] of steps) assert.match(id!, new RegExp(`^${lesson}/[a-z0-9-]+$`));
    }
    // Markdown is rendered, not shown as source
    assert.ok((await fx.page.locator(`${step('status-quo/kube-dns-service')} .step-body strong`).count()) > 0);
  });

  test('a lesson address reads without JavaScript: its prose and an anchor per step are in the HTML', async () => {
    const noJs = await fx.browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 800 } });
    const p = await noJs.newPage();
    try {
      // the token URL sets the cookie, then the lesson's own address
      await p.goto(fx.lab.url);
      const res = await p.goto(`${new URL(fx.lab.url).origin}/lessons/status-quo/#nslookup`);
      assert.equal(res?.status(), 200);
      assert.equal(await p.title(), 'Status Quo · Using CoreDNS for Service Discovery · coredns-lab');
      const intro = p.locator('[data-section-id="status-quo"] .lesson-intro');
      assert.equal(await intro.isVisible(), true);
      assert.match(await intro.innerText(), /Before changing anything/);
      const anchors = await p.locator('[data-section-id="status-quo"] li.step[id]').evaluateAll((els) => els.map((e) => e.id));
      assert.deepEqual(anchors, ['kube-dns-service', 'busybox', 'nslookup', 'resolv-conf']);
      assert.equal(await p.locator('#nslookup .step-body').isVisible(), true);
      // the other lessons are closed, and open by their links
      assert.equal(await p.locator('[data-section-id="deploy-coredns"] .section-content').isVisible(), false);
      await p.click('[data-lesson-toggle="deploy-coredns"]');
      await p.waitForURL(/\/lessons\/deploy-coredns\/$/);
      assert.equal(await p.locator('[data-section-id="deploy-coredns"] .section-content').isVisible(), true);
    } finally {
      await noJs.close();
    }
  });

  test('Check explains a step that is not done; Run types its command and the step turns green', async () => {
    const busybox = fx.page.locator(step('status-quo/busybox'));
    await fx.page.click('[data-section-id="status-quo"] [data-lesson-toggle]');
    await busybox.locator('[data-check]').click();
    await fx.page.waitForSelector(`${step('status-quo/busybox')}[data-check-status="fail"]`, { timeout: 30_000 });
    const result = busybox.locator('[data-step-result]');
    assert.equal(await result.getAttribute('aria-live'), 'polite');
    const text = await result.innerText();
    assert.match(text, /Expected\s*\S/);
    assert.match(text, /Found\s*\S/);
    assert.match(text, /What to do\s*\S/);
    assert.match(text, /busybox/);

    await fx.page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 20_000 });
    const run = busybox.locator('[data-run="kubectl create -f templates/busybox.yaml"]');
    await run.click();
    await fx.page.waitForFunction(
      () => /pod\/busybox created/.test(document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? ''),
      null,
      { timeout: 20_000, polling: PAGE_POLL_MS },
    );
    // the auto-check after Run may get there first; Check again until the pod is Ready
    let shown = '';
    await waitFor(async () => {
      if ((await busybox.getAttribute('data-check-status')) === 'pass') return true;
      shown = await result.innerText();
      if (await busybox.locator('[data-check]').isEnabled()) await busybox.locator('[data-check]').click();
      return false;
    }, { what: 'the busybox step to pass', timeout: 60_000, interval: 1_500, show: () => shown });
    assert.match(await result.innerText(), /Passed/);
    assert.match(await fx.page.locator('[data-section-id="status-quo"] [data-lesson-progress]').innerText(), /^\d+ of \d+ steps passed$/);
  });

  test('after a reload the step shows pass, checked against the cluster again, and the lesson open before is open', async () => {
    // once busybox runs, the Status Quo's later steps (nslookup, resolv.conf) pass too, and the
    // page opens the next lesson by itself at its next look (up to 10 s after the command): wait
    // for that, or the reload below may reload the address the page has just moved to
    await fx.page.waitForSelector('[data-section-id="deploy-coredns"][data-open="true"]', { timeout: 45_000 });
    const before = /^\/lessons\/([a-z0-9-]+)\//.exec(new URL(fx.page.url()).pathname)?.[1];
    assert.ok(before, fx.page.url());
    await fx.page.reload();
    await fx.page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 30_000 });
    const busybox = fx.page.locator(step('status-quo/busybox'));
    assert.equal(await busybox.getAttribute('data-check-status'), 'pass');
    assert.equal(await busybox.getAttribute('data-check-stale'), null);
    assert.match(await busybox.locator('[data-step-result]').innerText(), /Passed/);
    assert.equal(await fx.page.locator(`[data-section-id="${before}"] [data-lesson-toggle]`).getAttribute('aria-expanded'), 'true', 'the lesson open before the reload is open again');
    assert.equal(await fx.page.locator('[data-section-id][data-open="true"]').count(), 1);
  });

  test('Solve asks first, then brings the cluster to the step and shows what it did', async () => {
    // the toggle closes an open lesson: click it only when the lesson is closed
    if ((await fx.page.locator('[data-section-id="deploy-coredns"]').getAttribute('data-open')) !== 'true') {
      await fx.page.click('[data-section-id="deploy-coredns"] [data-lesson-toggle]');
    }
    const create = fx.page.locator(step('deploy-coredns/create'));
    const dialogs: string[] = [];
    fx.page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await create.locator('[data-solve]').click();
    assert.equal(dialogs.length, 1);
    assert.equal(await create.locator('[data-solve-output]').isVisible(), false, 'a dismissed confirm changes nothing');

    fx.page.once('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await create.locator('[data-solve]').click();
    assert.match(dialogs[1]!, /changes the cluster/);
    await fx.page.waitForSelector(`${step('deploy-coredns/create')} .solve-progress`, { timeout: 5_000 });
    await fx.page.waitForSelector(`${step('deploy-coredns/create')}[data-check-status="pass"]`, { timeout: 90_000 });
    const output = await create.locator('[data-solve-output]').innerText();
    assert.match(output, /Solve finished/);
    assert.match(output, /coredns/, `the log names what was created: ${output}`);
    assert.equal(await create.getAttribute('data-check-stale'), null);

    const csp = fx.problems.filter((p) => /Content Security Policy|Refused to/.test(p));
    assert.deepEqual(csp, [], 'the page must run under its CSP without violations');
    assert.deepEqual(fx.problems, []);
  });
  test('an API error shows in the step in plain words; after a reload the step shows the cluster again', async () => {
    // a stopped cluster, as the server reports it; the browser's answer is the only thing faked
    const other = await fx.browser.newPage({ viewport: { width: 1280, height: 800 } });
    await other.route('**/api/checks/prerequisites/**', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'LAB_ERR_CLUSTER_NOT_READY', message: 'the embedded cluster is stopped; checks and solves need it running' } }),
      }),
    );
    await other.goto(fx.lab.url);
    await other.waitForSelector('[data-lessons][data-lessons-state="ready"]', { timeout: 20_000 });
    // a fresh browser opens the first lesson
    assert.equal(await other.locator('[data-section-id="prerequisites"] [data-lesson-toggle]').getAttribute('aria-expanded'), 'true');
    const first = other.locator('[data-section-id="prerequisites"] [data-step-id]').first();
    const address = (await first.getAttribute('data-step-id'))!;
    await first.locator('[data-check]').click();
    await other.waitForSelector(`${step(address)}[data-check-status="error"]`, { timeout: 10_000 });
    assert.equal(await first.getAttribute('data-api-error'), 'LAB_ERR_CLUSTER_NOT_READY');
    assert.match(await first.locator('[data-step-result]').innerText(), /^The cluster is not running: the embedded cluster is stopped/);
    await other.reload();
    await other.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 30_000 });
    assert.equal(await other.locator(step(address)).getAttribute('data-check-status'), 'pass', 'the nodes are Ready; the failed request is not progress');
    assert.equal(await other.locator(step(address)).getAttribute('data-api-error'), null);
    await other.close();
  });
});
