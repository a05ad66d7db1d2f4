// A hint that depends on an earlier lesson links to it, in a real browser: the learner switches
// the kube-dns Service to CoreDNS before CoreDNS runs, the step's check (run by itself after the
// command) says the pods are missing and links to the step that creates them, and the link opens
// that lesson at that step without reloading the page.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { e2eFixture } from './support/fixture.ts';
import { artifactPath } from './support/artifacts.ts';

describe('hints that link', () => {
  const fx = e2eFixture({ page: { width: 1280, height: 800 } });

  before(async () => {
    await fx.page.goto(fx.lab.url);
  });

  test('switching the Service before CoreDNS runs links to the deploy-coredns lesson', async () => {
    await fx.page.goto(new URL('/lessons/switch-to-coredns/', fx.lab.url).href);
    await fx.page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    await fx.page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await fx.page.locator('[data-terminal] textarea').focus();
    await fx.page.keyboard.type('kubectl apply -f templates/coredns-service.yaml');
    await fx.page.keyboard.press('Enter');

    const step = fx.page.locator('[data-step-id="switch-to-coredns/apply-service"]');
    const link = step.locator('a[data-needs-step]');
    // the check after the command finds the Service switched, and no pod behind it
    await link.waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await step.getAttribute('data-check-status'), 'fail');
    assert.match(await step.locator('[data-hint]').innerText(), /Start the pods first \(step deploy-coredns\/create does this/);
    assert.equal(await link.getAttribute('href'), '/lessons/deploy-coredns/#create');
    assert.equal(await link.innerText(), 'Deploy CoreDNS: Create the CoreDNS objects');
    await fx.page.screenshot({ path: artifactPath('hint-link.png') });

    // a mark on this document: it is still there if the link did not load a new page
    await fx.page.evaluate(() => document.documentElement.setAttribute('data-before-link', ''));
    await link.click();
    await fx.page.waitForURL(/\/lessons\/deploy-coredns\/#create$/);
    assert.equal(await fx.page.locator('[data-section-id="deploy-coredns"]').getAttribute('data-open'), 'true');
    assert.equal(await fx.page.locator('[data-section-id="switch-to-coredns"]').getAttribute('data-open'), 'false');
    assert.ok(await fx.page.locator('[data-step-id="deploy-coredns/create"]').isVisible());
    assert.equal(await fx.page.locator('html[data-before-link]').count(), 1, 'the link opened the lesson in the same page');
    // and Back returns to the lesson the learner came from
    await fx.page.goBack();
    await fx.page.waitForURL(/\/lessons\/switch-to-coredns\//);
    assert.equal(await fx.page.locator('[data-section-id="switch-to-coredns"]').getAttribute('data-open'), 'true');
  });
});
