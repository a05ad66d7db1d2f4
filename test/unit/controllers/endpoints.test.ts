import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Endpoints, PodCondition, ServiceSpec } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';
import type { Obj } from '../../../sandbox/cluster/resources/define.ts';
import { pod, startHarness, status, type Harness } from './harness.ts';
import { waitFor } from '../../support/wait.ts';

const svc = (selector: Record<string, string>, ports: unknown[]): KubeObject => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns', namespace: 'default', labels: { team: 'lab' } }, spec: { selector, ports },
});
const container = { name: 'main', image: 'coredns/coredns:1.11.1', ports: [{ name: 'dns', containerPort: 5353, protocol: 'UDP' }, { name: 'metrics', containerPort: 9153 }] };
const slices = (h: Harness) => h.store.list('endpointslices.discovery.k8s.io', { namespace: 'default', labelSelector: 'kubernetes.io/service-name=dns' }).items as Obj<EndpointSlice>[];
const ep = (h: Harness) => h.store.get('endpoints', 'default', 'dns') as Obj<Endpoints> | undefined;

describe('endpoints and endpointslice controllers', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h.stop());

  test('ready pods matching the selector, with targetPort resolved by name', async () => {
    h.store.create('pods', pod('a', { containers: [container] }, { app: 'dns' }));
    h.store.create('pods', pod('b', { containers: [container] }, { app: 'dns' }));
    h.store.create('pods', pod('other', { containers: [container] }, { app: 'web' }));
    h.store.create('services', svc({ app: 'dns' }, [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 'dns' },
      { name: 'metrics', port: 9153, protocol: 'TCP' },
    ]));
    const ips = await waitFor(() => {
      const ps = ['a', 'b'].map((n) => h.store.get('pods', 'default', n)!);
      return ps.every((p) => status<{ conditions?: PodCondition[] }>(p).conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) && ps.map((p) => status<{ podIP: string }>(p).podIP);
    }, { what: 'both pods running' });
    const e = await waitFor(() => ep(h)?.subsets?.[0]?.addresses?.length === 2 && ep(h), { what: 'endpoints with 2 addresses' });
    assert.deepEqual(e.subsets![0].addresses!.map((a) => a.ip).sort(), [...ips].sort());
    assert.deepEqual(e.subsets![0].ports, [{ name: 'dns', port: 5353, protocol: 'UDP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }]);
    assert.equal(e.subsets![0].addresses![0].targetRef!.kind, 'Pod');
    assert.equal(e.metadata.labels!.team, 'lab');
    const [s] = await waitFor(() => slices(h)[0]?.endpoints && slices(h)[0]!.endpoints.length === 2 && slices(h), { what: 'a slice with 2 endpoints' });
    assert.match(s!.metadata.name!, /^dns-[a-z0-9]{5}$/);
    assert.equal(s!.metadata.labels!['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(s!.metadata.ownerReferences![0]!.kind, 'Service');
    assert.equal(s!.addressType, 'IPv4');
    assert.deepEqual(s!.endpoints.map((x) => x.conditions), [
      { ready: true, serving: true, terminating: false },
      { ready: true, serving: true, terminating: false },
    ]);
    assert.match(s!.endpoints[0].zone!, /^eu-central-1[abc]$/);
  });

  test('an unready pod moves to notReadyAddresses and ready:false', async () => {
    const ip = status(h.store.get('pods', 'default', 'a')).podIP;
    h.runtime.running('a')[0]!.isReady = false;
    await waitFor(() => ep(h)?.subsets?.[0]?.notReadyAddresses?.some((x) => x.ip === ip), { what: 'notReady' });
    const s = await waitFor(() => slices(h)[0]!.endpoints.find((x) => x.addresses[0] === ip && x.conditions!.ready === false), { what: 'slice condition' });
    assert.equal(s.conditions!.serving, false);
    h.runtime.running('a')[0]!.isReady = true;
    await waitFor(() => ep(h)?.subsets?.[0]?.addresses?.length === 2, { what: 'ready again' });
  });

  test('changing the selector re-points the endpoints, keeping the slice name', async () => {
    const name = slices(h)[0]!.metadata.name;
    const webIp = status(h.store.get('pods', 'default', 'other')).podIP;
    h.store.mutate('services', 'default', 'dns', (s) => (((s.spec as ServiceSpec).selector = { app: 'web' }), s));
    await waitFor(() => ep(h)?.subsets?.[0]?.addresses?.length === 1 && ep(h)!.subsets![0].addresses![0].ip === webIp, { what: 'only the web pod' });
    await waitFor(() => slices(h)[0]?.endpoints?.length === 1 && slices(h)[0]!.endpoints[0].addresses[0] === webIp, { what: 'slice follows' });
    assert.equal(slices(h)[0]!.metadata.name, name);
  });

  test('a Service without a selector is left alone, and a deleted Service loses its endpoints', async () => {
    h.store.create('services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    h.store.create('endpoints', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] });
    h.store.delete('services', 'default', 'dns');
    await waitFor(() => !ep(h) && slices(h).length === 0, { what: 'dns endpoints gone' });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((h.store.get('endpoints', 'default', 'manual') as Obj<Endpoints>).subsets![0].addresses![0].ip, '10.0.0.1');
  });
});
