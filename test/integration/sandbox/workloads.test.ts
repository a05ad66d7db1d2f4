// What kubectl's waiting commands need from the controllers: run -it --rm (phases Running then
// Succeeded), scale and rollout status/restart (Deployment status and conditions), delete
// (graceful deletion that ends), and the events describe shows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { Kubectl, Sandbox, table, tempDir } from './sandbox-process.ts';
import { waitFor } from '../../support/wait.ts';

describe('workloads through the real kubectl', () => {
  const stateDir = tempDir('workloads');
  let sb: Sandbox & { kubeconfig: string };
  let k: Kubectl;

  before(async () => {
    sb = await Sandbox.up(stateDir);
    k = new Kubectl(sb.kubeconfig);
  });
  after(async () => {
    await sb?.stop('SIGKILL');
    k?.cleanup();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('kubectl run -it --rm --restart=Never runs, prints, exits 0 and deletes the pod', async () => {
    const r = await k.tty(['run', '-it', '--rm', '--restart=Never', 'hello', '--image=busybox:1.28', '--', 'echo', 'hello from the pod'], 60_000);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout.replaceAll('\r', ''), /hello from the pod\n/);
    assert.match(r.stdout, /pod "hello" deleted/);
    const left = await k.run(['get', 'pod', 'hello']);
    assert.equal(left.code, 1);
    assert.match(left.stderr, /pods "hello" not found/);
  });

  test('a --restart=Never pod whose command fails ends Failed, one that succeeds ends Completed', async () => {
    await k.ok(['run', 'ok', '--image=busybox:1.28', '--restart=Never', '--', 'true']);
    await k.ok(['run', 'bad', '--image=busybox:1.28', '--restart=Never', '--', 'false']);
    await waitFor(async () => {
      const rows = table(await k.ok(['get', 'pods', 'ok', 'bad'])).slice(1);
      return rows.find((x) => x[0] === 'ok')?.[2] === 'Completed' && rows.find((x) => x[0] === 'bad')?.[2] === 'Error';
    }, { what: 'both finished' });
    assert.equal((await k.ok(['get', 'pod', 'bad', '-o', 'jsonpath={.status.phase}'])), 'Failed');
    assert.equal((await k.ok(['get', 'pod', 'ok', '-o', 'jsonpath={.status.phase}'])), 'Succeeded');
  });

  test('kube-dns-autoscaler undoes a manual scale of kube-dns within its 10 s poll, until it is scaled to 0 itself', async () => {
    // linear params of the chapter's ConfigMap on 8 nodes of 2 CPUs: max(ceil(16/256), ceil(8/16)) = 1,
    // and preventSinglePointFailure makes it 2 on more than one node
    const replicas = async () => k.ok(['get', 'deployment', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.spec.replicas}']);
    assert.equal(await replicas(), '2');
    await k.ok(['scale', 'deployment', 'kube-dns', '-n', 'kube-system', '--replicas=1']);
    await waitFor(async () => (await replicas()) === '2', { what: 'the autoscaler to put kube-dns back to 2', timeout: 30_000 });
    await k.ok(['patch', 'configmap', 'kube-dns-autoscaler', '-n', 'kube-system', '--type=merge',
      '-p', '{"data":{"linear":"{\\"coresPerReplica\\":256,\\"nodesPerReplica\\":2,\\"min\\":1,\\"max\\":3}"}}']);
    await waitFor(async () => (await replicas()) === '3', { what: 'ceil(8/2) = 4, held at max 3', timeout: 30_000 });
    await k.ok(['scale', 'deployment', 'kube-dns-autoscaler', '-n', 'kube-system', '--replicas=0']);
    await waitFor(async () => (await k.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns-autoscaler', '-o', 'name'])).trim() === '',
      { what: 'the autoscaler pod gone', timeout: 30_000 });
  });

  test('kubectl scale, then rollout status reports success', async () => {
    assert.equal((await k.ok(['scale', 'deployment', 'kube-dns', '-n', 'kube-system', '--replicas=3'])).trim(), 'deployment.apps/kube-dns scaled');
    const out = await k.ok(['rollout', 'status', 'deployment/kube-dns', '-n', 'kube-system', '--timeout=40s'], 45_000);
    assert.match(out, /deployment "kube-dns" successfully rolled out/);
    const rows = table(await k.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns'])).slice(1);
    assert.equal(rows.length, 3);
    const nodes = table(await k.ok(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'wide'])).slice(1).map((r) => r[6]);
    assert.equal(new Set(nodes).size, 3, 'spread over three nodes');
  });

  test('kubectl rollout restart rolls to a new ReplicaSet and rollout status waits for it', async () => {
    const before = table(await k.ok(['get', 'rs', '-n', 'kube-system', '-l', 'k8s-app=kube-dns'])).slice(1).map((r) => r[0]);
    assert.match((await k.ok(['rollout', 'restart', 'deployment/kube-dns', '-n', 'kube-system'])).trim(), /^deployment\.apps\/kube-dns restarted$/);
    const out = await k.ok(['rollout', 'status', 'deployment/kube-dns', '-n', 'kube-system', '--timeout=40s'], 45_000);
    assert.match(out, /deployment "kube-dns" successfully rolled out/);
    const rs = table(await k.ok(['get', 'rs', '-n', 'kube-system', '-l', 'k8s-app=kube-dns'])).slice(1);
    const fresh = rs.filter((r) => !before.includes(r[0]));
    assert.equal(fresh.length, 1);
    assert.deepEqual(fresh[0]!.slice(1, 4), ['3', '3', '3']);
    for (const old of rs.filter((r) => before.includes(r[0]))) assert.deepEqual(old.slice(1, 3), ['0', '0']);
    const history = await k.ok(['rollout', 'history', 'deployment/kube-dns', '-n', 'kube-system']);
    assert.match(history, /\n1\s+<none>\n2\s+<none>\n/);
  });

  test('describe pod shows the scheduler and kubelet events; delete pod waits for it to go', async () => {
    await k.ok(['run', 'sleeper', '--image=busybox:1.28', '--', 'sleep', '3600']);
    await waitFor(async () => table(await k.ok(['get', 'pod', 'sleeper']))[1]?.[2] === 'Running', { what: 'running' });
    const d = await k.ok(['describe', 'pod', 'sleeper']);
    for (const re of [/Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/sleeper to ip-172-20-/, /Normal\s+Pulled\s+.*kubelet\s+(Container image "busybox:1\.28" already present on machine|Successfully pulled image "busybox:1\.28" in \S+ \(\S+ including waiting\)\. Image size: \d+ bytes\.)/, /Normal\s+Created\s+.*kubelet\s+Created container: sleeper/, /Normal\s+Started\s+.*kubelet\s+Started container sleeper/])
      assert.match(d, re);
    assert.match(d, /IP:\s+100\.(9[6-9]|1[01]\d|12[0-7])\.\d+\.\d+\n/);
    // busybox's sleep as PID 1 ignores SIGTERM, as on a real node: a short grace keeps the test quick
    const r = await k.run(['delete', 'pod', 'sleeper', '--grace-period=2'], 45_000);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'pod "sleeper" deleted');
    assert.equal((await k.run(['get', 'pod', 'sleeper'])).code, 1);
  });
});
