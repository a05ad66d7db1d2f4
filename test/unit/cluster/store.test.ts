// Store behaviour beyond CRUD: resumable watches, graceful pod deletion, finalizers,
// deletion bookkeeping (propagation finalizers, Terminating namespaces), no-op writes, dry runs.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../sandbox/cluster/store.ts';
import { StatusError } from '../../../sandbox/cluster/errors.ts';
import type { ConfigMap, Namespace, Pod } from 'kubernetes-types/core/v1.js';
import type { Obj } from '../../../sandbox/cluster/resources/define.ts';
import type { KubeObject, WatchEvent } from '../../../sandbox/cluster/contracts.ts';

const stores: MemoryStore[] = [];
after(() => stores.forEach((s) => s.close()));

function store(historySize?: number): MemoryStore {
  const s = new MemoryStore({ historySize });
  stores.push(s);
  for (const name of ['default', 'lab']) s.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return s;
}
const cm = (name: string, ns = 'default', extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, ...extra } });
const pod = (name: string, nodeName?: string, owner?: KubeObject): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: 'default', ...(owner ? { ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true }] } : {}) },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName ? { nodeName } : {}) },
});
const rs = (name: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default' },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
});

describe('resourceVersions and watches', () => {
  test('a watch from a resourceVersion replays what came after it', () => {
    const s = store();
    s.create('configmaps', cm('a'));
    const rv = s.currentResourceVersion();
    s.create('configmaps', cm('b'));
    s.delete('configmaps', 'default', 'a');
    const seen: string[] = [];
    const stop = s.watchFrom('configmaps', { namespace: 'default' }, rv, (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    s.create('configmaps', cm('c'));
    stop();
    assert.deepEqual(seen, ['ADDED b', 'DELETED a', 'ADDED c']);
  });

  test('a resourceVersion older than the history is 410 Expired "too old resource version"', () => {
    const s = store(3);
    for (let i = 0; i < 10; i++) s.create('configmaps', cm(`c${i}`));
    assert.throws(() => s.watchFrom('configmaps', {}, '1', () => {}), (e: unknown) => e instanceof StatusError && e.status.code === 410 && /too old resource version: 1/.test(e.status.message ?? ''));
  });

  test('an object leaving a selector is DELETED for that watch, entering it ADDED', () => {
    const s = store();
    const seen: string[] = [];
    s.watch('configmaps', { labelSelector: 'app=x' }, (e) => seen.push(e.type));
    const o = s.create('configmaps', cm('a', 'default', { labels: { app: 'y' } }));
    const entered = s.update('configmaps', { ...o, metadata: { ...o.metadata, labels: { app: 'x' } } });
    s.update('configmaps', { ...entered, metadata: { ...entered.metadata, labels: { app: 'z' } } });
    assert.deepEqual(seen, ['ADDED', 'DELETED']);
  });

  test('an update that changes nothing keeps the resourceVersion and sends no event', () => {
    const s = store();
    const o = s.create('configmaps', cm('a'));
    const seen: WatchEvent[] = [];
    s.watch('configmaps', {}, (e) => seen.push(e));
    assert.equal(s.update('configmaps', o).metadata.resourceVersion, o.metadata.resourceVersion);
    assert.equal(seen.length, 0);
  });

  test('dry runs change nothing', () => {
    const s = store();
    s.create('configmaps', cm('a'), { dryRun: true });
    assert.equal(s.get('configmaps', 'default', 'a'), undefined);
    const o = s.create('configmaps', cm('b'));
    s.delete('configmaps', 'default', 'b', { dryRun: true });
    assert.ok(s.get('configmaps', 'default', 'b'));
    assert.equal(o.metadata.name, 'b');
  });

  test('mutate retries a read-modify-write', () => {
    const s = store();
    s.create('configmaps', cm('a'));
    const out = s.mutate('configmaps', 'default', 'a', (o) => ({ ...o, data: { n: '1' } }))!;
    assert.deepEqual((out as Obj<ConfigMap>).data, { n: '1' });
    assert.equal(s.mutate('configmaps', 'default', 'missing', (o) => o), undefined);
  });

  test('updateStatus changes only status; update keeps the stored status', () => {
    const s = store();
    const p = s.create('pods', pod('p', 'node-1')) as Obj<Pod>;
    const st = s.updateStatus('pods', { ...p, spec: { ...p.spec!, containers: [] }, status: { phase: 'Running' } }) as Obj<Pod>;
    assert.equal(st.status?.phase, 'Running');
    assert.equal(st.spec?.containers.length, 1);
    const up = s.update('pods', { ...st, status: { phase: 'Failed' }, metadata: { ...st.metadata, labels: { a: 'b' } } }) as Obj<Pod>;
    assert.equal(up.status?.phase, 'Running');
  });
});

describe('deletion', () => {
  test('a scheduled pod is deleted gracefully and removed by finalizeDelete', () => {
    const s = store();
    s.create('pods', pod('p', 'node-1'));
    const seen: string[] = [];
    s.watch('pods', {}, (e) => seen.push(e.type));
    const d = s.delete('pods', 'default', 'p')!;
    assert.ok(d.metadata.deletionTimestamp);
    assert.equal(d.metadata.deletionGracePeriodSeconds, 30);
    assert.ok(s.get('pods', 'default', 'p'));
    s.finalizeDelete('pods', 'default', 'p');
    assert.equal(s.get('pods', 'default', 'p'), undefined);
    assert.deepEqual(seen, ['MODIFIED', 'DELETED']);
  });

  test('gracePeriodSeconds=0 and unscheduled pods go at once', () => {
    const s = store();
    s.create('pods', pod('a', 'node-1'));
    s.create('pods', pod('b'));
    s.delete('pods', 'default', 'a', { gracePeriodSeconds: 0 });
    s.delete('pods', 'default', 'b');
    assert.equal(s.list('pods').items.length, 0);
  });

  test('finalizers hold an object until the last one is removed', () => {
    const s = store();
    s.create('configmaps', cm('a', 'default', { finalizers: ['lab/hold'] }));
    const held = s.delete('configmaps', 'default', 'a')!;
    assert.ok(held.metadata.deletionTimestamp);
    assert.ok(s.get('configmaps', 'default', 'a'));
    const cur = s.get('configmaps', 'default', 'a')!;
    s.update('configmaps', { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
    assert.equal(s.get('configmaps', 'default', 'a'), undefined);
  });

  // the store's part of a cascade: it records the policy as a finalizer; the garbage collector
  // (test/unit/controllers/deletion.test.ts) does the rest
  const policyRows: Array<{ policy: 'Background' | 'Orphan' | 'Foreground'; finalizers?: string[] }> = [
    { policy: 'Background' },
    { policy: 'Orphan', finalizers: ['orphan'] },
    { policy: 'Foreground', finalizers: ['foregroundDeletion'] },
  ];
  for (const r of policyRows)
    test(`propagationPolicy ${r.policy}: the owner is ${r.finalizers ? `held by ${r.finalizers[0]}` : 'gone'}, dependents untouched`, () => {
      const s = store();
      const owner = s.create('replicasets.apps', rs('web'));
      s.create('pods', pod('web-1', undefined, owner));
      s.delete('replicasets.apps', 'default', 'web', { propagationPolicy: r.policy });
      assert.deepEqual(s.get('replicasets.apps', 'default', 'web')?.metadata.finalizers, r.finalizers);
      assert.equal(s.list('pods').items[0]?.metadata.ownerReferences?.[0]?.uid, owner.metadata.uid);
    });

  test('a namespace is Terminating until its spec.finalizers are removed through finalize', () => {
    const s = store();
    s.create('pods', { ...pod('p', 'node-1'), metadata: { name: 'p', namespace: 'lab' } });
    s.delete('namespaces', undefined, 'lab');
    assert.equal((s.get('namespaces', undefined, 'lab') as Namespace).status?.phase, 'Terminating');
    assert.throws(() => s.create('configmaps', cm('x', 'lab')), (e: unknown) => e instanceof StatusError && e.status.reason === 'Forbidden');
    // a plain update leaves spec.finalizers as they are
    s.mutate('namespaces', undefined, 'lab', (o) => ({ ...o, spec: { finalizers: [] } }));
    assert.ok(s.get('namespaces', undefined, 'lab'));
    s.mutate('namespaces', undefined, 'lab', (o) => ({ ...o, spec: { finalizers: [] } }), { subresource: 'finalize' });
    assert.equal(s.get('namespaces', undefined, 'lab'), undefined);
  });
});
