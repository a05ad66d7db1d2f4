import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from '../../../sandbox/cluster/patch/json-patch.ts';
import { applyMergePatch } from '../../../sandbox/cluster/patch/merge-patch.ts';
import { applyStrategicMergePatch } from '../../../sandbox/cluster/patch/strategic-merge.ts';
import { serverSideApply } from '../../../sandbox/cluster/patch/apply.ts';
import { StatusError } from '../../../sandbox/cluster/errors.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';
import type { PodSpec, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import type { Obj } from '../../../sandbox/cluster/resources/define.ts';

/** managedFields' fieldsV1: "f:spec" → "f:replicas" → {} */
type FieldsTree = { [seg: string]: FieldsTree | undefined };

const podSpec = () => ({
  containers: [
    { name: 'a', image: 'a:1', env: [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }], ports: [{ containerPort: 53, protocol: 'UDP' }] },
    { name: 'b', image: 'b:1' },
  ],
  volumes: [{ name: 'v1', emptyDir: {} }],
});

describe('strategic merge patch', () => {
  const rows: Array<{ name: string; patch: Record<string, unknown>; check: (o: PodSpec) => void }> = [
    { name: 'merges containers by name', patch: { containers: [{ name: 'a', image: 'a:2' }] }, check: (o) => assert.deepEqual(o.containers.map((c) => `${c.name}=${c.image}`), ['a=a:2', 'b=b:1']) },
    { name: 'keeps untouched fields of a merged item', patch: { containers: [{ name: 'a', image: 'a:2' }] }, check: (o) => assert.equal(o.containers[0].env!.length, 2) },
    { name: 'merges env by name', patch: { containers: [{ name: 'a', env: [{ name: 'Y', value: '9' }, { name: 'Z', value: '3' }] }] }, check: (o) => assert.deepEqual(o.containers[0].env!.map((e) => `${e.name}=${e.value}`), ['X=1', 'Y=9', 'Z=3']) },
    { name: 'merges ports by containerPort', patch: { containers: [{ name: 'a', ports: [{ containerPort: 53, name: 'dns' }] }] }, check: (o) => assert.deepEqual(o.containers[0].ports, [{ containerPort: 53, protocol: 'UDP', name: 'dns' }]) },
    { name: 'appends a new container', patch: { containers: [{ name: 'c', image: 'c:1' }] }, check: (o) => assert.deepEqual(o.containers.map((c) => c.name), ['a', 'b', 'c']) },
    { name: '$patch: delete removes an item', patch: { containers: [{ name: 'b', $patch: 'delete' }] }, check: (o) => assert.deepEqual(o.containers.map((c) => c.name), ['a']) },
    { name: '$patch: replace on a list replaces it', patch: { volumes: [{ name: 'v2', emptyDir: {} }, { $patch: 'replace' }] }, check: (o) => assert.deepEqual(o.volumes, [{ name: 'v2', emptyDir: {} }]) },
    { name: '$setElementOrder orders the merged list', patch: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'a', image: 'a:3' }] }, check: (o) => assert.deepEqual(o.containers.map((c) => c.name), ['b', 'a']) },
    { name: 'null deletes a key', patch: { volumes: null }, check: (o) => assert.equal('volumes' in o, false) },
    { name: '$retainKeys drops other keys', patch: { $retainKeys: ['containers'], containers: [] }, check: (o) => assert.deepEqual(Object.keys(o), ['containers']) },
    { name: '$patch: replace on a map replaces it', patch: { volumes: [{ name: 'v1', emptyDir: { $patch: 'replace', medium: 'Memory' } }] }, check: (o) => assert.deepEqual(o.volumes![0].emptyDir, { medium: 'Memory' }) },
  ];
  for (const r of rows) test(r.name, () => r.check(applyStrategicMergePatch(podSpec(), r.patch) as PodSpec));

  test('$deleteFromPrimitiveList removes values; finalizers merge as a set', () => {
    const o = applyStrategicMergePatch({ finalizers: ['a', 'b'], args: ['x'] }, { finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'], args: ['y'] }) as { finalizers: string[]; args: string[] };
    assert.deepEqual(o.finalizers, ['b', 'c']);
    assert.deepEqual(o.args, ['y']);
  });

  test('service ports merge by port', () => {
    const o = applyStrategicMergePatch({ ports: [{ port: 53, name: 'dns' }, { port: 9153, name: 'metrics' }] }, { ports: [{ port: 53, targetPort: 5353 }] }) as ServiceSpec;
    assert.deepEqual(o.ports, [{ port: 53, name: 'dns', targetPort: 5353 }, { port: 9153, name: 'metrics' }]);
  });
});

describe('JSON merge patch (RFC 7386)', () => {
  const rows: Array<[string, unknown, unknown, unknown]> = [
    ['sets a field', { a: 1 }, { b: 2 }, { a: 1, b: 2 }],
    ['null removes', { a: 1, b: 2 }, { a: null }, { b: 2 }],
    ['arrays replace', { a: [1, 2] }, { a: [3] }, { a: [3] }],
    ['nested', { a: { b: 1, c: 2 } }, { a: { c: null, d: 4 } }, { a: { b: 1, d: 4 } }],
  ];
  for (const [name, target, patch, want] of rows) test(name, () => assert.deepEqual(applyMergePatch(target, patch), want));
});

