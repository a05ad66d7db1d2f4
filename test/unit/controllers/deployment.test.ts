import { after, before, describe, test } from 'node:test';
import type { DeploymentSpec, DeploymentStatus, ReplicaSetSpec } from 'kubernetes-types/apps/v1.js';
import type { PodStatus } from 'kubernetes-types/core/v1.js';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';
import { deployment, eventsFor, podsOf, startHarness, status, type Harness } from './harness.ts';
import { waitFor } from '../../support/wait.ts';
import { podTemplateHash, safeEncode } from '../../../sandbox/cluster/controllers/names.ts';
import { createStore } from '../../../sandbox/cluster/persistence/open-store.ts';
import { startControllers } from '../../../sandbox/cluster/controllers/index.ts';
import { NODES, nodeObject } from '../../../sandbox/cluster/status-quo/nodes.ts';
import { FakeRuntime } from './fake-runtime.ts';

const active = (h: Harness, prefix: string) => podsOf(h.store, prefix).filter((p) => !p.metadata.deletionTimestamp);
const rsOf = (h: Harness, name: string) => h.store.list('replicasets.apps', { namespace: 'default' }).items.filter((r) => r.metadata.ownerReferences?.[0]?.name === name);

describe('deployment and replicaset controllers', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h.stop());

  test('a Deployment gets a ReplicaSet <name>-<decimal hash> and pods <rs>-<suffix> owned by it', async () => {
    h.store.create('deployments.apps', deployment('web', 2));
    const rs = await waitFor(() => rsOf(h, 'web').length === 1 && rsOf(h, 'web')[0], { what: 'one ReplicaSet' });
    assert.match(rs.metadata.name!, /^web-\d{1,10}$/);
    assert.equal(rs.metadata.labels!['pod-template-hash'], rs.metadata.name!.slice(4));
    assert.equal(rs.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    const pods = await waitFor(() => {
      const p = active(h, 'web-');
      return p.length === 2 && p.every((x) => status(x).phase === 'Running') && p;
    }, { what: '2 running pods' });
    for (const p of pods) {
      assert.match(p.metadata.name!, new RegExp(`^${rs.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.equal(p.metadata.ownerReferences![0]!.uid, rs.metadata.uid);
      assert.equal(p.metadata.ownerReferences![0]!.controller, true);
    }
    const d = await waitFor(() => {
      const d = h.store.get('deployments.apps', 'default', 'web');
      return status(d).availableReplicas === 2 && d;
    }, { what: 'deployment available' });
    const conds = status(d).conditions as Array<{ type: string; status: string; reason: string }>;
    assert.deepEqual(conds.map((c) => [c.type, c.status]), [['Available', 'True'], ['Progressing', 'True']]);
    assert.equal(status(d).observedGeneration, d.metadata.generation);
    assert.equal(d.metadata.annotations!['deployment.kubernetes.io/revision'], '1');
    await waitFor(() => status<DeploymentStatus>(h.store.get('deployments.apps', 'default', 'web')).conditions![1].reason === 'NewReplicaSetAvailable', { what: 'NewReplicaSetAvailable' });
    const evts = eventsFor(h.store, 'web').map((e) => `${e.reason}: ${e.message}`);
    assert.ok(evts.includes(`ScalingReplicaSet: Scaled up replica set ${rs.metadata.name} to 2`), evts.join('\n'));
    assert.equal(eventsFor(h.store, rs.metadata.name!).filter((e) => e.reason === 'SuccessfulCreate').length, 2);
  });

  test('scaling changes the ReplicaSet and the pod count, with the "from" in the event', async () => {
    h.store.mutate('deployments.apps', 'default', 'web', (d) => ((d.spec as DeploymentSpec).replicas = 3, d));
    await waitFor(() => active(h, 'web-').length === 3, { what: '3 pods' });
    h.store.mutate('deployments.apps', 'default', 'web', (d) => ((d.spec as DeploymentSpec).replicas = 1, d));
    await waitFor(() => active(h, 'web-').length === 1, { what: '1 pod' });
    const rs = rsOf(h, 'web')[0]!;
    const msgs = eventsFor(h.store, 'web').map((e) => e.message);
    assert.ok(msgs.includes(`Scaled up replica set ${rs.metadata.name} to 3 from 2`), msgs.join('\n'));
    assert.ok(msgs.includes(`Scaled down replica set ${rs.metadata.name} to 1 from 3`), msgs.join('\n'));
    assert.ok(eventsFor(h.store, rs.metadata.name!).some((e) => e.reason === 'SuccessfulDelete'));
  });

  test('a template change rolls to a new ReplicaSet, revision 2, without going under the available minimum', async () => {
    h.store.mutate('deployments.apps', 'default', 'web', (d) => ((d.spec as DeploymentSpec).replicas = 2, d));
    await waitFor(() => status(h.store.get('deployments.apps', 'default', 'web')).availableReplicas === 2 && active(h, 'web-').length === 2, { what: '2 ready pods' });
    h.runtime.readyOnStart = false; // new pods stay unready until the test says so
    let minReady = Infinity;
    const unwatch = h.store.watch('pods', { namespace: 'default' }, () => {
      const ready = active(h, 'web-').filter((p) => (status<PodStatus>(p).conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')).length;
      minReady = Math.min(minReady, ready);
    });
    h.store.mutate('deployments.apps', 'default', 'web', (d) => {
      (d.spec as DeploymentSpec).strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
      (d.spec as DeploymentSpec).template.spec!.containers[0].image = 'nginx:1.28';
      return d;
    });
    const newRs = await waitFor(() => rsOf(h, 'web').find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2'), { what: 'a second ReplicaSet' });
    await waitFor(() => active(h, newRs.metadata.name! + '-').length === 1, { what: 'the surge pod' });
    await h.settled();
    assert.equal(active(h, 'web-').length, 3, 'old pods stay while the new one is unready (maxUnavailable 0)');
    const progressing = status<DeploymentStatus>(h.store.get('deployments.apps', 'default', 'web')).conditions!.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.reason, 'ReplicaSetUpdated');
    // let every new container become ready as it starts
    h.runtime.readyOnStart = true;
    const release = setInterval(() => {
      for (const c of h.runtime.started) c.isReady = true;
    }, 10);
    try {
      await waitFor(() => {
        const d = h.store.get('deployments.apps', 'default', 'web');
        const s = status(d);
        return s.updatedReplicas === 2 && s.availableReplicas === 2 && s.replicas === 2 && active(h, 'web-').length === 2 && d;
      }, { what: 'rollout complete' });
    } finally {
      clearInterval(release);
      unwatch();
    }
    const old = rsOf(h, 'web').find((r) => r.metadata.name !== newRs.metadata.name)!;
    assert.equal((old.spec as ReplicaSetSpec).replicas, 0);
    assert.ok(active(h, 'web-').every((p) => p.metadata.name!.startsWith(newRs.metadata.name!)));
    assert.ok(minReady >= 2, `ready pods dipped to ${minReady}`);
    assert.equal(h.store.get('deployments.apps', 'default', 'web')!.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
  });

  test('rollout restart (a template annotation) rolls again', async () => {
    const before = new Set(rsOf(h, 'web').map((r) => r.metadata.name));
    h.store.mutate('deployments.apps', 'default', 'web', (d: KubeObject) => {
      (d.spec as DeploymentSpec).template.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() };
      return d;
    });
    const fresh = await waitFor(() => rsOf(h, 'web').find((r) => !before.has(r.metadata.name)), { what: 'a third ReplicaSet' });
    assert.equal(fresh.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
    await waitFor(() => {
      const s = status(h.store.get('deployments.apps', 'default', 'web'));
      return s.updatedReplicas === 2 && s.availableReplicas === 2 && s.replicas === 2;
    }, { what: 'restart complete' });
  });

  test('deleting a pod of a ReplicaSet brings a replacement', async () => {
    const [victim] = active(h, 'web-');
    h.store.delete('pods', 'default', victim!.metadata.name!);
    await waitFor(() => {
      const p = active(h, 'web-');
      return p.length === 2 && !p.some((x) => x.metadata.name === victim!.metadata.name) && p.every((x) => status(x).phase === 'Running');
    }, { what: 'replacement' });
  });

  test('deleting the Deployment removes its ReplicaSets and pods', async () => {
    h.store.delete('deployments.apps', 'default', 'web', { propagationPolicy: 'Background' });
    await waitFor(() => rsOf(h, 'web').length === 0 && podsOf(h.store, 'web-').length === 0, { what: 'everything gone' });
  });
});

describe('deployment progress deadline', () => {
  test('a rollout that makes no progress is ProgressDeadlineExceeded, and recovers when pods get ready', async () => {
    const h = await startHarness({ readyOnStart: false });
    try {
      const d = deployment('stuck', 1);
      (d.spec as DeploymentSpec).progressDeadlineSeconds = 1;
      h.store.create('deployments.apps', d);
      const cond = await waitFor(() => {
        const c = (status<DeploymentStatus>(h.store.get('deployments.apps', 'default', 'stuck')).conditions ?? []).find((x) => x.type === 'Progressing');
        return c?.reason === 'ProgressDeadlineExceeded' && c;
      }, { what: 'deadline exceeded', timeout: 8000 });
      assert.equal(cond.status, 'False');
      assert.match(cond.message!, /^ReplicaSet "stuck-\d+" has timed out progressing\.$/);
      for (const c of h.runtime.started) c.isReady = true;
      await waitFor(() => {
        const c = (status<DeploymentStatus>(h.store.get('deployments.apps', 'default', 'stuck')).conditions ?? []).find((x) => x.type === 'Progressing');
        return c?.status === 'True' && c.reason === 'NewReplicaSetAvailable';
      }, { what: 'progressing again' });
    } finally {
      await h.stop();
    }
  });
});

describe('the pod-template-hash style of today\'s clusters (kind, minikube)', () => {
  test('a Deployment\'s ReplicaSet is <name>-<encoded hash>', async () => {
    const h = await startHarness({ podTemplateHash: 'encoded' });
    try {
      h.store.create('deployments.apps', deployment('web', 1));
      const rs = await waitFor(() => rsOf(h, 'web').length === 1 && rsOf(h, 'web')[0], { what: 'one ReplicaSet' });
      assert.match(rs.metadata.name!, /^web-[bcdf4-9]{1,10}$/);
      assert.equal(rs.metadata.labels!['pod-template-hash'], safeEncode(podTemplateHash((h.store.get('deployments.apps', 'default', 'web')!.spec as DeploymentSpec).template)));
    } finally {
      await h.stop();
    }
  });

  test('a ReplicaSet made in the other style (a state dir from an older lab) stays the current one: no rollout', async () => {
    const store = await createStore({});
    const now = new Date().toISOString();
    for (const row of NODES) store.create('nodes', nodeObject(row, now) as unknown as KubeObject);
    const before = startControllers(store, new FakeRuntime(), { podTemplateHash: 'decimal' });
    try {
      store.create('deployments.apps', deployment('web', 1));
      const list = () => store.list('replicasets.apps', { namespace: 'default' }).items;
      const old = await waitFor(() => list().length === 1 && list()[0], { what: 'the decimal ReplicaSet' });
      assert.match(old.metadata.name!, /^web-\d+$/);
      await before.stop();
      const after = startControllers(store, new FakeRuntime(), { podTemplateHash: 'encoded' });
      try {
        // the controller has looked at the Deployment again once its status is written anew
        await waitFor(() => (store.get('deployments.apps', 'default', 'web')!.status as DeploymentStatus | undefined)?.replicas === 1, { what: 'deployment synced' });
        await Promise.all(after.controllers.map((c) => c.idle()));
        assert.deepEqual(list().map((r) => r.metadata.name), [old.metadata.name]);
      } finally {
        await after.stop();
      }
    } finally {
      await store.close();
    }
  });
});
