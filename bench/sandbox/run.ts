// bench/sandbox: how long from `sandbox up` to the first successful `nslookup kubernetes.default`
// from busybox, and how much memory the whole sandbox (API, controllers, every pod's process)
// holds in the Status Quo and after the chapter. Printed beside the published kind/minikube
// figures (reference/seed-origin.md §4) and beside floors measured in this run (bare node, and
// the CLI's own start-up), as ratios. The API serves HTTPS with the state dir's CA and token as
// always. The cost of TLS is printed beside: each run also starts a sandbox whose state dir
// already has its PKI (as on a restart), and tls-cost.ts times making and reading the PKI alone.
//   node --import tsx bench/sandbox/run.ts [--runs N]
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { treeRssMb } from './process-tree.ts';
import { waitFor } from '../../test/support/wait.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'bin', 'coredns-lab.js');
const LESSONS = join(ROOT, 'lessons');

const argv = process.argv.slice(2);
const runsArg = argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 1;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('bench/sandbox: --runs must be a positive integer');
  process.exit(2);
}

/** published references: minikube time-to-k8s v1.36.0 page, totals until in-cluster DNS answers */
const REFERENCE = {
  kindSeconds: 32.98,
  minikubeSeconds: 50.81,
  /** minikube's documented minimum free memory; kind publishes none */
  minikubeMb: 2048,
};
const TARGET = { seconds: 2, mb: 250 };

function sh(file: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0, out: String(stdout) + String(stderr) });
    });
  });
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

interface RunResult {
  readySeconds: number;
  dnsSeconds: number;
  statusQuo: { mb: number; processes: number };
  afterChapter: { mb: number; processes: number };
}

/** one start to DNS and the chapter; `pki`: a state dir whose pki/ is copied in first */
async function once(pki?: string): Promise<RunResult> {
  const stateDir = mkdtempSync(join(tmpdir(), 'coredns-lab-bench-'));
  if (pki) cpSync(join(pki, 'pki'), join(stateDir, 'pki'), { recursive: true });
  const cacheDir = mkdtempSync(join(tmpdir(), 'coredns-lab-bench-kubectl-'));
  const kubeconfig = join(stateDir, 'kubeconfig');
  const env = { KUBECONFIG: kubeconfig, KUBECACHEDIR: cacheDir };
  const kubectl = (...args: string[]) => sh('kubectl', ['--cache-dir', cacheDir, ...args], env, LESSONS);
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, 'sandbox', 'up', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.resume();
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => out.includes('sandbox ready:') && resolve());
      child.on('exit', (code) => reject(new Error(`sandbox up exited ${code}: ${out}`)));
    });
    const readySeconds = (performance.now() - t0) / 1000;
    const created = await kubectl('create', '-f', 'templates/busybox.yaml');
    if (created.code !== 0) throw new Error(`creating busybox failed: ${created.out}`);
    await waitFor(async () => {
      const r = await kubectl('exec', 'busybox', '--', 'nslookup', 'kubernetes.default');
      if (r.code !== 0 || !r.out.includes('100.64.0.1')) throw new Error(r.out);
      return true;
    }, { what: 'a successful nslookup from busybox', timeout: 120_000 });
    const dnsSeconds = (performance.now() - t0) / 1000;
    const statusQuo = treeRssMb(child.pid!);

    const steps = [
      ['create', '-f', 'templates/coredns-kops.yaml'],
      ['rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=60s'],
      ['apply', '-f', 'templates/coredns-service.yaml'],
    ];
    for (const s of steps) {
      const r = await kubectl(...s);
      if (r.code !== 0) throw new Error(`kubectl ${s.join(' ')} failed: ${r.out}`);
    }
    await waitFor(async () => {
      const r = await kubectl('exec', 'busybox', '--', 'nslookup', 'kubernetes.default');
      if (r.code !== 0) throw new Error(r.out);
      return true;
    }, { what: 'nslookup through CoreDNS', timeout: 60_000, interval: 50 });
    const afterChapter = treeRssMb(child.pid!);
    return { readySeconds, dnsSeconds, statusQuo, afterChapter };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.on('exit', r)));
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

