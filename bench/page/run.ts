// Navigation to a live prompt in Debian's chromium: the lab page (`coredns-lab serve`, as a
// learner runs it) beside a bare page (xterm.js over a WebSocket to a node-pty bash, nothing else)
// measured in the same run, p50/p95 over N runs, and the ratio. Each run is a fresh browser
// context (no HTTP cache, no cookie: the lab's runs start at its token URL, as a learner's first
// visit does). "Live prompt": the shell's prompt is on xterm's screen, read from the page at each
// animation frame; the time is performance.now() there (from the navigation's start).
// Then the page's JavaScript besides the terminal (xterm.js and its addons), gzipped: the site's
// scripts bundled and minified with @xterm/* left out. Target (issue 13): prompt under 1 s on a
// quiet machine, scripts under 60 KB gzipped.
//   node --import tsx bench/page/run.ts [--runs N]
import { createServer } from 'node:http';
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { WebSocketServer } from 'ws';
import pty from '@lydell/node-pty';
import type { Browser } from 'playwright-core';
import { startLab } from '../../test/e2e/support/lab-process.ts';
import { launchChromium } from '../../test/e2e/support/browser.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** the bare page: xterm.js from node_modules, a WebSocket, a bash in a node-pty */
async function bareServer(): Promise<{ url: string; close: () => void }> {
  const xtermJs = readFileSync(join(ROOT, 'node_modules/@xterm/xterm/lib/xterm.js'));
  const xtermCss = readFileSync(join(ROOT, 'node_modules/@xterm/xterm/css/xterm.css'));
  const html = `<!doctype html><html><head><link rel="stylesheet" href="/xterm.css"><script src="/xterm.js"></script></head>
<body><div id="t" data-terminal></div><script>
const term = new Terminal(); term.open(document.getElementById('t'));
const ws = new WebSocket('ws://' + location.host + '/pty');
ws.onmessage = (e) => term.write(e.data); term.onData((d) => ws.send(d));
</script></body></html>`;
  const server = createServer((req, res) => {
    if (req.url === '/xterm.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(xtermJs);
    if (req.url === '/xterm.css') return res.writeHead(200, { 'content-type': 'text/css' }).end(xtermCss);
    res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  const wss = new WebSocketServer({ server, path: '/pty', perMessageDeflate: false });
  wss.on('connection', (ws) => {
    const p = pty.spawn('bash', ['--noprofile', '--norc', '-i'], { name: 'xterm-256color', cols: 80, rows: 24, env: { ...process.env, PS1: 'bare$ ' } as Record<string, string> });
    p.onData((d) => ws.send(d));
    ws.on('message', (d) => p.write(String(d)));
    ws.on('close', () => p.kill());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => (wss.close(), server.close()) };
}

async function timeToPrompt(browser: Browser, url: string, prompt: string): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const t = await page.waitForFunction(
      (p) => ((document.querySelector('[data-terminal] .xterm-rows')?.textContent ?? '').includes(p) ? performance.now() : 0),
      prompt,
      { polling: 'raf', timeout: 60_000 },
    );
    return (await t.jsonValue()) as number;
  } finally {
    await context.close();
  }
}

/** the site's scripts without @xterm/*, bundled and minified as the build does, gzipped */
async function scriptsBesidesTerminal(): Promise<{ gzip: number; raw: number }> {
  const scripts = readdirSync(join(ROOT, 'site/scripts')).filter((f) => f.endsWith('.ts'));
  const out = await build({
    // every export kept, as the page's entry scripts use them all
    stdin: { contents: scripts.map((f, i) => `import * as m${i} from './${f}'; globalThis.m${i} = m${i};`).join('\n'), resolveDir: join(ROOT, 'site/scripts'), loader: 'ts' },
    bundle: true, minify: true, format: 'esm', write: false, external: ['@xterm/*'], target: 'es2022', logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.contents;
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const say = (s: string) => process.stdout.write(`${s}\n`);
say(`bench/page: ${RUNS} runs each, lab page and bare page interleaved`);
const lab = await startLab();
const bare = await bareServer();
const browser = await launchChromium();
const labMs: number[] = [];
const bareMs: number[] = [];
try {
  // one warm-up each: the first lab run also starts the embedded cluster's first terminal
  await timeToPrompt(browser, lab.url, 'coredns-lab:');
  await timeToPrompt(browser, bare.url, 'bare$');
  for (let i = 0; i < RUNS; i++) {
    labMs.push(await timeToPrompt(browser, lab.url, 'coredns-lab:'));
    bareMs.push(await timeToPrompt(browser, bare.url, 'bare$'));
  }
} finally {
  await browser.close();
  bare.close();
  await lab.stop();
}
const js = await scriptsBesidesTerminal();
const row = (name: string, xs: number[]) => `${name.padEnd(26)} p50 ${pct(xs, 50).toFixed(0).padStart(5)} ms   p95 ${pct(xs, 95).toFixed(0).padStart(5)} ms`;
say(row('lab page (serve)', labMs));
say(row('bare page (xterm+ws+pty)', bareMs));
say(`ratio lab/bare             p50 ${(pct(labMs, 50) / pct(bareMs, 50)).toFixed(2)}x   p95 ${(pct(labMs, 95) / pct(bareMs, 95)).toFixed(2)}x   (target: lab p50 < 1000 ms on a quiet machine)`);
say(`page JS besides xterm       ${(js.gzip / 1024).toFixed(1)} KB gzipped (${(js.raw / 1024).toFixed(1)} KB minified; target < 60 KB)`);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/page.json'), JSON.stringify({ at: new Date().toISOString(), runs: RUNS, labMs, bareMs, js }, null, 2) + '\n');
