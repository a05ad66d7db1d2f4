// One table over every declared resource: the same CRUD, watch and error behaviour for all.
import type { SelfSubjectAccessReview } from 'kubernetes-types/authorization/v1.js';
import type { Obj } from '../../../sandbox/cluster/resources/define.ts';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore } from '../../../sandbox/cluster/store.ts';
import { RESOURCES, resourceName } from '../../../sandbox/cluster/resources/index.ts';
import { StatusError } from '../../../sandbox/cluster/errors.ts';
import type { WatchEvent } from '../../../sandbox/cluster/contracts.ts';
import { SAMPLES } from './samples.ts';

/** the kube-controller-manager's storage protection finalizers hold these (kubernetes.io/pv(c)-protection) */
const PROTECTED = ['persistentvolumes', 'persistentvolumeclaims'];

function freshStore(): MemoryStore {
  const s = new MemoryStore();
  s.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return s;
}

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected a StatusError, got ${e}`);
    return e.status.reason;
  }
  return undefined;
}

describe('every declared resource', () => {
  // a version served through a conversion (autoscaling/v1 HPAs) shares its storage version's store
  for (const def of RESOURCES.filter((d) => !d.conversion)) {
    const name = resourceName(def);
    const sample = SAMPLES[name];
    test(`${name}: has a sample object`, () => assert.ok(sample, `add a sample for ${name} to test/unit/cluster/samples.ts`));
    if (!sample) continue;
    const ns = def.namespaced ? 'default' : undefined;

    if (def.virtual) {
      test(`${name}: create answers without storing`, () => {
        const s = freshStore();
        // a Binding places an existing pod: it changes the pod, and is answered without a status
        if (def.kind === 'Binding') s.create('pods', SAMPLES.pods!('r1', 'default'));
        const out = s.create(name, sample('r1', 'default')) as Obj<SelfSubjectAccessReview>;
        if (def.kind === 'Binding') assert.equal((s.get('pods', 'default', 'r1')!.spec as { nodeName?: string }).nodeName, 'n1');
        else assert.ok(out.status, 'a review is answered with a status');
        if (def.kind === 'SelfSubjectAccessReview') assert.equal(out.status!.allowed, true);
        assert.equal(reasonOf(() => s.list(name)), 'BadRequest');
      });
      continue;
    }

    test(`${name}: create fills system fields and get returns a copy`, () => {
      const s = freshStore();
      const created = s.create(name, sample('obj-1', 'default'));
      assert.equal(created.kind, def.kind);
      assert.equal(created.apiVersion, def.group ? `${def.group}/${def.version}` : def.version);
      assert.match(created.metadata.uid!, /^[0-9a-f-]{36}$/);
      assert.match(created.metadata.resourceVersion!, /^\d+$/);
      assert.match(created.metadata.creationTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(created.metadata.namespace, ns);
      assert.ok(Array.isArray(created.metadata.managedFields));
      if (def.hasGeneration) assert.equal(created.metadata.generation, 1);
      const got = s.get(name, ns, 'obj-1')!;
      got.metadata.labels = { mutated: 'yes' };
      assert.equal(s.get(name, ns, 'obj-1')!.metadata.labels?.mutated, undefined);
    });

    test(`${name}: AlreadyExists, NotFound and Conflict`, () => {
      const s = freshStore();
      const created = s.create(name, sample('obj-1', 'default'));
      assert.equal(reasonOf(() => s.create(name, sample('obj-1', 'default'))), 'AlreadyExists');
      assert.equal(reasonOf(() => s.getOrThrow(name, ns, 'nope')), 'NotFound');
      const updated = s.update(name, { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } });
      assert.notEqual(updated.metadata.resourceVersion, created.metadata.resourceVersion);
      assert.equal(reasonOf(() => s.update(name, { ...created, metadata: { ...created.metadata, labels: { a: 'c' } } })), 'Conflict');
    });

    test(`${name}: an invalid name is Invalid with a metadata.name cause`, () => {
      const s = freshStore();
      // RBAC and APIService names only have to be path segments; everything else is a DNS name
      const bad = def.group.startsWith('rbac') || def.resource === 'apiservices' ? 'bad/name' : 'Not_Valid';
      try {
        s.create(name, sample(bad, 'default'));
        assert.fail('expected Invalid');
      } catch (e) {
        assert.ok(e instanceof StatusError, String(e));
        assert.equal(e.status.reason, 'Invalid');
        assert.equal(e.status.code, 422);
        assert.equal(e.status.details?.causes?.[0].field, 'metadata.name');
      }
    }); 

    test(`${name}: watch sees ADDED, MODIFIED, DELETED; label selectors filter`, () => {
      const s = freshStore();
      const seen: WatchEvent[] = [];
      const stop = s.watch(name, { namespace: ns, labelSelector: 'keep=yes' }, (e) => seen.push(e));
      const o = sample('w1', 'default');
      o.metadata.labels = { keep: 'yes' };
      const c = s.create(name, o);
      s.create(name, sample('w2', 'default'));
      s.update(name, { ...c, metadata: { ...c.metadata, labels: { keep: 'yes', more: '1' } } });
      if (def.gracefulDelete) s.finalizeDelete(name, ns, 'w1');
      else s.delete(name, ns, 'w1');
      // a namespace goes once the namespace controller's finalize clears its spec.finalizers
      if (def.resource === 'namespaces') s.mutate(name, ns, 'w1', (n) => ({ ...n, spec: { finalizers: [] } }), { subresource: 'finalize' });
      // PVs and PVCs carry their protection finalizer until the controller that owns it lets go
      const held = PROTECTED.includes(def.resource);
      if (held) s.mutate(name, ns, 'w1', (o) => ({ ...o, metadata: { ...o.metadata, finalizers: [] } }));
      stop();
      const got = seen.map((e) => `${e.type} ${e.object.metadata.name}`);
      // a namespace passes through Terminating (one more MODIFIED) before it goes, and so does a protected volume or claim
      const expected = def.resource === 'namespaces' || held ? ['ADDED w1', 'MODIFIED w1', 'MODIFIED w1', 'DELETED w1'] : ['ADDED w1', 'MODIFIED w1', 'DELETED w1'];
      assert.deepEqual(got, expected);
    });

    if (def.namespaced)
      test(`${name}: creating in a missing namespace is NotFound namespaces "x"`, () => {
        const s = freshStore();
        try {
          s.create(name, sample('a', 'nowhere'));
          assert.fail('expected NotFound');
        } catch (e) {
          assert.ok(e instanceof StatusError);
          assert.equal(e.status.message, 'namespaces "nowhere" not found');
        }
      });
  }
});
