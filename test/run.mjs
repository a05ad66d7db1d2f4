#!/usr/bin/env node
// Runs every test file under test/ with node's own test runner (compiled first, support/build-tests.mjs), prints
// node's summary, and ends with one plain "N passed, N failed" line for CI.
// Usage: node test/run.mjs [path-filter ...]   e.g. node test/run.mjs dns-server
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { statFields } from './support/process-tree.mjs';
import { buildTests } from './support/build-tests.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const filters = process.argv.slice(2);

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures' || name === 'testdata') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const files = find(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
// the longest files first (test/slow-first.txt), the rest in name order: the runner starts files in
// the order given, and a long file that starts last makes the whole run wait for it
const slowFirst = readFileSync(join(root, 'test', 'slow-first.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
const rank = (f) => (slowFirst.includes(f) ? slowFirst.indexOf(f) : slowFirst.length);
files.sort((a, b) => rank(a) - rank(b));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ') || 'test/**/*.test.ts'}`);
  process.exit(1);
}
const artifacts = join(root, 'test', 'artifacts');
mkdirSync(artifacts, { recursive: true });


// the test files run compiled (test/support/build-tests.mjs), not through tsx: a minute and a
// half less CPU over the suite
let build;
try {
  build = await buildTests(root, files);
} catch (err) {
  // a test file that does not compile: esbuild's message names the file, line and error
  console.error(`the test files could not be compiled:\n${err.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const args = [
  // stack traces name the .ts sources through the build's source maps
  '--enable-source-maps',
  // no --test-force-exit: a file must end by itself once its tests are done; one that holds a
  // forgotten handle fails 60 s later with the handles named (test/support/leak-check.mjs)
  '--import', pathToFileURL(join(root, 'test', 'support', 'leak-check.mjs')).href,
  // a file stopped at its timeout kills what it started instead of leaving it running
  '--import', pathToFileURL(join(root, 'test', 'support', 'reap-children.mjs')).href,
  // each file's wall and CPU time, for test/artifacts/profile.txt
  '--import', pathToFileURL(join(root, 'test', 'support', 'profile.mjs')).href,
  '--test',
  // three files per core: most files spend much of their time waiting (a reload, a poll, a page),
  // so one per core left them half idle (on 2 cores: 771 s against 475 s for the same run, and
  // two per core 500 s against three per core 379 s; four per core was no faster, 383 s, and two
  // timing tests failed under that load; on 2026-12-08, 8 and 10 files at once: 350 s and 427 s
  // against 339 s and 422 s with 6, the cores already busy throughout). TEST_CONCURRENCY overrides it.
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 3 * availableParallelism()}`,
  // a hung test fails after 15 minutes instead of stalling the whole run. node applies this to
  // each file as a whole as well as to each test in it, so it must exceed the longest file on a
  // slow machine: at 3 minutes, the chapter's e2e files failed with every test in them passed,
  // on a machine half as fast as most, where they take 5-7 minutes among the other files
  '--test-timeout=900000',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter', pathToFileURL(join(root, 'test', 'support', 'slowest.mjs')).href, '--test-reporter-destination=stdout',
  ...build.built,
];
/** the CPU of every child this runner has reaped (cutime + cstime), in clock ticks of 10 ms; Linux only */
function childTicks() {
  const f = statFields(process.pid);
  if (f === undefined) throw new Error('no /proc');
  // fields 16 and 17 of the whole line; statFields starts at field 3
  return Number(f[13]) + Number(f[14]);
}

/**
 * How fast this machine is, for comparing runs across machines: the CPU of one `kubectl version
 * --client` (the median of 5; a Go start-up, which most of the suite's 2,000 kubectl runs are).
 * Where the suite took 430-500 s, kubectl runs averaged about 70 ms of CPU (process accounting
 * over a whole run); where it took 1,000-1,100 s, this measure read 130-136 ms.
 */
function machineReference() {
  const times = [];
  try {
    for (let i = 0; i < 5; i++) {
      const t0 = childTicks();
      if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).error) return 'no kubectl to measure it with';
      times.push((childTicks() - t0) * 10);
    }
  } catch {
    return 'not measured (no /proc)';
  }
  return `kubectl version --client took ${times.sort((a, b) => a - b)[2]} ms of CPU`;
}
const machine = machineReference();

const profileLines = join(artifacts, 'profile.jsonl');
rmSync(profileLines, { force: true });
const started = Date.now();

/** test/artifacts/profile.txt: every file that ran, the most CPU first, and the run's totals */
function writeProfile() {
  if (!existsSync(profileLines)) return;
  // everything this runner reaped: the test files, their children, and the shared chromium
  let runCpu = '';
  try {
    runCpu = `; the whole run (chromium included): ${(childTicks() / 100).toFixed(0)} s of CPU`;
  } catch {
    // not Linux: the per-file sums still say where the time went
  }
  const rows = readFileSync(profileLines, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  rows.sort((a, b) => b.cpu + b.childCpu - (a.cpu + a.childCpu));
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  const s = (x) => x.toFixed(1).padStart(7);
  const lines = [
    `${rows.length} files, ${((Date.now() - started) / 1000).toFixed(0)} s wall; ` +
      `sums: wall ${sum('wall').toFixed(0)} s, cpu ${sum('cpu').toFixed(0)} s, children's cpu ${sum('childCpu').toFixed(0)} s${runCpu}`,
    `this machine: ${machine}`,
    '   wall s    cpu s  child s  file',
    ...rows.map((r) => `${s(r.wall)}  ${s(r.cpu)}  ${s(r.childCpu)}  ${r.file}`),
  ];
  writeFileSync(join(artifacts, 'profile.txt'), `${lines.join('\n')}\n`);
}

// One chromium for every e2e file of the run (test/e2e/support/browser.ts connects to it): a
// browser start per file costs seconds of CPU on a 2-core machine. Closed when the run ends.
let browserServer;
if (files.some((f) => f.startsWith(join('test', 'e2e')))) {
  const { chromium } = await import('playwright-core');
  const { BROWSER_WS_ENV, CHROMIUM_LAUNCH } = await import('./e2e/support/chromium.mjs');
  browserServer = await chromium.launchServer(CHROMIUM_LAUNCH);
  process.env[BROWSER_WS_ENV] = browserServer.wsEndpoint();
}

// stdout is passed through as it comes and also read for the spec reporter's closing totals
const child = spawn(process.execPath, args, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'], env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-262144);
});
child.on('exit', async (code, signal) => {
  await browserServer?.close();
  build.remove();
  const total = (name) => Number([...tail.matchAll(new RegExp(`^ℹ ${name} (\\d+)$`, 'gm'))].pop()?.[1] ?? 0);
  const pass = total('pass');
  let fail = total('fail') + total('cancelled');
  if (code !== 0 && fail === 0) fail = 1; // a crash outside any test still counts as a failure
  writeProfile();
  console.log(`this machine: ${machine} (test/artifacts/profile.txt has each file's time)`);
  console.log(`${pass} passed, ${fail} failed`);
  process.exit(code ?? (signal ? 1 : 0));
});
