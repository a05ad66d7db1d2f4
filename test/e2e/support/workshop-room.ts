// A two-seat workshop and a browser for the instructor's page tests: the workshop started as an
// instructor runs it, the instructor's page open (and marked, so a reload would show), and a
// fresh browser context per person.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startLabCommand, type LabProcess } from './lab-process.ts';
import { launchChromium } from './browser.ts';
import type { SeatView } from '../../../sandbox/workshop/instructor-app.ts';

export interface Room {
  ws: LabProcess;
  base: string;
  /** seat id -> its join link, from seats.csv */
  links: Map<string, string>;
  instructor: Page;
  /** console errors and page errors of every page opened */
  problems: string[];
  /** a page in a browser context of its own (its own cookies: another person) */
  newPage(): Promise<Page>;
  /** the seat's row on the instructor's page */
  row(seat: string): Locator;
  /** fails when the instructor's page was reloaded since it opened */
  stayed(): Promise<void>;
  close(): Promise<void>;
}

export async function openRoom(): Promise<Room> {
  const ws = await startLabCommand('workshop', ['--seats', '2', '--seat-sleep-after', '0'], /^coredns-lab workshop: instructor (http:\/\/\S+)$/m, 180_000);
  const base = new URL(ws.url).origin;
  const csv = readFileSync(join(ws.stateDir, 'seats.csv'), 'utf8').trim().split('\n');
  const links = new Map(csv.slice(1).map((l) => l.split(',') as [string, string]));
  const token = new URL(ws.url).searchParams.get('token')!;
  const seats = ((await (await fetch(`${base}/api/seats`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { seats: SeatView[] }).seats;
  assert.deepEqual(seats.map((x) => `${x.id} ${x.state}${x.message ? `: ${x.message}` : ''}`), ['seat-01 running', 'seat-02 running'], ws.stderr());
  const browser: Browser = await launchChromium();
  const contexts: BrowserContext[] = [];
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
  const instructor = await newPage();
  await instructor.goto(ws.url);
  await instructor.waitForSelector('#seats tr >> nth=1', { timeout: 20_000 });
  // a reload would lose this: every later check that finds it proves the page updated in place
  await instructor.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  return {
    ws,
    base,
    links,
    instructor,
    problems,
    newPage,
    row: (seat) => instructor.locator('#seats tr', { has: instructor.locator('th', { hasText: seat }) }),
    stayed: async () =>
      assert.equal(await instructor.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true, 'the instructor page was not reloaded'),
    async close() {
      for (const c of contexts) await c.close();
      await browser.close();
      const began = Date.now();
      const code = await ws.stop();
      assert.equal(code, 0, `the workshop stops cleanly (it had ${Date.now() - began} ms; null: killed); stderr:\n${ws.stderr()}`);
    },
  };
}
