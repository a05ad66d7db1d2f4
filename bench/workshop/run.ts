// N simulated learners against one workshop server: each a WebSocket terminal on its own seat,
// typing the chapter's commands at human pace (one key every ~150 ms) and running the open
// step's check after each command, as the page does. Beside it, in the same run, one learner on a
// single `coredns-lab serve` (the reference). Prints keystroke echo p50/p99, check p50/p99,
// memory per seat and CPU, per N, and each as a ratio to the reference.
// Usage: node --import tsx bench/workshop/run.ts [--seats 10,30,50,100] [--seconds 45]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TermClient } from '../../sandbox/terminal/node-client.ts';
import { summarize, type Summary } from '../api/stats.ts';
import { treeRssMb } from '../sandbox/process-tree.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : dflt;
};
const SEATS = arg('seats', '10,30,50,100').split(',').map(Number);
const SECONDS = Number(arg('seconds', '45'));
const KEY_MS = 150;

// what a learner types in the chapter's first lessons, and the step checked after each
const COMMANDS: [string, string][] = [
  ['kubectl get svc kube-dns -n kube-system', 'status-quo'],
  ['kubectl get pods -n kube-system -l k8s-app=kube-dns', 'status-quo'],
  ['kubectl describe svc kube-dns -n kube-system', 'status-quo'],
  ['kubectl get endpoints kube-dns -n kube-system', 'status-quo'],
];

interface Learner {
  echo: number[];
  checks: number[];
  errors: number;
}

function startProcess(args: string[], line: RegExp, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, ['bin/coredns-lab.js', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, detached: true });
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
    child.once('exit', (code) => reject(new Error(`${args[0]} exited ${code}: ${err.slice(-800)}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
  await done;
  clearTimeout(t);
}

/** one learner for `seconds`: types each command key by key, then Enter, then checks its step */
async function learn(seatUrl: string, seconds: number, out: Learner): Promise<void> {
  const u = new URL(seatUrl);
  const token = u.searchParams.get('token')!;
  const shell = await TermClient.open({ base: u.origin, token, cols: 120, rows: 30 });
  try {
    // a prompt marker the echoed command line cannot contain
    shell.type(`PS1='@@P''@@ '\r`);
    await shell.waitFor('@@P@@ ', 30_000);
    const end = Date.now() + seconds * 1000;
    for (let i = 0; Date.now() < end; i++) {
      const [cmd, step] = COMMANDS[i % COMMANDS.length]!;
      for (const ch of cmd) {
        const from = shell.length;
        const t0 = performance.now();
        shell.type(ch);
        await shell.waitFor(ch === ' ' ? ' ' : ch, 10_000, from);
        out.echo.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, KEY_MS * (0.5 + Math.random())));
      }
      const from = shell.length;
      shell.type('\r');
      await shell.waitFor('@@P@@ ', 30_000, from);
      const t0 = performance.now();
      const res = await fetch(`${u.origin}/api/checks/${step}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, Origin: u.origin } });
      await res.arrayBuffer();
      if (res.ok) out.checks.push(performance.now() - t0);
      else out.errors++;
    }
  } catch {
    out.errors++;
  } finally {
    await shell.close();
  }
}

function cpuTicks(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!; // user nice system irq softirq steal
}

interface Row {
  label: string;
  echo: Summary;
  check: Summary;
  mbPerSeat: number;
  cpuPct: number;
  errors: number;
}

/** `root`: the process whose tree holds every seat (the workshop, or the single serve) */
async function measure(label: string, urls: string[], root: number): Promise<Row> {
  const learners = urls.map((): Learner => ({ echo: [], checks: [], errors: 0 }));
  const c0 = cpuTicks();
  const t0 = Date.now();
  await Promise.all(
    urls.map((u, i) => new Promise((r) => setTimeout(r, Math.random() * 2000)).then(() => learn(u, SECONDS, learners[i]!))),
  );
  const cpuPct = ((cpuTicks() - c0) / 100 / ((Date.now() - t0) / 1000)) * 100;
  const mb = treeRssMb(root).mb;
  return {
    label,
    echo: summarize(learners.flatMap((l) => l.echo)),
    check: summarize(learners.flatMap((l) => l.checks)),
    mbPerSeat: mb / urls.length,
    cpuPct,
    errors: learners.reduce((s, l) => s + l.errors, 0),
  };
}

async function reference(): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ws-ref-'));
  const { child, match } = await startProcess(['serve', '--port', '0', '--state-dir', dir], /^coredns-lab: open (\S+)$/m);
  try {
    return await measure('serve, 1 learner (reference)', [match[1]!], child.pid!);
  } finally {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function workshop(n: number): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ws-'));
  process.stderr.write(`workshop with ${n} seats: starting\n`);
  const { child } = await startProcess(['workshop', '--seats', String(n), '--port', '0', '--state-dir', dir], /^coredns-lab workshop: instructor (\S+)$/m);
  process.stderr.write('\n');
  try {
    const links = readFileSync(join(dir, 'seats.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]!);
    const urls = await Promise.all(links.map(async (l) => (await fetch(l, { redirect: 'manual' })).headers.get('location')!));
    return await measure(`workshop, ${n} seats`, urls, child.pid!);
  } finally {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

const f = (n: number) => n.toFixed(1);
function print(rows: Row[], ref: Row): void {
  console.log(`\nbench/workshop: ${SECONDS} s of typing per run, one key every ~${KEY_MS} ms, a check after each command`);
  console.log('run                            echo p50/p99 ms (x ref)        check p50/p99 ms (x ref)        MB/seat   CPU %   errors');
  for (const r of [ref, ...rows]) {
    const x = (a: number, b: number) => (r === ref ? '' : ` (x${(a / b).toFixed(1)})`);
    console.log(
      `${r.label.padEnd(30)} ${`${f(r.echo.p50)}/${f(r.echo.p99)}${x(r.echo.p99, ref.echo.p99)}`.padEnd(30)} ` +
        `${`${f(r.check.p50)}/${f(r.check.p99)}${x(r.check.p99, ref.check.p99)}`.padEnd(31)} ${f(r.mbPerSeat).padStart(7)} ${f(r.cpuPct).padStart(7)} ${String(r.errors).padStart(8)}`,
    );
  }
  console.log('targets (issue 14): 50 seats with echo p99 < 50 ms, check p99 < 2000 ms, < 150 MB per seat');
}

const ref = await reference();
const rows: Row[] = [];
for (const n of SEATS) rows.push(await workshop(n));
print(rows, ref);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'workshop.json'), JSON.stringify({ at: new Date().toISOString(), seconds: SECONDS, ref, rows }, null, 2));
