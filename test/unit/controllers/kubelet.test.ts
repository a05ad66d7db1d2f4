import { after, before, describe, test } from 'node:test';
import type { NodeSpec, NodeStatus, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import assert from 'node:assert/strict';
import { eventsFor, pod, startHarness, status, type Harness } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

const podNow = (h: Harness, name: string) => h.store.get('pods', 'default', name);
const cs = (h: Harness, name: string) => (status(podNow(h, name)).containerStatuses ?? [])[0] ?? {};

describe('kubelet: pod lifecycle', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h.stop());

  test('Pending -> Running with a pod IP from its node\'s /24, the node\'s hostIP and the kubelet events', async () => {
    h.store.create('pods', pod('life', {}));
    const p = await waitFor(() => status(podNow(h, 'life')).phase === 'Running' && podNow(h, 'life'), { what: 'Running' });
    const node = h.store.get('nodes', undefined, (p.spec as PodSpec).nodeName!)!;
    const cidr = (node.spec as NodeSpec).podCIDR!;
    assert.ok(status(p).podIP.startsWith(cidr.split('.').slice(0, 3).join('.') + '.'), `${status(p).podIP} in ${cidr}`);
    assert.equal(status(p).hostIP, (node.status as NodeStatus).addresses![0].address);
    assert.ok(!(node.metadata.labels!['kubernetes.io/role'] === 'master'), 'never on a master');
    await waitFor(() => status<PodStatus>(podNow(h, 'life')).conditions!.some((c) => c.type === 'Ready' && c.status === 'True'), { what: 'Ready' });
    const reasons = eventsFor(h.store, 'life').map((e) => e.reason);
    for (const r of ['Scheduled', 'Pulled', 'Created', 'Started']) assert.ok(reasons.includes(r), `${r} in ${reasons}`);
    assert.ok(eventsFor(h.store, 'life').some((e) => e.message === 'Container image "busybox:1.28" already present on machine'));
    assert.equal(cs(h, 'life').restartCount, 0);
    assert.ok(cs(h, 'life').state.running.startedAt);
  });

  test('readiness follows the runtime\'s probe answer', async () => {
    const [c] = h.runtime.running('life');
    c!.isReady = false;
    await waitFor(() => status<PodStatus>(podNow(h, 'life')).conditions!.some((x) => x.type === 'Ready' && x.status === 'False'), { what: 'unready' });
    assert.equal(cs(h, 'life').ready, false);
    c!.isReady = true;
    await waitFor(() => cs(h, 'life').ready === true, { what: 'ready again' });
  });

  test('restartPolicy Never: exit 0 is Succeeded, exit 1 is Failed, with the exit code kept', async () => {
    h.store.create('pods', pod('once-ok', { restartPolicy: 'Never' }));
    h.store.create('pods', pod('once-bad', { restartPolicy: 'Never' }));
    await waitFor(() => h.runtime.running('once-ok').length && h.runtime.running('once-bad').length, { what: 'both running' });
    h.runtime.running('once-ok')[0]!.exit(0);
    h.runtime.running('once-bad')[0]!.exit(1);
    await waitFor(() => status(podNow(h, 'once-ok')).phase === 'Succeeded', { what: 'Succeeded' });
    await waitFor(() => status(podNow(h, 'once-bad')).phase === 'Failed', { what: 'Failed' });
    assert.equal(cs(h, 'once-ok').state.terminated.reason, 'Completed');
    assert.equal(cs(h, 'once-bad').state.terminated.exitCode, 1);
    assert.equal(cs(h, 'once-bad').restartCount, 0);
  });

  test('restartPolicy OnFailure restarts a failed container and counts it', async () => {
    h.store.create('pods', pod('retry', { restartPolicy: 'OnFailure' }));
    await waitFor(() => h.runtime.running('retry').length === 1, { what: 'running' });
    h.runtime.running('retry')[0]!.exit(2);
    await waitFor(() => cs(h, 'retry').restartCount === 1 && h.runtime.running('retry').length === 1, { what: 'restarted' });
    assert.equal(cs(h, 'retry').lastState.terminated.exitCode, 2);
    assert.equal(status(podNow(h, 'retry')).phase, 'Running');
  });

  test('a container that keeps crashing goes into CrashLoopBackOff with a BackOff event', async () => {
    h.store.create('pods', pod('crashy', {}));
    await waitFor(() => h.runtime.running('crashy').length === 1, { what: 'running' });
    h.runtime.running('crashy')[0]!.exit(1);
    await waitFor(() => cs(h, 'crashy').restartCount === 1 && h.runtime.running('crashy').length === 1, { what: 'first restart' });
    h.runtime.running('crashy')[0]!.exit(1);
    await waitFor(() => cs(h, 'crashy').state?.waiting?.reason === 'CrashLoopBackOff', { what: 'CrashLoopBackOff' });
    assert.match(cs(h, 'crashy').state.waiting.message, /^back-off 10s restarting failed container=main pod=crashy_default\(/);
    assert.equal(cs(h, 'crashy').lastState.terminated.exitCode, 1);
    const backoff = eventsFor(h.store, 'crashy').find((e) => e.reason === 'BackOff');
    assert.equal(backoff?.type, 'Warning');
    assert.match(backoff!.message, /^Back-off restarting failed container main in pod crashy_default\(/);
  });

  test('a pod whose ConfigMap is missing waits in ContainerCreating with FailedMount, and starts once it exists', async () => {
    h.store.create('pods', pod('needs-cm', {
      volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
    }));
    await waitFor(() => eventsFor(h.store, 'needs-cm').find((e) => e.reason === 'FailedMount'), { what: 'FailedMount' });
    const ev = eventsFor(h.store, 'needs-cm').find((e) => e.reason === 'FailedMount')!;
    assert.equal(ev.message, 'MountVolume.SetUp failed for volume "config-volume" : configmap "coredns" not found');
    assert.equal(ev.type, 'Warning');
    assert.equal(status(podNow(h, 'needs-cm')).phase, 'Pending');
    assert.equal(cs(h, 'needs-cm').state.waiting.reason, 'ContainerCreating');
    assert.equal(h.runtime.running('needs-cm').length, 0);
    h.store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'default' }, data: { Corefile: '.:53 {\n}\n' } });
    await waitFor(() => status(podNow(h, 'needs-cm')).phase === 'Running', { what: 'Running' });
  });

  test('graceful deletion stops the containers within the grace period, then the pod is gone', async () => {
    h.store.create('pods', pod('bye', { terminationGracePeriodSeconds: 7 }));
    await waitFor(() => h.runtime.running('bye').length === 1, { what: 'running' });
    const [c] = h.runtime.running('bye');
    const uid = podNow(h, 'bye')!.metadata.uid!;
    h.store.delete('pods', 'default', 'bye');
    await waitFor(() => !podNow(h, 'bye'), { what: 'gone' });
    assert.equal(c!.stoppedWithGrace, 7000);
    assert.ok(h.runtime.forgotten.includes(uid));
    assert.ok(eventsFor(h.store, 'bye').some((e) => e.reason === 'Killing' && e.message === 'Stopping container main'));
  });

  test('a pod that cannot be placed is Unschedulable with a FailedScheduling event', async () => {
    h.store.create('pods', pod('nowhere', { nodeSelector: { disktype: 'ssd' } }));
    await waitFor(() => eventsFor(h.store, 'nowhere').find((e) => e.reason === 'FailedScheduling'), { what: 'FailedScheduling' });
    const ev = eventsFor(h.store, 'nowhere').find((e) => e.reason === 'FailedScheduling')!;
    assert.match(ev.message, /^0\/8 nodes are available: 8 node\(s\) didn't match Pod's node affinity\/selector\./);
    const cond = status<PodStatus>(podNow(h, 'nowhere')).conditions!.find((c) => c.type === 'PodScheduled');
    assert.equal(cond?.status, 'False');
    assert.equal(cond?.reason, 'Unschedulable');
  });

  test('hostNetwork pods that tolerate the master taint can land on a master, with the node IP', async () => {
    h.store.create('pods', pod('on-master', {
      hostNetwork: true,
      nodeSelector: { 'node-role.kubernetes.io/master': '' },
      tolerations: [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule' }],
    }));
    const p = await waitFor(() => status(podNow(h, 'on-master')).phase === 'Running' && podNow(h, 'on-master'), { what: 'Running' });
    assert.equal(status(p).podIP, status(p).hostIP);
    assert.equal(h.store.get('nodes', undefined, (p.spec as PodSpec).nodeName!)!.metadata.labels!['kubernetes.io/role'], 'master');
  });
});

