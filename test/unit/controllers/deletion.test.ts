// The deletion controllers (garbage collector, namespace controller) on a bare store: the store
// only records a deletion, these finish it as kube-controller-manager does.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { MemoryStore } from '../../../sandbox/cluster/store.ts';
import { StatusError } from '../../../sandbox/cluster/errors.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';
import { startDeletionControllers } from '../../../sandbox/cluster/controllers/deletion.ts';
import type { Controller } from '../../../sandbox/cluster/controllers/types.ts';

const running: Array<{ store: MemoryStore; deletion: Controller }> = [];
after(async () => {
  for (const r of running) {
    await r.deletion.stop();
    r.store.close();
  }
});

function start(): { s: MemoryStore; idle: () => Promise<void> } {
  const s = new MemoryStore();
  for (const name of ['default', 'lab']) s.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const deletion = startDeletionControllers(s);
  running.push({ store: s, deletion });
  return { s, idle: () => deletion.idle() };
}

const ownerRef = (owner: KubeObject) => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.metadata.name!,
  uid: owner.metadata.uid!,
  controller: true,
  blockOwnerDeletion: true,
});
const pod = (name: string, opts: { nodeName?: string; owners?: KubeObject[]; namespace?: string } = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: opts.namespace ?? 'default', ...(opts.owners ? { ownerReferences: opts.owners.map(ownerRef) } : {}) },
  spec: { containers: [{ name: 'c', image: 'busybox' }], ...(opts.nodeName ? { nodeName: opts.nodeName } : {}) },
});
const rs = (name: string): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default' },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
});
const cm = (name: string, namespace: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } });

describe('garbage collector', () => {
  const rows: Array<{ policy: 'Background' | 'Orphan' | 'Foreground'; podsLeft: number }> = [
    { policy: 'Background', podsLeft: 0 },
    { policy: 'Orphan', podsLeft: 2 },
    { policy: 'Foreground', podsLeft: 0 },
  ];
  for (const r of rows)
    test(`propagationPolicy ${r.policy}: ${r.podsLeft} pods left, none still owned, the owner gone`, async () => {
      const { s, idle } = start();
      const owner = s.create('replicasets.apps', rs('web'));
      s.create('pods', pod('web-1', { owners: [owner] }));
      s.create('pods', pod('web-2', { owners: [owner] }));
      s.delete('replicasets.apps', 'default', 'web', { propagationPolicy: r.policy });
      await idle();
      const pods = s.list('pods').items;
      assert.equal(pods.length, r.podsLeft);
      assert.equal(pods.filter((p) => p.metadata.ownerReferences?.length).length, 0);
      assert.equal(s.get('replicasets.apps', 'default', 'web'), undefined);
    });

  test('Foreground keeps the owner until its dependents end their graceful termination', async () => {
    const { s, idle } = start();
    const owner = s.create('replicasets.apps', rs('web'));
    s.create('pods', pod('web-1', { nodeName: 'node-1', owners: [owner] }));
    const d = s.delete('replicasets.apps', 'default', 'web', { propagationPolicy: 'Foreground' })!;
    assert.deepEqual(d.metadata.finalizers, ['foregroundDeletion']);
    await idle();
    assert.ok(s.get('pods', 'default', 'web-1')?.metadata.deletionTimestamp, 'the dependent is being deleted');
    assert.ok(s.get('replicasets.apps', 'default', 'web'), 'the owner waits');
    s.finalizeDelete('pods', 'default', 'web-1');
    await idle();
    assert.equal(s.get('replicasets.apps', 'default', 'web'), undefined);
  });

  test('a dependent with another owner left loses only the reference to the deleted one', async () => {
    const { s, idle } = start();
    const a = s.create('replicasets.apps', rs('a'));
    const b = s.create('replicasets.apps', rs('b'));
    s.create('pods', pod('shared', { owners: [a, b] }));
    s.delete('replicasets.apps', 'default', 'a');
    await idle();
    assert.deepEqual(s.get('pods', 'default', 'shared')?.metadata.ownerReferences?.map((r) => r.name), ['b']);
  });

  test('an object created with an owner that does not exist is collected', async () => {
    const { s, idle } = start();
    const gone = s.create('replicasets.apps', rs('gone'));
    s.delete('replicasets.apps', 'default', 'gone');
    s.create('pods', pod('stray', { owners: [gone] }));
    await idle();
    assert.equal(s.get('pods', 'default', 'stray'), undefined);
  });
});

describe('namespace controller', () => {
  test('deleting a namespace deletes what is in it, then the namespace', async () => {
    const { s, idle } = start();
    s.create('configmaps', cm('a', 'lab'));
    s.create('configmaps', cm('b', 'default'));
    s.delete('namespaces', undefined, 'lab');
    await idle();
    assert.equal(s.get('namespaces', undefined, 'lab'), undefined);
    assert.deepEqual(s.list('configmaps').items.map((o) => o.metadata.name), ['b']);
  });

  test('a namespace with a terminating pod stays Terminating and refuses new content until the pod is gone', async () => {
    const { s, idle } = start();
    s.create('pods', pod('p', { nodeName: 'node-1', namespace: 'lab' }));
    s.delete('namespaces', undefined, 'lab');
    await idle();
    assert.equal((s.get('namespaces', undefined, 'lab') as Namespace | undefined)?.status?.phase, 'Terminating');
    assert.throws(() => s.create('configmaps', cm('x', 'lab')), (e: unknown) => e instanceof StatusError && e.status.reason === 'Forbidden');
    s.finalizeDelete('pods', 'lab', 'p');
    await idle();
    assert.equal(s.get('namespaces', undefined, 'lab'), undefined);
  });
});