// floors measured now, on this machine under its current load
const nodeFloor = await timeIt(() => sh(process.execPath, ['-e', '0']));
const cliFloor = await timeIt(() => sh(process.execPath, [CLI, '--help']));
const pkiDir = mkdtempSync(join(tmpdir(), 'coredns-lab-bench-pki-'));
const tlsCost = JSON.parse((await sh(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'sandbox', 'tls-cost.ts'), pkiDir])).out.trim().split('\n').pop()!) as { generateMs: number; reuseMs: number };
const results: RunResult[] = [];
const withPki: RunResult[] = [];
try {
  for (let i = 0; i < runs; i++) {
    results.push(await once());
    withPki.push(await once(pkiDir));
  }
} finally {
  rmSync(pkiDir, { recursive: true, force: true });
}
const best = (f: (r: RunResult) => number) => Math.min(...results.map(f));
const ready = best((r) => r.readySeconds);
const dns = best((r) => r.dnsSeconds);
const readyPki = Math.min(...withPki.map((r) => r.readySeconds));
const dnsPki = Math.min(...withPki.map((r) => r.dnsSeconds));
const rssSq = Math.max(...results.map((r) => r.statusQuo.mb));
const rssCh = Math.max(...results.map((r) => r.afterChapter.mb));
const procs = Math.max(...results.map((r) => r.afterChapter.processes));

const f = (n: number, d = 2) => n.toFixed(d);
const lines = [
  `bench/sandbox: ${runs} run(s), node ${process.version}; best time, worst memory; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`,
  '',
  `${'metric'.padEnd(52)}${'sandbox'.padStart(10)}${'target'.padStart(9)}`,
  `${'up -> "sandbox ready" (s)'.padEnd(52)}${f(ready).padStart(10)}`,
  `${'up -> first nslookup kubernetes.default ok (s)'.padEnd(52)}${f(dns).padStart(10)}${f(TARGET.seconds).padStart(9)}`,
  `${'RSS, Status Quo + busybox (MB, whole tree)'.padEnd(52)}${f(rssSq, 1).padStart(10)}${f(TARGET.mb, 0).padStart(9)}`,
  `${`RSS, after the chapter (MB, ${procs} processes)`.padEnd(52)}${f(rssCh, 1).padStart(10)}${f(TARGET.mb, 0).padStart(9)}`,
  '',
  'ratios (sandbox / reference; below 1 is better):',
  `  time to DNS vs kind v0.29 (${REFERENCE.kindSeconds} s, published)          ${f(dns / REFERENCE.kindSeconds, 3)}`,
  `  time to DNS vs minikube v1.36 (${REFERENCE.minikubeSeconds} s, published)      ${f(dns / REFERENCE.minikubeSeconds, 3)}`,
  `  memory after the chapter vs minikube's 2 GB minimum       ${f(rssCh / REFERENCE.minikubeMb, 3)}`,
  '  memory vs kind: kind publishes no figure',
  `  time to DNS vs this run's floors: bare node start ${f(nodeFloor, 3)} s -> x${f(dns / nodeFloor, 1)}; coredns-lab --help ${f(cliFloor, 3)} s -> x${f(dns / cliFloor, 1)}`,
  '',
  'the cost of TLS in a start (kubectl\'s TLS handshakes are priced in bench/api):',
  `${'  new state dir whose pki/ is already made: up -> ready (s)'.padEnd(62)}${f(readyPki).padStart(8)}   (new pki/: ${f(ready)}, ${f(ready / readyPki)}x)`,
  `${'  new state dir whose pki/ is already made: up -> DNS (s)'.padEnd(62)}${f(dnsPki).padStart(8)}   (new pki/: ${f(dns)}, ${f(dns / dnsPki)}x)`,
  `${'  making a PKI alone (worker: @peculiar/x509 load, CA, cert, SA key, ms)'.padEnd(62)}${f(tlsCost.generateMs, 0).padStart(8)}`,
  `${'  reading it back on a restart (ms)'.padEnd(62)}${f(tlsCost.reuseMs, 0).padStart(8)}`,
];
console.log(lines.join('\n'));
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'results', 'sandbox.json'), JSON.stringify({ when: new Date().toISOString(), runs: results, runsWithPki: withPki, tlsCost, floors: { nodeFloor, cliFloor }, reference: REFERENCE, target: TARGET }, null, 2) + '\n');
