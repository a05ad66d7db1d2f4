// Takes docs/screenshot.png for the README: starts `coredns-lab serve`, opens the page in
// Debian's chromium, runs the chapter's first command in the terminal, and captures the page.
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
  await page.click('[data-terminal]');
  await page.keyboard.type('kubectl get svc -n kube-system');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /kube-dns|error|refused/i.test(document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? ''), null, { timeout: 30_000 });
  await page.keyboard.type('ls templates/');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(1500);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await lab.stop();
}
