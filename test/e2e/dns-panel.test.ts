// The live DNS panel in the real browser: the picture shows the kube-dns Service and the kube-dns
// pods behind it, then redraws with the CoreDNS pod when the Service's selector switches, and the
// nslookup step's command, typed into the page's terminal, shows as one lookup read from CoreDNS's
// log: the search list's NXDOMAINs, then the answer.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { e2eFixture } from './support/fixture.ts';
import { artifactPath } from './support/artifacts.ts';
import { PAGE_POLL_MS } from './support/browser.ts';

describe('the DNS panel', () => {
  const fx = e2eFixture({ page: { width: 1280, height: 900 } });

  const endpointPods = () => fx.page.locator('[data-dns-topology] [data-dns-pod][data-endpoint="true"]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-dns-pod')));

  test('the picture: the kube-dns Service and the kube-dns pods behind it, in a named region', async () => {
    await fx.page.goto(fx.lab.url);
    const region = fx.page.getByRole('region', { name: 'DNS, live' });
    await region.waitFor();
    assert.equal(await region.getAttribute('data-dns-log'), '');
    await fx.page.waitForSelector('[data-dns-topology][data-selector="k8s-app=kube-dns"]', { timeout: 60_000 });
    await fx.page.waitForFunction(() => document.querySelectorAll('[data-dns-pod][data-endpoint="true"]').length === 2, null, { timeout: 30_000, polling: PAGE_POLL_MS });
    for (const name of await endpointPods()) assert.match(name!, /^kube-dns-/);
    assert.match(await fx.page.locator('[data-dns-caption]').innerText(), /selects k8s-app=kube-dns: behind it kube-dns-/);
  });

  test('switching the Service\'s selector to CoreDNS redraws the picture', async () => {
    const solved = await fx.page.request.post(`${fx.origin}/api/solve/switch-to-coredns/apply-service`);
    assert.equal(solved.status(), 200, await solved.text());
    await fx.page.waitForSelector('[data-dns-topology][data-selector="k8s-app=coredns"]', { timeout: 30_000 });
    await fx.page.waitForFunction(
      () => [...document.querySelectorAll('[data-dns-pod][data-endpoint="true"]')].map((g) => g.getAttribute('data-dns-pod')).every((n) => n?.startsWith('coredns-')),
      null,
      { timeout: 30_000, polling: PAGE_POLL_MS },
    );
    const behind = await endpointPods();
    assert.equal(behind.length, 1);
    assert.equal(await fx.page.locator('[data-dns-pod^="kube-dns-"][data-endpoint="false"]').count(), 2, 'kube-dns still runs, not selected');
    assert.match(await fx.page.locator('[data-dns-caption]').innerText(), /not selected: kube-dns-/);
  });

  test('the nslookup step, typed in the terminal, shows as one lookup: the NXDOMAINs, then the answer', async () => {
    await fx.page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await fx.page.locator('[data-terminal] textarea').focus();
    await fx.page.keyboard.type('kubectl exec -ti busybox -- nslookup kubernetes.default');
    await fx.page.keyboard.press('Enter');
    const lookup = fx.page.locator('[data-dns-lookup][data-lookup-name="kubernetes.default"][data-answered="true"]').first();
    await lookup.waitFor({ timeout: 45_000 });
    const summary = await lookup.locator('p').innerText();
    assert.match(summary, /^default\/busybox \(\d+\.\d+\.\d+\.\d+\) looked up kubernetes\.default: answered for kubernetes\.default\.svc\.cluster\.local\. after \d+ NXDOMAIN/);
    const rows = await lookup.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')));
    const forward = rows.filter((r) => r[1] !== 'PTR');
    const answer = forward.findIndex((r) => r[2] === 'kubernetes.default.svc.cluster.local.' && r[3] === 'NOERROR');
    assert.ok(answer > 0, JSON.stringify(rows));
    for (const r of forward.slice(0, answer)) assert.equal(r[3], 'NXDOMAIN', JSON.stringify(r));
    for (const r of rows) assert.match(r[5]!, /^coredns-/, 'answered by the CoreDNS pod');
    assert.equal(await fx.page.locator('[data-dns-lookup] th[scope="col"]').first().innerText(), 'time', 'a table with column headers');
    await fx.page.locator('[data-dns-log]').screenshot({ path: artifactPath('dns-panel.png') });
    assert.deepEqual(fx.problems, []);
  });
});
