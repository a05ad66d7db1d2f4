import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createStore } from '../../../sandbox/cluster/persistence/open-store.ts';
import { startControllers, type ControllerManager } from '../../../sandbox/cluster/controllers/index.ts';
import { asApplied, needsSeed, seedStatusQuo } from '../../../sandbox/cluster/status-quo/index.ts';
import type { ConfigMap, Endpoints, NodeSpec, NodeStatus, PodSpec, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { DeploymentSpec } from 'kubernetes-types/apps/v1.js';
import type { LeaseSpec } from 'kubernetes-types/coordination/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Obj } from '../../../sandbox/cluster/resources/define.ts';
import { FakeRuntime } from './fake-runtime.ts';
import { status } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

describe('the Status Quo seed', () => {
  let store: Awaited<ReturnType<typeof createStore>>;
  let controllers: ControllerManager;
  before(async () => {
    store = await createStore({});
    assert.equal(needsSeed(store), true);
    seedStatusQuo(store);
    controllers = startControllers(store, new FakeRuntime(), { kubelet: { readinessPollMs: 20 } });
  });
  after(async () => {
    await controllers.stop();
    await store.close();
  });

  test('3 tainted masters and 5 nodes named like the chapter\'s, each with its own /24', () => {
    assert.equal(needsSeed(store), false);
    const nodes = store.list('nodes').items;
    assert.equal(nodes.length, 8);
    const masters = nodes.filter((n) => n.metadata.labels!['kubernetes.io/role'] === 'master');
    assert.equal(masters.length, 3);
    for (const m of masters) assert.deepEqual((m.spec as NodeSpec).taints, [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }]);
    for (const n of nodes) assert.match(n.metadata.name!, /^ip-172-20-\d{1,3}-\d{1,3}\.eu-central-1\.compute\.internal$/);
    const cidrs = nodes.map((n) => (n.spec as NodeSpec).podCIDR ?? '');
    assert.equal(new Set(cidrs).size, 8);
    for (const c of cidrs) assert.match(c, /^100\.(9[6-9]|1[01]\d|12[0-7])\.\d+\.0\/24$/);
  });

  test('kubernetes at 100.64.0.1, its endpoints the masters', () => {
    const k = store.get('services', 'default', 'kubernetes')!;
    assert.equal((k.spec as ServiceSpec).clusterIP, '100.64.0.1');
    const masters = store.list('nodes').items.filter((n) => n.metadata.labels!['kubernetes.io/role'] === 'master').map((n) => (n.status as NodeStatus).addresses![0].address).sort();
    assert.deepEqual((store.get('endpoints', 'default', 'kubernetes') as Obj<Endpoints>).subsets![0].addresses!.map((a) => a.ip).sort(), masters);
    assert.equal((store.get('endpointslices.discovery.k8s.io', 'default', 'kubernetes') as Obj<EndpointSlice>).endpoints.length, 3);
  });

  test('kube-dns is at 100.64.0.10 with the kops labels and a last-applied annotation kubectl apply can merge against', () => {
    const s = store.get('services', 'kube-system', 'kube-dns')!;
    assert.equal((s.spec as ServiceSpec).clusterIP, '100.64.0.10');
    assert.deepEqual(s.metadata.labels, {
      'k8s-addon': 'kube-dns.addons.k8s.io', 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'KubeDNS',
    });
    assert.deepEqual((s.spec as ServiceSpec).ports!.map((p) => `${p.name} ${p.port}/${p.protocol}`), ['dns 53/UDP', 'dns-tcp 53/TCP']);
    const applied = s.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration']!;
    assert.ok(applied.endsWith('}\n'));
    assert.ok(applied.startsWith('{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"labels":{"k8s-addon":'), applied.slice(0, 120));
    const parsed = JSON.parse(applied);
    assert.deepEqual(parsed.metadata.labels, s.metadata.labels);
    assert.equal(parsed.spec.clusterIP, '100.64.0.10');
  });

  test('asApplied records the manifest without its own annotation', () => {
    const out = asApplied({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { a: 'b' } } });
    assert.equal(out.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'], '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"annotations":{"a":"b"},"name":"x"}}\n');
  });

  test('the kube-system Deployments come up: kube-dns 2/2 on two workers, the autoscaler, dns-controller on a master', async () => {
    await waitFor(() => store.list('deployments.apps', { namespace: 'kube-system' }).items.every((d) => status(d).availableReplicas === (d.spec as DeploymentSpec).replicas), { what: 'all available' });
    const names = store.list('deployments.apps', { namespace: 'kube-system' }).items.map((d) => d.metadata.name);
    assert.deepEqual(names, ['dns-controller', 'kube-dns', 'kube-dns-autoscaler']);
    const dnsPods = store.list('pods', { namespace: 'kube-system', labelSelector: 'k8s-app=kube-dns' }).items;
    assert.equal(dnsPods.length, 2);
    for (const p of dnsPods) assert.match(p.metadata.name!, /^kube-dns-\d+-[a-z0-9]{5}$/);
    const nodes = dnsPods.map((p) => store.get('nodes', undefined, (p.spec as PodSpec).nodeName!)!);
    assert.equal(new Set(nodes.map((n) => n.metadata.name)).size, 2, 'spread over two nodes');
    for (const n of nodes) assert.equal(n.metadata.labels!['kubernetes.io/role'], 'node');
    const dc = store.list('pods', { namespace: 'kube-system', labelSelector: 'k8s-app=dns-controller' }).items[0]!;
    assert.equal(store.get('nodes', undefined, (dc.spec as PodSpec).nodeName!)!.metadata.labels!['kubernetes.io/role'], 'master');
    const ep = await waitFor(() => (store.get('endpoints', 'kube-system', 'kube-dns') as Obj<Endpoints> | undefined)?.subsets?.[0]?.addresses?.length === 2 && store.get('endpoints', 'kube-system', 'kube-dns'), { what: 'kube-dns endpoints' });
    assert.deepEqual((ep as Obj<Endpoints>).subsets![0].addresses!.map((a) => a.ip).sort(), dnsPods.map((p) => status(p).podIP).sort());
  });

  test('every node has a Lease in kube-node-lease, and stable machine ids', () => {
    const nodes = store.list('nodes').items;
    const leases = store.list('leases.coordination.k8s.io', { namespace: 'kube-node-lease' }).items;
    assert.deepEqual(leases.map((l) => l.metadata.name).sort(), nodes.map((n) => n.metadata.name).sort());
    for (const l of leases) assert.equal((l.spec as LeaseSpec).holderIdentity, l.metadata.name);
    const ids = nodes.map((n) => (n.status as NodeStatus).nodeInfo!.machineID);
    assert.equal(new Set(ids).size, 8);
    for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
  });

  test('service accounts and the autoscaler ConfigMap exist', () => {
    for (const sa of ['default', 'kube-dns', 'kube-proxy', 'kube-dns-autoscaler', 'dns-controller']) assert.ok(store.get('serviceaccounts', 'kube-system', sa), sa);
    assert.ok(store.get('serviceaccounts', 'default', 'default'));
    assert.deepEqual(JSON.parse((store.get('configmaps', 'kube-system', 'kube-dns-autoscaler') as Obj<ConfigMap>).data!.linear), { coresPerReplica: 256, nodesPerReplica: 16, preventSinglePointFailure: true });
  });
});
