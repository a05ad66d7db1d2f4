// The page on `serve --provider existing --i-understand-this-changes-kube-system`, on the
// learner's current context "minikube" (an embedded cluster playing a fresh minikube cluster,
// support/provider-lab.ts): no docker, kind or minikube is run; the badge names the provider and
// its context, the terminal's kubectl reaches that cluster, the lessons name the templates that
// fit it, and one step turns green as the learner types it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { providerPage } from './support/provider-lab.ts';
import { enterCommand } from './support/type-lessons.ts';

describe('the page on --provider existing (emulated cluster)', () => {
  const pp = providerPage('existing');

  test('badge, terminal and a step on existing', async () => {
    const { pl, page, problems } = pp;
    assert.deepEqual(pl.fakes.commands(), [], 'no docker, kind or minikube is run');
    await page.goto(pl.lab.url);
    const badge = page.locator('[data-cluster-status="running"]');
    await badge.waitFor({ timeout: 60_000 });
    assert.equal(await badge.innerText(), 'cluster: existing · running');
    assert.equal(await page.locator('[data-cluster-message]').innerText(), `kubectl context: ${pl.context}`);
    const create = (await page.locator('[data-step-id="deploy-coredns/create"]').textContent()) ?? '';
    assert.ok(create.includes('kubectl create -f templates/coredns-minikube.yaml'), create);

    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await enterCommand(page, 'kubectl config current-context; kubectl get nodes -o name');
    const rows = await page.locator('[data-terminal] .xterm-rows').innerText();
    assert.match(rows, new RegExp(`^${pl.context}$`, 'm'));
    assert.match(rows, /^node\/coredns-lab$/m);

    // the prerequisites' only step passed with the command above, so the page opens the next
    // lesson by itself; a click on its toggle could land after that and close it again
    await page.waitForSelector('[data-section-id="status-quo"][data-open="true"]', { timeout: 30_000 });
    const busybox = page.locator('[data-step-id="status-quo/busybox"]');
    assert.notEqual(await busybox.getAttribute('data-check-status'), 'pass');
    await enterCommand(page, 'kubectl create -f templates/busybox.yaml');
    await page.waitForSelector('[data-step-id="status-quo/busybox"][data-check-status="pass"]', { timeout: 90_000 });
    assert.deepEqual(problems, []);
  });
});