describe('JSON patch (RFC 6902)', () => {
  const doc = () => ({ spec: { replicas: 1, list: ['a', 'b'] }, metadata: { labels: { 'app/x': '1' } } });
  const rows: Array<[string, unknown[], (o: ReturnType<typeof doc> & { spec: Record<string, unknown> }) => void]> = [
    ['replace', [{ op: 'replace', path: '/spec/replicas', value: 3 }], (o) => assert.equal(o.spec.replicas, 3)],
    ['add to the end of a list', [{ op: 'add', path: '/spec/list/-', value: 'c' }], (o) => assert.deepEqual(o.spec.list, ['a', 'b', 'c'])],
    ['remove from a list', [{ op: 'remove', path: '/spec/list/0' }], (o) => assert.deepEqual(o.spec.list, ['b'])],
    ['escaped pointer', [{ op: 'remove', path: '/metadata/labels/app~1x' }], (o) => assert.deepEqual(o.metadata.labels, {})],
    ['move', [{ op: 'move', from: '/spec/replicas', path: '/spec/count' }], (o) => assert.deepEqual(Object.keys(o.spec).sort(), ['count', 'list'])],
    ['copy and test', [{ op: 'copy', from: '/spec/replicas', path: '/spec/copy' }, { op: 'test', path: '/spec/copy', value: 1 }], (o) => assert.equal(o.spec.copy, 1)],
  ];
  for (const [name, ops, check] of rows) test(name, () => check(applyJsonPatch(doc(), ops) as ReturnType<typeof doc>));

  test('a missing path is BadRequest', () => {
    assert.throws(() => applyJsonPatch(doc(), [{ op: 'replace', path: '/spec/nope', value: 1 }]), (e: unknown) => e instanceof StatusError && e.status.reason === 'BadRequest');
  });
  test('a failed test op is Invalid', () => {
    assert.throws(() => applyJsonPatch(doc(), [{ op: 'test', path: '/spec/replicas', value: 9 }]), (e: unknown) => e instanceof StatusError && e.status.reason === 'Invalid');
  });
});

describe('server-side apply', () => {
  const deploy = (replicas: number, image = 'a:1'): KubeObject =>
    ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' }, spec: { replicas, template: { spec: { containers: [{ name: 'a', image }] } } } }) as KubeObject;

  test('first apply owns exactly the fields sent', () => {
    const { object, managedFields } = serverSideApply({ applied: deploy(2), manager: 'kubectl', force: false, apiVersion: 'apps/v1' });
    assert.equal((object as Obj<Deployment>).spec!.replicas, 2);
    assert.equal(managedFields.length, 1);
    assert.equal(managedFields[0].operation, 'Apply');
    assert.deepEqual(Object.keys((managedFields[0].fieldsV1 as FieldsTree)['f:spec']!).sort(), ['f:replicas', 'f:template']);
  });

  test('another manager changing an owned field conflicts unless forced', () => {
    const first = serverSideApply({ applied: deploy(2), manager: 'alice', force: false, apiVersion: 'apps/v1' });
    const live = { ...first.object, metadata: { ...first.object.metadata, managedFields: first.managedFields } } as KubeObject;
    assert.throws(
      () => serverSideApply({ live, applied: deploy(5), manager: 'bob', force: false, apiVersion: 'apps/v1' }),
      (e: unknown) => e instanceof StatusError && e.status.code === 409 && /conflict with "alice"/.test(e.status.message ?? '') && e.status.details?.causes?.[0].field === '.spec.replicas',
    );
    const forced = serverSideApply({ live, applied: deploy(5), manager: 'bob', force: true, apiVersion: 'apps/v1' });
    assert.equal((forced.object as Obj<Deployment>).spec!.replicas, 5);
    const alice = forced.managedFields.find((m) => m.manager === 'alice')!;
    assert.equal('f:replicas' in ((alice.fieldsV1 as FieldsTree)['f:spec'] ?? {}), false);
  });

  test('the same value is shared ownership, not a conflict', () => {
    const first = serverSideApply({ applied: deploy(2), manager: 'alice', force: false, apiVersion: 'apps/v1' });
    const live = { ...first.object, metadata: { ...first.object.metadata, managedFields: first.managedFields } } as KubeObject;
    const second = serverSideApply({ live, applied: deploy(2), manager: 'bob', force: false, apiVersion: 'apps/v1' });
    assert.equal(second.managedFields.length, 2);
  });

  test('a field dropped from the applied config is removed', () => {
    const withLabels = deploy(2);
    withLabels.metadata.labels = { a: '1', b: '2' };
    const first = serverSideApply({ applied: withLabels, manager: 'alice', force: false, apiVersion: 'apps/v1' });
    const live = { ...first.object, metadata: { ...first.object.metadata, managedFields: first.managedFields } } as KubeObject;
    const fewer = deploy(2);
    fewer.metadata.labels = { a: '1' };
    const second = serverSideApply({ live, applied: fewer, manager: 'alice', force: false, apiVersion: 'apps/v1' });
    assert.deepEqual(second.object.metadata.labels, { a: '1' });
  });
});
