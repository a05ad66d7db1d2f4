// The instructor's page in a real browser, its actions beyond watching: a reset from the page,
// the printable seats.html, and a learner who claims a seat with the workshop code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openRoom, type Room } from './support/workshop-room.ts';
import { PAGE_POLL_MS } from './support/browser.ts';

describe("the workshop's instructor page in the browser: reset, seats.html, claims", () => {
  let room: Room;
  let ws: Room['ws'];
  let instructor: Page;
  let links: Map<string, string>;
  let base: string;
  const row = (seat: string) => room.row(seat);
  const stayed = () => room.stayed();
  const newPage = () => room.newPage();

  before(async () => {
    room = await openRoom();
    ({ ws, instructor, links, base } = room);
  });
  after(async () => {
    await room?.close();
  });

  test('the instructor resets seat-01 from the page: its cluster is back at the start', async () => {
    const kc = join(ws.stateDir, 'seats', 'seat-01', 'kubeconfig');
    execFileSync('kubectl', ['--kubeconfig', kc, 'create', '-f', join(import.meta.dirname, '..', '..', 'lessons', 'templates', 'busybox.yaml')], { encoding: 'utf8' });
    instructor.once('dialog', (d) => void d.accept());
    await row('seat-01').getByRole('button', { name: 'Reset' }).click();
    await instructor.waitForFunction(() => /^seat-01: reset \d+ done/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 60_000, polling: PAGE_POLL_MS });
    const pods = execFileSync('kubectl', ['--kubeconfig', kc, 'get', 'pods', '-n', 'default', '-o', 'name'], { encoding: 'utf8' });
    assert.doesNotMatch(pods, /busybox/, "the reset removed the learner's pod");
    const two = execFileSync('kubectl', ['--kubeconfig', join(ws.stateDir, 'seats', 'seat-02', 'kubeconfig'), 'get', 'nodes', '-o', 'name'], { encoding: 'utf8' });
    assert.match(two, /^node\//m, 'seat-02 is untouched');
    await stayed();
  });

  test('seats.html prints a card per seat with its QR code and link', async () => {
    const page = await newPage();
    await page.goto(`file://${join(ws.stateDir, 'seats.html')}`);
    await page.emulateMedia({ media: 'print' });
    const cards = page.locator('section.seat');
    assert.equal(await cards.count(), 2);
    for (const [i, seat] of ['seat-01', 'seat-02'].entries()) {
      const card = cards.nth(i);
      assert.equal(await card.locator('h2').innerText(), seat);
      assert.equal(await card.locator('a').getAttribute('href'), links.get(seat));
      const box = await card.locator('svg').boundingBox();
      assert.ok(box && box.width >= 100 && Math.abs(box.width - box.height) < 1, `a square QR code of printable size: ${JSON.stringify(box)}`);
    }
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 1000, 'chromium prints it');
  });

  test('a learner without a link claims a seat with the code on the instructor page', async () => {
    const code = (await instructor.locator('#code').innerText()).trim();
    const page = await newPage();
    await page.goto(`${base}/claim`);
    await page.fill('#code', 'WRONG1');
    await page.click('button[type="submit"]');
    assert.match(await page.locator('[role="alert"]').innerText(), /code/i);
    // the answer names the seat's link; read as it arrives, since the page moves on after 1 s,
    // which on a loaded machine can come before a look at the page
    let answer = '';
    await page.route('**/claim', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch();
      answer = await response.text();
      await route.fulfill({ response, body: answer });
    });
    await page.fill('#code', code.toLowerCase());
    await page.click('button[type="submit"]');
    // the claim page forwards to the seat by itself
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 60_000 });
    const seat1 = new URL((await fetch(links.get('seat-01')!, { redirect: 'manual' })).headers.get('location')!).origin;
    assert.equal(new URL(page.url()).origin, seat1, 'the first free seat, seat-01');
    assert.match(answer, /Keep this link[\s\S]*<a id="seat-link" href="[^"]+">Open your seat<\/a>/);
    await row('seat-01').locator('th', { hasText: 'seat-01 (claimed)' }).waitFor({ timeout: 20_000 });
    await stayed();
    const csp = room.problems.filter((p: string) => /Content Security Policy|Refused to/.test(p));
    assert.deepEqual(csp, [], 'every page runs under its CSP');
  });
});