describe('kubelet: a sandbox restart resumes running pods', () => {
  test('containers start again, the pod keeps its IP, phase and restart count', async () => {
    const h = await startHarness();
    try {
      h.store.create('pods', pod('keep', {}));
      const before = await waitFor(() => status(h.store.get('pods', 'default', 'keep')).phase === 'Running' && h.store.get('pods', 'default', 'keep'), { what: 'Running' });
      await h.controllers.stop();
      const { FakeRuntime } = await import('./fake-runtime.ts');
      const { startControllers } = await import('../../../sandbox/cluster/controllers/index.ts');
      const runtime2 = new FakeRuntime();
      const again = startControllers(h.store, runtime2, { kubelet: { readinessPollMs: 20 } });
      try {
        await waitFor(() => runtime2.running('keep').length === 1, { what: 'container restarted' });
        const after = await waitFor(() => {
          const p = h.store.get('pods', 'default', 'keep');
          return (status(p).containerStatuses ?? [])[0]?.ready && p;
        }, { what: 'ready' });
        assert.equal(status(after).podIP, status(before).podIP);
        assert.equal(status(after).phase, 'Running');
        assert.equal(status(after).containerStatuses[0].restartCount, 0);
      } finally {
        await again.stop();
      }
    } finally {
      await h.store.close();
    }
  });
});

describe('kubelet: a pod with several containers', () => {
  test('stays Pending until every container has started', async () => {
    const h = await startHarness();
    try {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const start = h.runtime.startContainer.bind(h.runtime);
      h.runtime.startContainer = async (p, name) => {
        if (name === 'slow') await gate;
        return start(p, name);
      };
      h.store.create('pods', pod('multi', { containers: [{ name: 'fast', image: 'busybox:1.28' }, { name: 'slow', image: 'busybox:1.28' }] }));
      await waitFor(() => h.runtime.running('multi').length === 1, { what: 'fast running' });
      await new Promise((r) => setTimeout(r, 50));
      const p = h.store.get('pods', 'default', 'multi')!;
      assert.equal(status(p).phase, 'Pending');
      assert.deepEqual(status<PodStatus>(p).containerStatuses!.map((c) => Object.keys(c.state!)[0]), ['running', 'waiting']);
      release();
      await waitFor(() => status(h.store.get('pods', 'default', 'multi')).phase === 'Running', { what: 'Running' });
    } finally {
      await h.stop();
    }
  });
});
