// The instructor's page in a real browser, with two seats live: two learners on their own seat
// links type commands and check a step; the instructor sees each seat's place and checks change
// without reloading, watches a terminal read-only, broadcasts, exports the CSV and resets a
// seat. Then the printable seats.html and a learner who claims a seat with the workshop code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLabCommand, type LabProcess } from './support/lab-process.ts';
import { launchChromium } from './support/browser.ts';
import type { SeatView } from '../../sandbox/workshop/instructor-app.ts';

const LEARNER_TERM = '[data-terminal] .xterm-rows';

async function screenHas(page: Page, selector: string, pattern: RegExp, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    ([sel, src]) => new RegExp(src).test(document.querySelector(sel)?.textContent ?? ''),
    [selector, pattern.source] as const,
    { timeout },
  );
}

async function typeLine(page: Page, line: string): Promise<void> {
  await page.click('[data-terminal]');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

describe("the workshop's instructor page in the browser, two seats live", () => {
  let ws: LabProcess;
  let browser: Browser;
  let base: string;
  let links: Map<string, string>;
  const contexts: BrowserContext[] = [];
  let instructor: Page;
  const learner: Record<string, Page> = {};
  const problems: string[] = [];

  const newPage = async (): Promise<Page> => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${String(e)}`));
    return page;
  };
  /** the seat's row on the instructor's page */
  const row = (seat: string) => instructor.locator('#seats tr', { has: instructor.locator('th', { hasText: seat }) });

  before(async () => {
    ws = await startLabCommand('workshop', ['--seats', '2', '--seat-sleep-after', '0'], /^coredns-lab workshop: instructor (http:\/\/\S+)$/m, 180_000);
    base = new URL(ws.url).origin;
    const csv = readFileSync(join(ws.stateDir, 'seats.csv'), 'utf8').trim().split('\n');
    links = new Map(csv.slice(1).map((l) => l.split(',') as [string, string]));
    const token = new URL(ws.url).searchParams.get('token')!;
    const seats = ((await (await fetch(`${base}/api/seats`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { seats: SeatView[] }).seats;
    assert.deepEqual(seats.map((x) => `${x.id} ${x.state}${x.message ? `: ${x.message}` : ''}`), ['seat-01 running', 'seat-02 running'], ws.stderr());
    browser = await launchChromium();
    instructor = await newPage();
    await instructor.goto(ws.url);
    await instructor.waitForSelector('#seats tr >> nth=1', { timeout: 20_000 });
    // a reload would lose this: every later check that finds it proves the page updated in place
    await instructor.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    if (ws) assert.equal(await ws.stop(), 0, `the workshop stops cleanly; stderr:\n${ws.stderr()}`);
  });

  const stayed = async () => assert.equal(await instructor.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true, 'the instructor page was not reloaded');

  test('two learners open their seat links and work; the instructor sees where each is and their checks, live', async () => {
    for (const seat of ['seat-01', 'seat-02']) {
      const page = await newPage();
      learner[seat] = page;
      await page.goto(links.get(seat)!);
      assert.ok(!page.url().includes('token='), `the seat's token leaves the address bar: ${page.url()}\n${await page.content()}\n${ws.stderr()}`);
      await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
      await screenHas(page, LEARNER_TERM, /coredns-lab.*[$#]/);
    }
    const one = learner['seat-01']!;
    await one.goto(`${new URL(one.url()).origin}/lessons/status-quo/`);
    await one.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    await typeLine(one, 'kubectl create -f templates/busybox.yaml');
    await screenHas(one, LEARNER_TERM, /pod\/busybox created/);
    const busybox = one.locator('[data-step-id="status-quo/busybox"]');
    // the pod takes a moment to be Ready: the learner checks until it passes, as a learner would
    for (let i = 0; (await busybox.getAttribute('data-check-status')) !== 'pass'; i++) {
      assert.ok(i < 30, `status-quo/busybox passes within 30 checks; it says ${await busybox.getAttribute('data-check-status')}`);
      await busybox.locator('[data-check]').click();
      await one.waitForFunction(() => document.querySelector('[data-step-id="status-quo/busybox"] [data-check]:not([disabled])'), null, { timeout: 30_000 });
    }
    await typeLine(learner['seat-02']!, 'echo seat-two-$((6*7))');
    await screenHas(learner['seat-02']!, LEARNER_TERM, /seat-two-42/);

    await row('seat-01').locator('.steps span[title="status-quo/busybox: pass"]').waitFor({ timeout: 40_000 }).catch(async (err: Error) => {
      const api = await instructor.evaluate(async () => JSON.stringify(await (await fetch('/api/seats')).json()));
      throw new Error(`${err.message}\nrow: ${await row('seat-01').innerHTML()}\napi: ${api}`);
    });
    await instructor.waitForFunction(() => {
      const r = [...document.querySelectorAll<HTMLTableRowElement>('#seats tr')].find((tr) => tr.querySelector('th')?.textContent?.startsWith('seat-01'));
      return r && /^status-quo/.test(r.cells[2]?.textContent ?? '');
    }, null, { timeout: 20_000 });
    assert.equal(await row('seat-02').locator('.steps span[title="status-quo/busybox: pass"]').count(), 0, "seat-02's busybox step did not pass");
    assert.match(await row('seat-02').locator('td').nth(0).innerText(), /^running/);
    assert.match(await row('seat-01').locator('td').nth(5).innerText(), /^[1-9]/, 'seat-01 has a terminal open');
    await stayed();
  });

  test("the instructor watches seat-01's terminal: its output appears, the instructor's keys go nowhere", async () => {
    await row('seat-01').getByRole('button', { name: 'Watch' }).click();
    await instructor.waitForSelector('#watch:not([hidden])');
    await screenHas(instructor, '#watch-term .xterm-rows', /pod\/busybox created/);
    const one = learner['seat-01']!;
    await typeLine(one, 'echo watched-$((6*7))');
    await screenHas(instructor, '#watch-term .xterm-rows', /watched-42/);
    await instructor.click('#watch-term');
    await instructor.keyboard.type('echo typed-by-instructor');
    await instructor.keyboard.press('Enter');
    await typeLine(one, 'echo after-$((1+1))');
    await screenHas(one, LEARNER_TERM, /after-2/);
    await screenHas(instructor, '#watch-term .xterm-rows', /after-2/);
    assert.doesNotMatch(await one.locator(LEARNER_TERM).innerText(), /typed-by-instructor/, "the instructor's keystrokes never reach the learner");
    await instructor.click('#watch-stop');
    await instructor.waitForSelector('#watch', { state: 'hidden' });
  });

  test('a broadcast appears on both learner pages', async () => {
    await instructor.fill('#broadcast-text', 'Break until 11:00');
    await instructor.click('#broadcast button[type="submit"]');
    await instructor.waitForFunction(() => /^Broadcast sent to 2 of 2 seats$/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 20_000 });
    for (const seat of ['seat-01', 'seat-02']) {
      const notice = learner[seat]!.locator('[data-lab-notice]');
      await notice.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await notice.innerText(), /Message from your instructor \(.+\): Break until 11:00/);
    }
  });

  test('the CSV export downloads a row per seat with its checks', async () => {
    const [download] = await Promise.all([instructor.waitForEvent('download'), instructor.click('a[href="/api/progress.csv"]')]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n').map((l) => l.split(','));
    const [head, ...rows] = csv;
    assert.deepEqual(head!.slice(0, 7), ['seat', 'claimed', 'state', 'where', 'passed', 'total', 'idle_seconds']);
    assert.deepEqual(rows.map((r) => r[0]), ['seat-01', 'seat-02']);
    const col = head!.indexOf('status-quo/busybox');
    assert.ok(col > 6, 'a column per step');
    const [one, two] = rows;
    assert.equal(one![col], 'pass');
    assert.notEqual(two![col], 'pass');
    assert.match(one![3]!, /^status-quo/, 'seat-01 is in the status-quo lesson');
    assert.ok(Number(one![4]) > Number(two![4]), `seat-01 passed more steps (${one![4]}) than seat-02 (${two![4]})`);
  });

  test('the instructor resets seat-01 from the page: its cluster is back at the start', async () => {
    instructor.once('dialog', (d) => void d.accept());
    await row('seat-01').getByRole('button', { name: 'Reset' }).click();
    await instructor.waitForFunction(() => /^seat-01: reset \d+ done/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 60_000 });
    const kc = join(ws.stateDir, 'seats', 'seat-01', 'kubeconfig');
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
    await page.fill('#code', code.toLowerCase());
    await page.click('button[type="submit"]');
    await page.waitForSelector('#seat-link');
    // the claim page forwards to the seat by itself
    await page.waitForSelector('[data-terminal][data-terminal-state="attached"]', { timeout: 30_000 });
    assert.equal(new URL(page.url()).origin, new URL(learner['seat-01']!.url()).origin, 'the first free seat, seat-01');
    await row('seat-01').locator('th', { hasText: 'seat-01 (claimed)' }).waitFor({ timeout: 20_000 });
    await stayed();
    const csp = problems.filter((p) => /Content Security Policy|Refused to/.test(p));
    assert.deepEqual(csp, [], 'every page runs under its CSP');
  });
});
