// N simulated learners against one workshop server: each a WebSocket terminal on its own seat,
// typing the chapter's first two lessons' commands at human pace (one key every ~150 ms) and
// checking the command's step after it, as the page does (each loads the lab's page first, as its
// browser does before the terminal opens). Beside it, in the same run, one learner
// on a single `coredns-lab serve` (the reference). Prints keystroke echo p50/p99, check p50/p99,
// memory per seat (RSS of each seat's processes, its shells included, from /proc), the lab's CPU
// and the machine's, per N, each as a ratio to the reference; then lets every seat fall asleep
// and times the first request to each sleeping seat (its wake) until it answers.
// Two paces: `sprint` (the default) has every learner open the terminal within 2 s and type the next
// command as soon as the last one's check has answered, so the whole room runs kubectl in lockstep,
// which is the worst case; `room` has them join over 20 s and read the lesson between commands
// (8-24 s, a step's text at 200-250 words a minute), as a room of people does.
// Usage: node --import tsx bench/workshop/run.ts [--seats 10,30,50,100] [--seconds 45] [--pace sprint|room]
// (as root, for the learners' CPU group: client-group.ts; not under nice, which would weigh each
// seat's server below its shells)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadChapter } from '../../sandbox/checks/index.ts';
import { TermClient } from '../../sandbox/terminal/node-client.ts';
import { summarize, type Summary } from '../api/stats.ts';
import { treeRssMb } from '../sandbox/process-tree.ts';
import { processTree, statFields } from '../../test/support/process-tree.mjs';
import { waitFor } from '../../test/support/wait.ts';
import { joinClientGroup } from './client-group.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const SEATS = arg('seats', '10,30,50,100').split(',').map(Number);
const PACE = arg('pace', 'sprint');
if (PACE !== 'sprint' && PACE !== 'room') {
  console.error(`bench/workshop: unknown --pace "${PACE}"; use sprint (everyone types at once, the default) or room`);
  process.exit(2);
}
const SECONDS = Number(arg('seconds', PACE === 'room' ? '120' : '45'));
const KEY_MS = 150;
/** when learners open their terminal, from the run's start, and how long they read between commands */
const JOIN_MS = PACE === 'room' ? 20_000 : 2000;
const READ_MS: [number, number] = PACE === 'room' ? [8000, 24_000] : [0, 0];
/**
 * the spans (seconds since the run began) echo is also summarized over: the room's start, the
 * first commands, the busybox pod and its exec (from about 30 s), and everything after the start
 */
const ECHO_SPANS: Array<[number, number]> = [[0, 5], [5, 10], [10, 20], [20, 30], [30, 1e9], [10, 1e9]];
/** the workshop's --seat-sleep-after in this bench: short, so that the wake phase does not wait long */
const SLEEP_AFTER = '3s';

/** what a learner types: the commands of the chapter's first two lessons (they change nothing twice), with their step */
const COMMANDS: [string, string][] = loadChapter()
  .lessons.slice(0, 2)
  .flatMap((l) => l.steps.flatMap((s) => s.commands.map((c): [string, string] => [c, `${l.id}/${s.id}`])));

interface Learner {
  echo: number[];
  /** when each echo was typed, ms since the run began (to tell the start's burst from the rest) */
  echoAt: number[];
  checks: number[];
  /** loading the lab's page, as the learner's browser does before the terminal opens */
  page: number[];
  /** each check's time by its step, to name the slow ones */
  byStep: Map<string, number[]>;
  errors: string[];
}

const clients = joinClientGroup();

function startProcess(args: string[], line: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['bin/coredns-lab.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // the lab is not a learner: back to the root group before it starts anything
  clients.release(child.pid!);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d;
    const last = d.toString().trim().split('\n').pop();
    if (last && /seats: \d+ of/.test(last)) process.stderr.write(`\r  ${last.replace(/^coredns-lab workshop: /, '')}   `);
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = line.exec(out);
      if (m) resolve({ child, match: m });
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}: ${err.slice(-1500)}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
  await done;
  clearTimeout(t);
}

/**
 * One learner for `seconds`: types each command key by key, then Enter, then checks its step.
 * Returns its terminal still open, so that memory is read with every learner's shell running.
 */
