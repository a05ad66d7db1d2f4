// Two variants of our server sharing one core in the same run (shared-core.ts): the ratio of their
// QPS and of QPS per CPU-second measures a change even when absolute numbers swing between runs.
//   node --import tsx bench/dns/ab.ts --b-env DNS_UDP_FASTPATH=0
//   node dns-server/build.mjs --outdir /tmp/old   (at an older commit), then
//   node --import tsx bench/dns/ab.ts --a /tmp/old/main.mjs
//   node --import tsx bench/dns/ab.ts --b-flags=--single-threaded-gc --qps 12000 --trace-gc
// Variant A and B default to the bundle of the working tree; --qps N runs open loop at N QPS each
// and prints p99 and CPU; --trace-gc prints each variant's scavenge count and pause percentiles.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { execFileSync, spawn } from 'node:child_process';
import { StubKubeApi } from '../../dns-server/test-support/kube/stub-api.ts';
import { benchServices, clusterObjects, fqdn, queryFile } from './fixtures.ts';
import { percentile, runDnsperf } from './dnsperf.ts';
import { pinned, waitForAnswer, type Running } from './servers.ts';
import { freePort } from '../../test/support/free-port.ts';
import { sharedCoreRound } from './shared-core.ts';

const USAGE = 'usage: node --import tsx bench/dns/ab.ts [--a BUNDLE] [--b BUNDLE] [--a-flags F] [--b-flags F] [--a-env K=V] [--b-env K=V] [--rounds N] [--seconds N] [--qps N] [--trace-gc]';

interface Variant { name: string; bundle: string; flags: string[]; env: Record<string, string> }

function envPairs(list: string[] | undefined, which: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new Error(`--${which}-env ${kv}: expected NAME=VALUE\n${USAGE}`);
    out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      a: { type: 'string' }, b: { type: 'string' },
      'a-flags': { type: 'string', multiple: true }, 'b-flags': { type: 'string', multiple: true },
      'a-env': { type: 'string', multiple: true }, 'b-env': { type: 'string', multiple: true },
      rounds: { type: 'string', default: '5' }, seconds: { type: 'string', default: '4' },
      qps: { type: 'string' }, 'trace-gc': { type: 'boolean', default: false },
    },
  });
  const rounds = Number(v.rounds);
  const seconds = Number(v.seconds);
  const qps = v.qps === undefined ? 0 : Number(v.qps);
  if (!(rounds >= 1 && seconds >= 1 && qps >= 0)) throw new Error(`--rounds, --seconds and --qps take positive numbers\n${USAGE}`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-dns-ab-'));
  const root = new URL('../../', import.meta.url).pathname;
  let own: string | undefined;
  const bundle = (given: string | undefined): string => {
    if (given) return given;
    if (!own) {
      execFileSync(process.execPath, [join(root, 'dns-server/build.mjs'), '--outdir', join(dir, 'bundle')]);
      own = join(dir, 'bundle/main.mjs');
    }
    return own;
  };
  const gcFlag = v['trace-gc'] ? ['--trace-gc'] : [];
  const variants: Variant[] = [
    { name: 'A', bundle: bundle(v.a), flags: [...gcFlag, ...(v['a-flags'] ?? [])], env: envPairs(v['a-env'], 'a') },
    { name: 'B', bundle: bundle(v.b), flags: [...gcFlag, ...(v['b-flags'] ?? [])], env: envPairs(v['b-env'], 'b') },
  ];
  const api = new StubKubeApi();
  const running: Array<Running & { gc: string[] }> = [];
  try {
    const services = benchServices(1000);
    api.applyAll(clusterObjects(services));
    await api.start();
    const queries = join(dir, 'queries.txt');
    writeFileSync(queries, queryFile(services, 10_000));
    const probe = services[services.length - 1]!;
    for (const [i, va] of variants.entries()) {
      const port = await freePort();
      const conf = join(dir, `Corefile-${i}`);
      writeFileSync(conf, `.:${port} {\n  kubernetes cluster.local in-addr.arpa ip6.arpa {\n    endpoint ${api.url}\n  }\n}\n`);
      const child = spawn(...pinned(1, process.execPath, [...va.flags, va.bundle, '-conf', conf]), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...va.env } });
      const gc: string[] = [];
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        for (const l of String(d).split('\n')) if (/ms: Scavenge/.test(l)) gc.push(l);
        out = (out + d).slice(-5000);
      });
      child.stderr!.on('data', (d) => (out = (out + d).slice(-5000)));
      const r = { name: va.name, pid: child.pid!, port, child, gc, output: () => out, stop: async () => void child.kill() };
      running.push(r);
      await waitForAnswer(r, fqdn(probe), probe.ip);
      console.log(`${va.name}: ${va.bundle} ${[...va.flags, ...Object.entries(va.env).map(([k, x]) => `${k}=${x}`)].join(' ')}`);
    }
    for (const r of running) await runDnsperf({ core: 0, port: r.port, file: queries, seconds: 2 });
    for (const r of running) r.gc.length = 0;
    const [a, b] = running as [typeof running[0], typeof running[0]];
    const qr: number[] = [];
    const cr: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const {
        a: ra,
        b: rb,
        cpuA: ua,
        cpuB: ub,
        perCpuA: pa,
        perCpuB: pb,
      } = await sharedCoreRound(a, b, { core: 0, file: queries, seconds, maxQps: qps || undefined });
      qr.push(rb.qps / ra.qps);
      cr.push(pb / pa);
      const lat = qps ? `  p99 A ${percentile(ra.latencies, 99).toFixed(2)} B ${percentile(rb.latencies, 99).toFixed(2)} ms; CPU A ${((100 * ua) / seconds).toFixed(0)}% B ${((100 * ub) / seconds).toFixed(0)}%` : '';
      console.log(`  round ${i + 1}: A ${ra.qps.toFixed(0)} QPS (${pa.toFixed(0)}/CPU-s)  B ${rb.qps.toFixed(0)} QPS (${pb.toFixed(0)}/CPU-s)  B/A QPS ${(rb.qps / ra.qps).toFixed(3)} per CPU-s ${(pb / pa).toFixed(3)}${lat}`);
    }
    const med = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    console.log(`median B/A: QPS ${med(qr).toFixed(3)}, QPS per CPU-second ${med(cr).toFixed(3)}`);
    if (v['trace-gc']) {
      for (const r of running) {
        const pauses = r.gc.map((l) => Number(/MB, ([\d.]+) \//.exec(l)?.[1])).filter(Number.isFinite).sort((x, y) => x - y);
        const p = (q: number) => (pauses.length ? pauses[Math.min(pauses.length - 1, Math.floor(q * pauses.length))]!.toFixed(2) : '-');
        console.log(`  ${r.name} scavenges ${pauses.length}: pause p50 ${p(0.5)} ms, p90 ${p(0.9)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms`);
      }
    }
  } finally {
    for (const r of running) await r.stop();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
