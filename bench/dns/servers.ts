// The servers under test, each started pinned to one core: our dns-server (the CLI, as the
// container runs it), Debian's dnsmasq serving the same names from a hosts file, and the floor,
// an echo through the same UDP handle path as ours.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { query } from '../../dns-server/test-support/client.ts';
import { waitFor } from '../../test/support/wait.ts';
import { freePort } from '../../test/support/free-port.ts';
import { statFields } from '../../test/support/process-tree.mjs';

export interface Running {
  name: string;
  pid: number;
  port: number;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * The command line that runs cmd on one core. The machine is shared: with BENCH_NICE=N (-20 by
 * default, 0 to turn off) servers and dnsperf run at that niceness, so a neighbour at the default
 * weight gets ~1% of the core while ours is busy, and what is measured is the server rather than
 * whoever else wants the core. nice and taskset exec, so the pid is the command's own.
 */
export function pinned(core: number, cmd: string, args: string[]): [string, string[]] {
  const nice = Number(process.env.BENCH_NICE ?? -20);
  const set = ['taskset', '-c', String(core), cmd, ...args];
  return nice ? ['nice', ['-n', String(nice), ...set]] : [set[0]!, set.slice(1)];
}

function launch(name: string, core: number, cmd: string, args: string[], port: number): Running {
  // taskset execs the command, so the child's pid is the server's own
  const child = spawn(...pinned(core, cmd, args), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out = (out + d).slice(-20000)));
  child.stderr!.on('data', (d) => (out = (out + d).slice(-20000)));
  return {
    name,
    pid: child.pid!,
    port,
    child,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/**
 * The node flags the image passes before main.mjs (dns-server/Dockerfile's exec-form ENTRYPOINT,
 * e.g. ["node", "--single-threaded-gc", "/app/main.mjs"]), so the bench runs what the image runs.
 */
export function imageNodeFlags(root: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(root, 'dns-server/Dockerfile'), 'utf8');
  } catch {
    return [];
  }
  const m = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(text);
  if (!m) return [];
  try {
    const argv = JSON.parse(m[1]!) as unknown[];
    if (!argv.every((a) => typeof a === 'string') || argv[0] !== 'node') return [];
    return (argv as string[]).slice(1).filter((a, i, all) => a.startsWith('-') && all.slice(i).some((b) => b.endsWith('main.mjs')));
  } catch {
    return [];
  }
}

let bundle: string | undefined;
/**
 * How our server is started: as the image runs it, the bundle of dns-server/build.mjs under plain
 * node (built once into the bench's temp dir); BENCH_DNS_TSX=1 runs the source through tsx.
 */
function ourEntry(dir: string, root: string): string[] {
  if (process.env.BENCH_DNS_TSX) return ['--import', 'tsx', join(root, 'dns-server/main.ts')];
  // BENCH_DNS_BUNDLE=DIR/main.mjs: a bundle built elsewhere (e.g. from an older commit, to compare)
  if (process.env.BENCH_DNS_BUNDLE) return [process.env.BENCH_DNS_BUNDLE];
  if (bundle === undefined) {
    execFileSync(process.execPath, [join(root, 'dns-server/build.mjs'), '--outdir', join(dir, 'dns-server-bundle')]);
    bundle = join(dir, 'dns-server-bundle/main.mjs');
  }
  return [bundle];
}

/** our server from a Corefile; log off (no `log` plugin), as the benchmark asks */
export async function startOurs(dir: string, core: number, kubernetesOptions: string, apiUrl: string): Promise<Running> {
  const port = await freePort();
  const conf = join(dir, 'Corefile');
  writeFileSync(conf, `.:${port} {\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    endpoint ${apiUrl}\n    ${kubernetesOptions}\n  }\n}\n`);
  const root = new URL('../../', import.meta.url).pathname;
    // BENCH_CPU_PROF=DIR writes a V8 CPU profile of our server (open it in Chrome DevTools)
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_NODE_FLAGS="--trace-gc --perf-basic-prof": extra node flags for our server (diagnosis)
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  return launch('coredns-lab dns-server', core, process.execPath, [...prof, ...imageNodeFlags(root), ...flags, ...ourEntry(dir, root), '-conf', conf], port);
}

export async function startDnsmasq(dir: string, core: number, hosts: string): Promise<Running> {
  const port = await freePort();
  const file = join(dir, 'hosts');
  writeFileSync(file, hosts);
  return launch('dnsmasq', core, 'dnsmasq', [
    '-k', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', `--addn-hosts=${file}`, '--local=/cluster.local/',
    `--port=${port}`, '--listen-address=127.0.0.1', '--bind-interfaces', '--pid-file=', '--user=root', '--cache-size=10000',
  ], port);
}

/**
 * The floor: an echo through the same direct UDP handle path as our server
 * (fast-echo-server.ts, through tsx: only its start is slower), up once it says so.
 */
export async function startEcho(core: number): Promise<Running> {
  const port = await freePort();
  const script = new URL('./fast-echo-server.ts', import.meta.url).pathname;
  const r = launch('node echo (floor)', core, process.execPath, ['--import', 'tsx', script, String(port)], port);
  await waitFor(() => r.output().includes('echo on'), {
    what: 'the echo server to start', timeout: 20_000, show: r.output,
    failIf: () => r.child.exitCode !== null && `it exited with ${r.child.exitCode}:\n${r.output()}`,
  });
  return r;
}

/** wait until `name` answers `ip` (the server is up and, for ours, synced) */
export async function waitForAnswer(r: Running, name: string, ip: string, timeoutMs = 60_000): Promise<void> {
  // a query that throws (not listening yet) counts as "not yet"
  await waitFor(async () => (await query(r.port, name, 'A', { timeoutMs: 500 })).answers?.some((x) => (x as { data?: unknown }).data === ip), {
    what: `${r.name} to answer ${name} -> ${ip}`, timeout: timeoutMs, interval: 100, show: r.output,
    failIf: () => r.child.exitCode !== null && `it exited with ${r.child.exitCode}:\n${r.output()}`,
  });
}

export function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** utime+stime in seconds, from /proc/PID/stat */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  if (!f) throw new Error(`bench/dns: process ${pid} is gone, so its CPU time cannot be read`);
  return (Number(f[11]) + Number(f[12])) / 100;
}