async function learn(seatUrl: string, seconds: number, out: Learner, runStart: number): Promise<TermClient | null> {
  const u = new URL(seatUrl);
  const token = u.searchParams.get('token')!;
  let shell: TermClient | null = null;
  try {
    const p0 = performance.now();
    const page = await fetch(`${u.origin}/`, { headers: { Authorization: `Bearer ${token}` } });
    await page.arrayBuffer();
    if (page.ok) out.page.push(performance.now() - p0);
    else out.errors.push(`page: HTTP ${page.status}`);
    shell = await TermClient.open({ base: u.origin, token, cols: 120, rows: 30 });
    // a prompt marker the echoed command line cannot contain
    shell.type(`PS1='@@P''@@ '\r`);
    await shell.waitFor('@@P@@ ', 60_000);
    const end = Date.now() + seconds * 1000;
    for (let i = 0; Date.now() < end; i++) {
      const [cmd, step] = COMMANDS[i % COMMANDS.length]!;
      for (const ch of cmd) {
        const from = shell.length;
        const t0 = performance.now();
        shell.type(ch);
        await shell.waitFor(ch, 10_000, from);
        out.echo.push(performance.now() - t0);
        out.echoAt.push(t0 - runStart);
        await new Promise((r) => setTimeout(r, KEY_MS * (0.5 + Math.random())));
      }
      const from = shell.length;
      shell.type('\r');
      await shell.waitFor('@@P@@ ', 60_000, from);
      const t0 = performance.now();
      const headers = { Authorization: `Bearer ${token}`, Origin: u.origin };
      const res = await fetch(`${u.origin}/api/checks/${step}`, { method: 'POST', headers });
      await res.arrayBuffer();
      if (res.ok) {
        const ms = performance.now() - t0;
        out.checks.push(ms);
        (out.byStep.get(step) ?? out.byStep.set(step, []).get(step)!).push(ms);
      }
      else out.errors.push(`check ${step}: HTTP ${res.status}`);
      if (READ_MS[1] > 0) await new Promise((r) => setTimeout(r, READ_MS[0] + Math.random() * (READ_MS[1] - READ_MS[0])));
    }
  } catch (err) {
    out.errors.push((err as Error).message.split('\n')[0]!);
  }
  return shell;
}

/** busy CPU time of the whole machine, in clock ticks (100 a second) */
function machineTicks(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!; // user nice system irq softirq steal
}

/**
 * CPU ticks of one process (utime + stime; with `reaped`, also its reaped children's cutime +
 * cstime), 0 once it is gone
 */
function ticksOf(pid: number, reaped: boolean): number {
  const f = statFields(pid);
  if (!f) return 0;
  return Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0);
}

/** CPU ticks of a process tree: each process's own time and its reaped children's */
const treeTicks = (root: number): number => processTree(root).reduce((n, pid) => n + ticksOf(pid, true), 0);

/** CPU ticks of one process alone: the workshop's front, without its seats */
const ownTicks = (pid: number): number => ticksOf(pid, false);

