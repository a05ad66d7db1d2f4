// How long the workshop's processes wait for a CPU once woken, by role: the kernel's scheduler
// trace (`perf sched record`) over a few seconds of a running workshop (start one with
// bench/workshop/run.ts, then run this beside it), read back with `perf sched timehist`, whose
// "sch delay" column is the time from a task's wake-up to its first run. A key's echo wakes the
// seat's server twice and its shell once, so these delays are the floor under the echo's tail.
// Usage (as root, with perf): node --import tsx bench/workshop/sched-delay.ts [--seconds 8]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize } from '../api/stats.ts';

const i = process.argv.indexOf('--seconds');
const SECONDS = i >= 0 ? Number(process.argv[i + 1]) : 8;
if (!Number.isFinite(SECONDS) || SECONDS <= 0) {
  console.error('bench/workshop/sched-delay: --seconds wants a positive number, e.g. --seconds 8');
  process.exit(2);
}
/** the trace's first second shows a CPU that had no event yet as if it had stalled: left out */
const SKIP_S = 1;

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** each live thread's role, from its process's command line and its CPU group (cgroup v1 or v2) */
function roles(into: Map<number, string>): void {
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const cmd = read(`/proc/${p}/cmdline`).split('\0');
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${p}/task`);
    } catch {
      continue;
    }
    const line = cmd.join(' ');
    for (const t of tids) {
      const group = read(`/proc/${p}/task/${t}/cgroup`);
      const main = t === p ? 'main thread' : 'other threads';
      let role: string | undefined;
      if (/coredns-lab\.js workshop/.test(line)) role = `workshop process, ${main}`;
      else if (/coredns-lab\.js serve/.test(line)) role = `seat servers, ${main}`;
      else if (/bench\/workshop\/run\.ts/.test(line)) role = 'simulated learners (the bench)';
      else if (/-commands\//.test(group)) role = `learners' commands (${read(`/proc/${p}/task/${t}/comm`).trim()})`;
      else if (/\/shells/.test(group)) role = `learners' shells, at the prompt (${read(`/proc/${p}/task/${t}/comm`).trim()})`;
      if (role) into.set(Number(t), role);
    }
  }
}

const perf = spawnSync('perf', ['--version'], { encoding: 'utf8' });
if (perf.error || perf.status !== 0) {
  console.error('bench/workshop/sched-delay: perf is not installed (Debian: apt-get install linux-perf)');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'sched-delay-'));
const data = join(dir, 'sched.data');
const byTid = new Map<number, string>();
roles(byTid);
if (![...byTid.values()].some((r) => r.startsWith('seat servers'))) {
  console.error('bench/workshop/sched-delay: no seat server is running; start a workshop first (bench/workshop/run.ts)');
  process.exit(2);
}
process.stderr.write(`recording the scheduler for ${SECONDS} s ...\n`);
const rec = spawnSync('perf', ['sched', 'record', '-o', data, '--', 'sleep', String(SECONDS)], { encoding: 'utf8' });
if (rec.status !== 0) {
  console.error(`bench/workshop/sched-delay: perf sched record failed: ${rec.stderr.trim().split('\n').pop()} (run as root)`);
  process.exit(1);
}
// threads that started during the trace and are still there
roles(byTid);
const hist = spawnSync('perf', ['sched', 'timehist', '-i', data], { encoding: 'utf8', maxBuffer: 1 << 30 });
rmSync(dir, { recursive: true, force: true });
const delays = new Map<string, number[]>();
let first: number | undefined;
for (const line of hist.stdout.split('\n')) {
  // "  13189.620521 [0000]  node[1234/1200]   0.000   0.004   0.032"
  const m = /^\s*(\d+\.\d+)\s+\[\d+\]\s+(\S+)\[(\d+)(?:\/\d+)?\]\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(line);
  if (!m) continue;
  const at = Number(m[1]);
  first ??= at;
  if (at - first < SKIP_S) continue;
  const role = byTid.get(Number(m[3])) ?? (m[2] === 'kubectl' ? "learners' commands (kubectl)" : undefined);
  if (!role) continue;
  const list = delays.get(role) ?? [];
  list.push(Number(m[5]));
  delays.set(role, list);
}
console.log(`wake-up to run, ms, over ${SECONDS - SKIP_S} s (perf sched timehist's "sch delay")`);
console.log(`${'role'.padEnd(52)} ${'wake-ups'.padStart(9)} ${'p50'.padStart(7)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`);
for (const [role, list] of [...delays].sort((a, b) => b[1].length - a[1].length)) {
  const s = summarize(list);
  console.log(`${role.padEnd(52)} ${String(list.length).padStart(9)} ${s.p50.toFixed(2).padStart(7)} ${s.p99.toFixed(2).padStart(8)} ${list.reduce((a, b) => Math.max(a, b), 0).toFixed(2).padStart(8)}`);
}
