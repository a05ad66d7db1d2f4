// A hint that depends on an earlier lesson links to it, in a real browser: the learner switches
// the kube-dns Service to CoreDNS before CoreDNS runs, the step's check (run by itself after the
// command) says the pods are missing and links to the step that creates them, and the link opens
// that lesson at that step without reloading the page.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startLab, type LabProcess } from './support/lab-process.ts';
import { launchChromium } from './support/browser.ts';
import { artifactPath } from './support/artifacts.ts';

describe('hints that link', () => {
  let lab: LabProcess;
  let browser: Browser;
  let page: Page;

  before(async () => {
    lab = await startLab();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(lab.url);
  });
  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  test('switching the Service before CoreDNS runs links to the deploy-coredns lesson', async () => {
    await page.goto(new URL('/lessons/switch-to-coredns/', lab.url).href);
    await page.waitForSelector('[data-lessons][data-progress-state="verified"]', { timeout: 60_000 });
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await page.locator('[data-terminal] textarea').focus();
    await page.keyboard.type('kubectl apply -f templates/coredns-service.yaml');
    await page.keyboard.press('Enter');

    const step = page.locator('[data-step-id="switch-to-coredns/apply-service"]');
    const link = step.locator('a[data-needs-step]');
    // the check after the command finds the Service switched, and no pod behind it
    await link.waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await step.getAttribute('data-check-status'), 'fail');
    assert.match(await step.locator('[data-hint]').innerText(), /Start the pods first \(step deploy-coredns\/create does this/);
    assert.equal(await link.getAttribute('href'), '/lessons/deploy-coredns/#create');
    assert.equal(await link.innerText(), 'Deploy CoreDNS: Create the CoreDNS objects');
    await page.screenshot({ path: artifactPath('hint-link.png') });

    // a mark on this document: it is still there if the link did not load a new page
    await page.evaluate(() => document.documentElement.setAttribute('data-before-link', ''));
    await link.click();
    await page.waitForURL(/\/lessons\/deploy-coredns\/#create$/);
    assert.equal(await page.locator('[data-section-id="deploy-coredns"]').getAttribute('data-open'), 'true');
    assert.equal(await page.locator('[data-section-id="switch-to-coredns"]').getAttribute('data-open'), 'false');
    assert.ok(await page.locator('[data-step-id="deploy-coredns/create"]').isVisible());
    assert.equal(await page.locator('html[data-before-link]').count(), 1, 'the link opened the lesson in the same page');
    // and Back returns to the lesson the learner came from
    await page.goBack();
    await page.waitForURL(/\/lessons\/switch-to-coredns\//);
    assert.equal(await page.locator('[data-section-id="switch-to-coredns"]').getAttribute('data-open'), 'true');
  });
});