/** each seat's `serve` process, by its state dir on the command line */
function seatPids(workshopDir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      const i = argv.indexOf('--state-dir');
      if (argv.includes('serve') && i > 0 && argv[i + 1]!.startsWith(join(workshopDir, 'seats') + '/')) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

interface Row {
  label: string;
  seats: number;
  echo: Summary;
  /** echo by when it was typed: the first seconds, when every learner starts at once, apart */
  echoBySpan: Array<{ from: number; to: number } & Summary>;
  check: Summary;
  /** each learner's first load of the lab's page (its HTML), before opening the terminal */
  page: Summary;
  /** the check's p50/p99 per step, slowest p99 first */
  checkBySteps: Array<{ step: string } & Summary>;
  /** mean and largest RSS of one seat's processes (its serve, cluster, DNS pods, shells) */
  seatMb: { mean: number; max: number };
  /** the workshop's own process (proxies, instructor page), or 0 for the reference */
  frontMb: number;
  /** the lab's process tree, in % of one core */
  labCpuPct: number;
  /** the workshop process alone (every seat's proxy, the instructor's page), in % of one core */
  frontCpuPct: number;
  /** every process on the machine (the other users of this machine included), in % of one core */
  machineCpuPct: number;
  load: { before: number[]; after: number[] };
  errors: string[];
  wake?: Summary & { max: number; asleep: number; failed: number };
  /** from starting the workshop to its instructor line (every seat started) */
  startSeconds?: number;
}

/** `root`: the process whose tree holds every seat; `seatRoots`: each seat's own process */
async function measure(label: string, urls: string[], root: number, seatRoots: () => number[]): Promise<Row> {
  const learners = urls.map((): Learner => ({ echo: [], echoAt: [], checks: [], page: [], byStep: new Map(), errors: [] }));
  clients.weigh(urls.length);
  const load = loadavg().map((x) => Math.round(x * 10) / 10);
  const c0 = machineTicks();
  const l0 = treeTicks(root);
  const f0 = ownTicks(root);
  const t0 = Date.now();
  const runStart = performance.now();
  const shells = await Promise.all(
    urls.map((u, i) => new Promise((r) => setTimeout(r, Math.random() * JOIN_MS)).then(() => learn(u, SECONDS, learners[i]!, runStart))),
  );
  const seconds = (Date.now() - t0) / 1000;
  const per = seatRoots().map((p) => treeRssMb(p).mb);
  const front = label.startsWith('workshop') ? treeRssMb(root).mb - per.reduce((a, b) => a + b, 0) : 0;
  const labCpuPct = ((treeTicks(root) - l0) / 100 / seconds) * 100;
  const frontCpuPct = ((ownTicks(root) - f0) / 100 / seconds) * 100;
  const machineCpuPct = ((machineTicks() - c0) / 100 / seconds) * 100;
  await Promise.all(shells.map((sh) => sh?.close()));
  return {
    label,
    seats: urls.length,
    echo: summarize(learners.flatMap((l) => l.echo)),
    echoBySpan: ECHO_SPANS.map(([from, to]) => ({
      from,
      to,
      ...summarize(learners.flatMap((l) => l.echo.filter((_, i) => l.echoAt[i]! >= from * 1000 && l.echoAt[i]! < to * 1000))),
    })),
    check: summarize(learners.flatMap((l) => l.checks)),
    page: summarize(learners.flatMap((l) => l.page)),
    seatMb: { mean: per.reduce((a, b) => a + b, 0) / Math.max(1, per.length), max: Math.max(0, ...per) },
    frontMb: front,
    labCpuPct,
    frontCpuPct,
    machineCpuPct,
    load: { before: load, after: loadavg().map((x) => Math.round(x * 10) / 10) },
    checkBySteps: [...new Set(learners.flatMap((l) => [...l.byStep.keys()]))]
      .map((step) => ({ step, ...summarize(learners.flatMap((l) => l.byStep.get(step) ?? [])) }))
      .sort((a, b) => b.p99 - a.p99),
    errors: learners.flatMap((l) => l.errors),
  };
}

async function reference(): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ws-ref-'));
  const { child, match } = await startProcess(['serve', '--port', '0', '--state-dir', dir], /^coredns-lab: open (\S+)$/m);
  try {
    return await measure('serve, 1 learner (reference)', [match[1]!], child.pid!, () => [child.pid!]);
  } finally {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

interface SeatState {
  id: string;
  state: string;
}

/**
 * Every seat idles (no terminal open) until the workshop freezes it; then each one, in turn, gets
 * one request (the page's /api/status) and the time until it answers is its wake time.
 */
async function wakeAll(instructorUrl: string, urls: string[]): Promise<NonNullable<Row['wake']>> {
  const u = new URL(instructorUrl);
  const auth = { headers: { Authorization: `Bearer ${u.searchParams.get('token')!}` } };
  const states = async (): Promise<SeatState[]> =>
    ((await (await fetch(`${u.origin}/api/seats`, auth)).json()) as { seats: SeatState[] }).seats;
  const asleep = await waitFor(async () => {
    const s = await states();
    return s.every((x) => x.state === 'asleep') && s;
  }, { what: 'every seat asleep', timeout: 90_000, interval: 1000 }).catch(async () => states());
  const times: number[] = [];
  let failed = 0;
  for (const [i, seat] of asleep.entries()) {
    if (seat.state !== 'asleep') continue;
    const s = new URL(urls[i]!);
    const t0 = performance.now();
    const res = await fetch(`${s.origin}/api/status`, { headers: { Authorization: `Bearer ${s.searchParams.get('token')!}` } });
    await res.arrayBuffer();
    if (res.ok) times.push(performance.now() - t0);
    else failed++;
  }
  return { ...summarize(times), max: Math.max(0, ...times), asleep: asleep.filter((x) => x.state === 'asleep').length, failed };
}

async function workshop(n: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ws-'));
  process.stderr.write(`workshop with ${n} seats: starting\n`);
  const started = Date.now();
  let child: ChildProcess | null = null;
  try {
    const s = await startProcess(
      ['workshop', '--seats', String(n), '--port', '0', '--state-dir', dir, '--seat-sleep-after', SLEEP_AFTER],
      /^coredns-lab workshop: instructor (\S+)$/m,
    );
    child = s.child;
    const startSeconds = Math.round((Date.now() - started) / 1000);
    process.stderr.write(`\n  every seat started in ${startSeconds} s\n`);
    const links = readFileSync(join(dir, 'seats.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]!);
    const urls = await Promise.all(links.map(async (l) => (await fetch(l, { redirect: 'manual' })).headers.get('location')!));
    const row = await measure(`workshop, ${n} seats`, urls, child.pid!, () => seatPids(dir));
    row.wake = await wakeAll(s.match[1]!, urls);
    row.startSeconds = startSeconds;
    return row;
  } catch (err) {
    // what stopped the run at this N, in the workshop's own words, instead of the figures
    const why = (err as Error).message;
    process.stderr.write(`\n  workshop with ${n} seats did not run: ${why}\n`);
    const none = summarize([]);
    return {
      label: `workshop, ${n} seats`,
      seats: n,
      echo: none,
      echoBySpan: [],
      check: none,
      page: none,
      checkBySteps: [],
      seatMb: { mean: 0, max: 0 },
      frontMb: 0,
      labCpuPct: 0,
      frontCpuPct: 0,
      machineCpuPct: 0,
      load: { before: loadavg(), after: loadavg() },
      errors: [`did not run: ${why}`],
    };
  } finally {
    if (child) await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const f = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(n >= 100 ? 0 : 1));
function print(rows: Row[], ref: Row): void {
  const pace = PACE === 'room'
    ? `pace room: joining over ${JOIN_MS / 1000} s, reading ${READ_MS[0] / 1000}-${READ_MS[1] / 1000} s between commands`
    : `pace sprint: joining within ${JOIN_MS / 1000} s, the next command as soon as the check answers`;
  console.log(`\nbench/workshop: ${SECONDS} s per learner, one key every ~${KEY_MS} ms, the step's check after each command; ${pace}`);
  console.log(`commands: ${COMMANDS.map((c) => c[0]).join(' | ')}`);
  console.log(`CPU: ${clients.description}`);
  console.log(
    'run                           echo p50/p99 ms (x ref)   check p50/p99 ms (x ref)   MB/seat mean/max (x ref)  front MB  ' +
      'lab CPU %  front CPU %  machine CPU %  load 1m before/after  wake p50/max ms (asleep)  errors  start s',
  );
  for (const r of [ref, ...rows]) {
    const x = (a: number, b: number) => (r === ref || !a ? '' : ` (x${(a / b).toFixed(1)})`);
    const wake = r.wake ? `${f(r.wake.p50)}/${f(r.wake.max)} (${r.wake.asleep}/${r.seats})` : '-';
    console.log(
      [
        r.label.padEnd(29),
        `${f(r.echo.p50)}/${f(r.echo.p99)}${x(r.echo.p99, ref.echo.p99)}`.padEnd(25),
        `${f(r.check.p50)}/${f(r.check.p99)}${x(r.check.p99, ref.check.p99)}`.padEnd(26),
        `${f(r.seatMb.mean)}/${f(r.seatMb.max)}${x(r.seatMb.mean, ref.seatMb.mean)}`.padEnd(25),
        f(r.frontMb).padStart(8),
        f(r.labCpuPct).padStart(10),
        (r === ref ? '-' : f(r.frontCpuPct)).padStart(12),
        f(r.machineCpuPct).padStart(14),
        `${f(r.load.before[0])}/${f(r.load.after[0])}`.padStart(22),
        wake.padStart(26),
        String(r.errors.length).padStart(7),
        String(r.startSeconds ?? '-').padStart(8),
      ].join(' '),
    );
  }
  for (const r of [ref, ...rows]) {
    const slow = r.checkBySteps.slice(0, 3).map((x) => `${x.step} ${f(x.p50)}/${f(x.p99)}`).join(', ');
    if (slow) console.log(`${r.label}: slowest checks (p50/p99 ms): ${slow}`);
  }
  for (const r of rows) {
    const spans = r.echoBySpan.map((x) => `${x.from}-${x.to >= 1e9 ? 'end' : x.to} s ${f(x.p50)}/${f(x.p99)} (${x.n})`).join(', ');
    console.log(`${r.label}: echo p50/p99 ms (keys) by when typed: ${spans}`);
  }
  for (const r of [ref, ...rows]) console.log(`${r.label}: the page's first load p50/p99 ms: ${f(r.page.p50)}/${f(r.page.p99)} (${r.page.n})`);
  for (const r of rows) if (r.errors.length) console.log(`${r.label}: ${r.errors.length} errors, first: ${r.errors[0]}`);
  console.log('CPU: % of one core (the machine has 2); "front" is the workshop process alone (the seats\' proxies, the instructor\'s page); "machine" counts every process, this bench\'s included');
  console.log('targets (issue 14): 50 seats with echo p99 < 50 ms, check p99 < 2000 ms, < 150 MB per seat; wake < 1000 ms');
}

const at = new Date().toISOString();
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const ref = await reference();
const rows: Row[] = [];
// the table and the results file after every N: a run at 100 seats takes long on a busy machine
for (const n of SEATS) {
  rows.push(await workshop(n));
  print(rows, ref);
  const settings = { at, pace: PACE, seconds: SECONDS, keyMs: KEY_MS, joinMs: JOIN_MS, readMs: READ_MS };
  const result = JSON.stringify({ ...settings, ref, rows }, null, 2);
  const name = PACE === 'room' ? 'workshop-room' : 'workshop';
  writeFileSync(join(ROOT, 'bench', 'results', `${name}.json`), result);
  writeFileSync(join(ROOT, 'bench', 'results', `${name}-${at.replace(/[:.]/g, '-')}.json`), result);
}
