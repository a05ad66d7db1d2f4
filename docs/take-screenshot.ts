// Takes docs/screenshot.png for the README: starts `coredns-lab serve`, opens the page in
// Debian's chromium, opens the Status Quo lesson, runs its first step's command from the page's
// Run button, checks the busybox step (a failing check with its hint), and captures the page.
//   node --import tsx docs/take-screenshot.ts
import { fileURLToPath } from 'node:url';
import { startLab } from '../test/e2e/support/lab-process.ts';
import { launchChromium } from '../test/e2e/support/browser.ts';

const out = fileURLToPath(new URL('./screenshot.png', import.meta.url));
const lab = await startLab([], 120_000);
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 760 }, deviceScaleFactor: 1 });
  await page.goto(lab.url);
  await page.waitForSelector('[data-terminal][data-terminal-state="attached"]');
  await page.waitForFunction(() => /[$#]/.test(document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? ''));
  await page.waitForSelector('[data-lessons-state="ready"]');
  await page.click('[data-lesson-toggle="status-quo"]');
  await page.click('[data-step-id="status-quo/kube-dns-service"] [data-run="kubectl get svc -n kube-system"]');
  await page.waitForFunction(() => /kube-dns/.test(document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? ''), null, { timeout: 30_000 });
  await page.waitForSelector('[data-step-id="status-quo/kube-dns-service"][data-check-status="pass"]', { timeout: 30_000 });
  await page.click('[data-step-id="status-quo/busybox"] [data-check]');
  await page.waitForSelector('[data-step-id="status-quo/busybox"][data-check-status="fail"]', { timeout: 30_000 });
  await page.locator('[data-step-id="status-quo/kube-dns-service"]').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await lab.stop();
}
