// The instructor's page in a real browser, with two seats live: two learners on their own seat
// links type commands and check a step; the instructor sees each seat's place and checks change
// without reloading, watches a terminal read-only, broadcasts and exports the CSV.
// (workshop-actions.test.ts: reset from the page, the printable seats.html, a claim.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { openRoom, type Room } from './support/workshop-room.ts';
import { PAGE_POLL_MS } from './support/browser.ts';

const LEARNER_TERM = '[data-terminal] .xterm-rows';

async function screenHas(page: Page, selector: string, pattern: RegExp, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    ([sel, src]) => new RegExp(src).test(document.querySelector(sel)?.textContent ?? ''),
    [selector, pattern.source] as const,
    { timeout, polling: PAGE_POLL_MS },
  );
}

async function typeLine(page: Page, line: string): Promise<void> {
  await page.click('[data-terminal]');
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

describe("the workshop's instructor page in the browser, two seats live", () => {
  let room: Room;
  let ws: Room['ws'];
  let instructor: Page;
  let links: Map<string, string>;
  const learner: Record<string, Page> = {};
  const row = (seat: string) => room.row(seat);
  const stayed = () => room.stayed();
  const newPage = () => room.newPage();

  before(async () => {
    room = await openRoom();
    ({ ws, instructor, links } = room);
  });
  after(async () => {
    await room?.close();
  });

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
    // as a learner does: type once the prompt is back on the screen after the navigation
    await screenHas(one, LEARNER_TERM, /coredns-lab.*[$#]/);
    await typeLine(one, 'kubectl create -f templates/busybox.yaml');
    await screenHas(one, LEARNER_TERM, /pod\/busybox created/);
    // the pod takes a moment to be Ready: the page checks the step again until it passes, then
    // opens the next lesson by itself (so a click on the step's button could find it hidden)
    await one.waitForSelector('[data-step-id="status-quo/busybox"][data-check-status="pass"]', { state: 'attached', timeout: 90_000 }).catch(async (err: Error) => {
      const status = await one.locator('[data-step-id="status-quo/busybox"]').getAttribute('data-check-status');
      throw new Error(`${err.message}\nstatus-quo/busybox says ${status}`);
    });
    await typeLine(learner['seat-02']!, 'echo seat-two-$((6*7))');
    await screenHas(learner['seat-02']!, LEARNER_TERM, /seat-two-42/);

    await row('seat-01').locator('.steps span[title="status-quo/busybox: pass"]').waitFor({ timeout: 40_000 }).catch(async (err: Error) => {
      const api = await instructor.evaluate(async () => JSON.stringify(await (await fetch('/api/seats')).json()));
      throw new Error(`${err.message}\nrow: ${await row('seat-01').innerHTML()}\napi: ${api}`);
    });
    // seat-01 is in the Status Quo, or already past it: once busybox runs, the lesson's later steps
    // pass too and the learner's page opens the next lesson by itself
    await instructor.waitForFunction(() => {
      const r = [...document.querySelectorAll<HTMLTableRowElement>('#seats tr')].find((tr) => tr.querySelector('th')?.textContent?.startsWith('seat-01'));
      return r && /^(status-quo|deploy-coredns)/.test(r.cells[2]?.textContent ?? '');
    }, null, { timeout: 20_000, polling: PAGE_POLL_MS });
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
    await instructor.waitForFunction(() => /^Broadcast sent to 2 of 2 seats$/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: 20_000, polling: PAGE_POLL_MS });
    for (const seat of ['seat-01', 'seat-02']) {
      const notice = learner[seat]!.locator('[data-lab-notice]');
      await notice.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await notice.innerText(), /Message from your instructor \(.+\): Break until 11:00/);
    }
  });

  test('the CSV export downloads a row per seat with its checks', async () => {
    const [download] = await Promise.all([instructor.waitForEvent('download'), instructor.click('a[href="/api/progress.csv"]')]);
    // saveAs, not path(): under test/run.mjs the browser is a shared server, and a remote browser's download has no local path
    const file = join(mkdtempSync(join(tmpdir(), 'lab-csv-')), 'progress.csv');
    await download.saveAs(file);
    const csv = readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(','));
    rmSync(dirname(file), { recursive: true });
    const [head, ...rows] = csv;
    assert.deepEqual(head!.slice(0, 7), ['seat', 'claimed', 'state', 'where', 'passed', 'total', 'idle_seconds']);
    assert.deepEqual(rows.map((r) => r[0]), ['seat-01', 'seat-02']);
    const col = head!.indexOf('status-quo/busybox');
    assert.ok(col > 6, 'a column per step');
    const [one, two] = rows;
    assert.equal(one![col], 'pass');
    assert.notEqual(two![col], 'pass');
    // the page's own checks may pass the rest of status-quo meanwhile, and a finished lesson opens the next
    assert.match(one![3]!, /^(status-quo|deploy-coredns)\//, 'seat-01 is in the status-quo lesson, or past it in the next');
    assert.ok(Number(one![4]) > Number(two![4]), `seat-01 passed more steps (${one![4]}) than seat-02 (${two![4]})`);
    assert.deepEqual(room.problems.filter((p) => /Content Security Policy|Refused to/.test(p)), [], 'every page runs under its CSP');
  });
});
