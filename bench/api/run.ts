// bench/api: the embedded API server against a floor (a bare node:http server answering with
// the same bytes and doing no work), measured in the same run, alternating request by request,
// and printed as ratios:
//   - `kubectl get pods -n kube-system`, end to end (process start to exit, warm discovery cache)
//   - a raw LIST of those pods (JSON, and the Table kubectl asks for) with a keep-alive Node client
//   - a watch round trip: POST a ConfigMap, time until its ADDED event arrives on an open watch
//   - the API server process's RSS with 1,000 and 10,000 extra pods, against none
// Usage: node --import tsx bench/api/run.ts [--quick]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get, keepAliveAgent, kubectlFor, openWatch } from './clients.ts';
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

async function latency(): Promise<void> {
  const api = await startApiChild(0);
  const apiUrl = `http://127.0.0.1:${api.info.port}`;
  const floor = await startFloorChild(apiUrl);
  const floorUrl = `http://127.0.0.1:${floor.info.port}`;
  try {
    console.log(`${''.padEnd(40)} ${'embedded (ms)'.padStart(15)}   ${'floor (ms)'.padStart(15)}   ${'embedded/floor'.padStart(15)}`);
    console.log(`${''.padEnd(40)} ${'p50'.padStart(7)} ${'p99'.padStart(7)}   ${'p50'.padStart(7)} ${'p99'.padStart(7)}   ${'p50'.padStart(7)} ${'p99'.padStart(7)}`);

    const kubectlApi = kubectlFor(join(tmp, 'kubectl-api'), apiUrl);
    const kubectlFloor = kubectlFor(join(tmp, 'kubectl-floor'), floorUrl);
    const args = ['get', 'pods', '-n', 'kube-system'];
    const [kApi, kFloor] = await samplePair(N.kubectl, 3, () => kubectlApi(args), () => kubectlFloor(args));
    print({ name: 'kubectl get pods -n kube-system', api: summarize(kApi), floor: summarize(kFloor) });

    for (const [name, accept] of [['LIST kube-system pods (JSON)', 'application/json'], ['LIST kube-system pods (Table)', TABLE]] as const) {
      const agentA = keepAliveAgent(), agentF = keepAliveAgent();
      const [a, f] = await samplePair(N.list, 100, () => get(agentA, apiUrl + PODS, accept), () => get(agentF, floorUrl + PODS, accept));
      agentA.destroy(); agentF.destroy();
      print({ name, api: summarize(a), floor: summarize(f) });
    }

    const collection = '/api/v1/namespaces/bench/configmaps';
    const agentA = keepAliveAgent(), agentF = keepAliveAgent();
    const wA = await openWatch(apiUrl, collection, agentA);
    const wF = await openWatch(floorUrl, collection, agentF);
    const name = (i: number) => `rt-${i < 0 ? `w${-i}` : i}`;
    const [a, f] = await samplePair(N.watch, 30, (i) => wA.create(name(i)), (i) => wF.create(name(i)));
    wA.close(); wF.close(); agentA.destroy(); agentF.destroy();
    print({ name: 'WATCH round trip (POST -> ADDED event)', api: summarize(a), floor: summarize(f) });
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
