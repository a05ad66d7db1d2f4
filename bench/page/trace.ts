// Where the time goes from navigation to the lab's prompt, one fresh context per run: the
// navigation timing, every resource (start and end), the terminal WebSocket's creation, its
// first frame, and the prompt on screen, from Chromium's DevTools protocol. Prints one line per
// event with its median over the runs (ms since the navigation's start).
//   node --import tsx bench/page/trace.ts [--runs N]
import { startLab } from '../../test/e2e/support/lab-process.ts';
import { launchChromium } from '../../test/e2e/support/browser.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const lab = await startLab([], 600_000);
const browser = await launchChromium();
const events = new Map<string, number[]>();
const note = (name: string, ms: number) => (events.get(name) ?? events.set(name, []).get(name)!).push(ms);
try {
  for (let i = 0; i <= RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    let wsCreated = 0;
    let wsFirstFrame = 0;
    let wsFirstText = 0;
    const wallAt = new Map<string, number>();
    cdp.on('Network.webSocketCreated', () => (wsCreated = Date.now()));
    cdp.on('Network.webSocketFrameReceived', (e) => {
      if (!wsFirstFrame) wsFirstFrame = Date.now();
      if (!wsFirstText && e.response.opcode === 2) wsFirstText = Date.now();
    });
    cdp.on('Network.webSocketHandshakeResponseReceived', () => wallAt.set('ws handshake done', Date.now()));
    await page.goto(lab.url, { waitUntil: 'commit' });
    const prompt = (await (await page.waitForFunction(
      () => ((document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? '').includes('coredns-lab:') ? performance.now() : 0),
      undefined, { polling: 'raf', timeout: 60_000 },
    )).jsonValue()) as number;
    const t = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const res = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({
        name: r.name.replace(location.origin, ''), start: r.startTime, end: r.responseEnd,
      }));
      return { origin: performance.timeOrigin, nav: { responseEnd: nav.responseEnd, domInteractive: nav.domInteractive,
        dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd }, res,
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0 };
    });
    if (i === 0) {
      await context.close();
      continue; // warm-up
    }
    const rel = (wall: number) => wall - t.origin;
    note('html responseEnd', t.nav.responseEnd);
    for (const r of t.res) {
      note(`${r.name.slice(0, 50)} start`, r.start);
      note(`${r.name.slice(0, 50)} end`, r.end);
    }
    note('domInteractive', t.nav.domInteractive);
    note('DOMContentLoaded end', t.nav.dcl);
    note('first contentful paint', t.fcp);
    note('load end', t.nav.load);
    if (wsCreated) note('ws created', rel(wsCreated));
    if (wallAt.has('ws handshake done')) note('ws handshake done', rel(wallAt.get('ws handshake done')!));
    if (wsFirstFrame) note('ws first frame', rel(wsFirstFrame));
    if (wsFirstText) note('ws first binary frame (shell output)', rel(wsFirstText));
    note('prompt on screen', prompt);
    await context.close();
  }
} finally {
  await browser.close();
  await lab.stop();
}
const rows = [...events].map(([k, xs]) => [k, median(xs)] as const).sort((a, b) => a[1] - b[1]);
for (const [k, v] of rows) process.stdout.write(`${v.toFixed(0).padStart(6)} ms  ${k}\n`);
