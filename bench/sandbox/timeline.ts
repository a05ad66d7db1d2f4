// bench/sandbox/timeline.ts: where the first minute goes. Starts the embedded cluster in this
// process (as `sandbox up` does, minus the CLI's own start-up, which is timed apart), prints a
// timestamped line for each step (imports, store, API listen, controllers), each pod status
// change (phase, container states, Ready), kube-dns's EndpointSlice readiness and the DNS
// containers' log lines, then creates busybox and runs `kubectl exec busybox -- nslookup
// kubernetes.default` until it succeeds, printing every attempt, failures included.
//   node --import tsx bench/sandbox/timeline.ts [--state-dir D] [--attempts N] [--skip-cli]
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'bin', 'coredns-lab.js');
const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const givenStateDir = opt('--state-dir');
/** nslookups to run after the first success (to catch intermittent failures) */
const extra = Number(opt('--attempts') ?? 5);

const t0 = performance.now();
const ms = () => (performance.now() - t0).toFixed(0).padStart(6);
const mark = (what: string) => console.log(`${ms()} ms  ${what}`);

function sh(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0, out: String(stdout) + String(stderr) });
    });
  });
}

interface PodStatus {
  phase?: string;
  conditions?: Array<{ type: string; status: string }>;
  containerStatuses?: Array<{ name: string; ready: boolean; state?: Record<string, { reason?: string }> }>;
}

function describePod(status: PodStatus | undefined): string {
  const ready = status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '-';
  const cs = (status?.containerStatuses ?? []).map((c) => {
    const [kind, detail] = Object.entries(c.state ?? {})[0] ?? ['?', {}];
    return `${c.name}=${kind}${detail?.reason ? `(${detail.reason})` : ''}${c.ready ? '+ready' : ''}`;
  });
  return `${status?.phase ?? '-'} Ready=${ready} ${cs.join(' ')}`;
}

const stateDir = givenStateDir ?? mkdtempSync(join(tmpdir(), 'coredns-lab-timeline-'));
const cacheDir = mkdtempSync(join(tmpdir(), 'coredns-lab-timeline-kubectl-'));
const lessons = join(ROOT, 'lessons');

// the CLI's own cost to its ready line, measured first on a throwaway state dir
if (!argv.includes('--skip-cli')) {
  const dir = mkdtempSync(join(tmpdir(), 'coredns-lab-timeline-cli-'));
  const start = performance.now();
  const child = spawn(process.execPath, [CLI, 'sandbox', 'up', '--state-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; if (out.includes('sandbox ready:')) resolve(); });
    child.on('exit', (code) => reject(new Error(`sandbox up exited ${code}`)));
  });
  console.log(`CLI: spawn -> "sandbox ready" ${(performance.now() - start).toFixed(0)} ms (fresh state dir)`);
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.on('exit', r)));
  rmSync(dir, { recursive: true, force: true });
}

mark('start (in-process)');
const { startCluster } = await import('../../sandbox/cluster/cluster.ts');
mark('cluster modules imported');
const cluster = await startCluster({
  stateDir,
  onProgress: (line) => mark(`progress: ${line}`),
  onLog: (pod, container, line) => {
    if (pod.namespace === 'kube-system' || pod.name === 'busybox') mark(`log ${pod.name}/${container}: ${line.text}`);
  },
});
mark(`cluster started, API ${cluster.apiUrl}`);
const last = new Map<string, string>();
cluster.store.watch('pods', {}, (e) => {
  const d = `${e.type === 'DELETED' ? 'DELETED' : describePod(e.object.status as PodStatus)} node=${(e.object.spec as { nodeName?: string }).nodeName ?? '-'}`;
  const k = `${e.object.metadata.namespace}/${e.object.metadata.name}`;
  if (last.get(k) === d) return;
  last.set(k, d);
  mark(`pod ${k}: ${d}`);
});
cluster.store.watch('endpointslices.discovery.k8s.io', { namespace: 'kube-system' }, (e) => {
  if (!e.object.metadata.name?.startsWith('kube-dns')) return;
  const eps = ((e.object.endpoints ?? []) as Array<{ addresses: string[]; conditions?: { ready?: boolean } }>)
    .map((x) => `${x.addresses[0]}${x.conditions?.ready ? '+ready' : ''}`);
  mark(`endpointslice ${e.object.metadata.name}: ${eps.join(' ') || '(none)'}`);
});
for (const p of cluster.store.list('pods').items) mark(`pod ${p.metadata.namespace}/${p.metadata.name}: ${describePod(p.status as PodStatus)} (at start)`);

const env = { KUBECONFIG: cluster.kubeconfig, KUBECACHEDIR: cacheDir };
const kubectl = (...args: string[]) => sh('kubectl', ['--cache-dir', cacheDir, ...args], env, lessons);
try {
  mark('kubectl create -f templates/busybox.yaml');
  const created = await kubectl('create', '-f', 'templates/busybox.yaml');
  mark(`kubectl create: exit ${created.code} ${created.out.trim()}`);
  let ok = 0;
  for (let i = 0; ok <= extra && i < 400; i++) {
    const start = ms();
    const r = await kubectl('exec', 'busybox', '--', 'nslookup', 'kubernetes.default');
    const good = r.code === 0 && r.out.includes('100.64.0.1');
    if (good) ok++;
    console.log(`${start} ms  nslookup #${i + 1}: exit ${r.code}${good ? ' ok' : ''} -> ${ms().trim()} ms ${good ? '' : JSON.stringify(r.out.trim().split('\n').slice(-2).join(' | '))}`);
    if (ok === 1 && good) mark('FIRST SUCCESSFUL NSLOOKUP');
  }
} finally {
  await cluster.stop();
  if (!givenStateDir) rmSync(stateDir, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}
