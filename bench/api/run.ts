// bench/api: the embedded API server against a floor (a bare node:http server answering with
// the same bytes and doing no work), measured in the same run, alternating request by request,
// and printed as ratios:
//   - `kubectl get pods -n kube-system`, end to end (process start to exit, warm discovery cache)
//   - a raw LIST of those pods (JSON, and the Table kubectl asks for) with a keep-alive Node client
//   - a watch round trip: POST a ConfigMap, time until its ADDED event arrives on an open watch
//   - the API server process's RSS with 1,000 and 10,000 extra pods, against none
// The embedded API is measured as the sandbox serves it (HTTPS, bearer token). The cost of TLS
// is printed beside: the same requests against the same API process over plain HTTP.
// Usage: node --import tsx bench/api/run.ts [--quick]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, keepAliveClient, kubectlFor, openWatch, type Target } from './clients.ts';
import { samplePair, summarize, type Summary } from './stats.ts';
import { startApiChild, startFloorChild } from './targets.ts';

const quick = process.argv.includes('--quick');
const N = { kubectl: quick ? 10 : 30, list: quick ? 200 : 1000, watch: quick ? 50 : 300 };
const PODS = '/api/v1/namespaces/kube-system/pods';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const tmp = mkdtempSync(join(tmpdir(), 'bench-api-run-'));

interface Row { name: string; api: Summary; floor: Summary }

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1)).padStart(7);
function print(r: Row): void {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`.padStart(7);
  console.log(`${r.name.padEnd(40)} ${fmt(r.api.p50)} ${fmt(r.api.p99)}   ${fmt(r.floor.p50)} ${fmt(r.floor.p99)}   ${ratio(r.api.p50, r.floor.p50)} ${ratio(r.api.p99, r.floor.p99)}`);
}

/** the three request mixes, each timed on two targets alternately */
async function compare(a: Target, b: Target, tag: string): Promise<Row[]> {
  const rows: Row[] = [];
  const kubectlA = kubectlFor(join(tmp, `kubectl-${tag}-a`), a);
  const kubectlB = kubectlFor(join(tmp, `kubectl-${tag}-b`), b);
  const args = ['get', 'pods', '-n', 'kube-system'];
  const [kA, kB] = await samplePair(N.kubectl, 3, () => kubectlA(args), () => kubectlB(args));
  rows.push({ name: 'kubectl get pods -n kube-system', api: summarize(kA), floor: summarize(kB) });

  for (const [name, accept] of [['LIST kube-system pods (JSON)', 'application/json'], ['LIST kube-system pods (Table)', TABLE]] as const) {
    const cA = keepAliveClient(a), cB = keepAliveClient(b);
    const [ta, tb] = await samplePair(N.list, 100, () => get(cA, PODS, accept), () => get(cB, PODS, accept));
    cA.agent.destroy(); cB.agent.destroy();
    rows.push({ name, api: summarize(ta), floor: summarize(tb) });
  }

  const collection = '/api/v1/namespaces/bench/configmaps';
  const cA = keepAliveClient(a), cB = keepAliveClient(b);
  const wA = await openWatch(cA, collection);
  const wB = await openWatch(cB, collection);
  const name = (side: string) => (i: number) => `rt-${tag}-${side}-${i < 0 ? `w${-i}` : i}`;
  const [ta, tb] = await samplePair(N.watch, 30, (i) => wA.create(name('a')(i)), (i) => wB.create(name('b')(i)));
  wA.close(); wB.close(); cA.agent.destroy(); cB.agent.destroy();
  rows.push({ name: 'WATCH round trip (POST -> ADDED event)', api: summarize(ta), floor: summarize(tb) });
  return rows;
}

function header(a: string, b: string): void {
  console.log(`${''.padEnd(40)} ${`${a} (ms)`.padStart(15)}   ${`${b} (ms)`.padStart(15)}   ${`${a}/${b}`.padStart(15)}`);
  console.log(`${''.padEnd(40)} ${'p50'.padStart(7)} ${'p99'.padStart(7)}   ${'p50'.padStart(7)} ${'p99'.padStart(7)}   ${'p50'.padStart(7)} ${'p99'.padStart(7)}`);
}

async function latency(): Promise<void> {
  const api = await startApiChild(0);
  const secure: Target = { url: `https://127.0.0.1:${api.info.port}`, ca: api.info.ca, token: api.info.token };
  const plain: Target = { url: `http://127.0.0.1:${api.info.plainPort}` };
  const floor = await startFloorChild(plain.url);
  try {
    console.log('embedded = the API as the sandbox serves it (HTTPS + bearer token); floor = a bare node:http server replaying its bytes');
    header('embedded', 'floor');
    for (const r of await compare(secure, { url: `http://127.0.0.1:${floor.info.port}` }, 'floor')) print(r);
    console.log('\nthe cost of TLS: the same API process over HTTPS + token against plain HTTP without authentication');
    header('https', 'http');
    for (const r of await compare(secure, plain, 'tls')) print(r);
  } finally {
    await floor.stop();
    await api.stop();
  }
}

async function memory(): Promise<void> {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const base = await startApiChild(0);
  await base.stop();
  // a node + tsx process with no cluster code: what any server of ours costs before its data
  const bare = await startFloorChild('http://127.0.0.1:9');
  await bare.stop();
  console.log(`\nAPI server process RSS after a full GC (reference: Status Quo + 4 kube-system pods)`);
  console.log(`  bare node+tsx server ${mb(bare.info.rss).padStart(10)}   heap ${mb(bare.info.heapUsed)}`);
  console.log(`  reference            ${mb(base.info.rss).padStart(10)}   heap ${mb(base.info.heapUsed)}   external ${mb(base.info.external)}   ${(base.info.rss / bare.info.rss).toFixed(2)}x bare`);
  for (const n of quick ? [1000] : [1000, 10000]) {
    const c = await startApiChild(n);
    await c.stop();
    const perPod = (c.info.rss - base.info.rss) / n / 1024;
    console.log(`  + ${String(n).padStart(6)} pods        ${mb(c.info.rss).padStart(10)}   heap ${mb(c.info.heapUsed)}   external ${mb(c.info.external)}   ${(c.info.rss / base.info.rss).toFixed(2)}x reference, ${perPod.toFixed(1)} KB/pod`);
  }
}

try {
  console.log(`bench/api  node ${process.version}  kubectl ${'/usr/bin/kubectl'}  ${quick ? '(quick)' : ''}\n`);
  await latency();
  await memory();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
