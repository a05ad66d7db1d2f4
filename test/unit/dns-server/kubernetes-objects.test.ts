// The kubernetes plugin's entries (what is kept of each API object) and the model's indexes:
// entries carry what client-node's informer cache reads, keep only what DNS answers need, share
// repeated values, and the IP indexes hold several owners of one IP correctly.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { toNamespace, toPod, toService, toSlice } from '../../../dns-server/plugins/kubernetes/objects.ts';
import { ClusterModel } from '../../../dns-server/plugins/kubernetes/model.ts';
import { endpointSlice, namespace, pod, service } from '../../../dns-server/test-support/kube/objects.ts';

const withRV = <T extends { metadata: Record<string, unknown> }>(o: T, rv: string): T => ({
  ...o,
  metadata: { ...o.metadata, resourceVersion: rv },
});

describe('kubernetes entries', () => {
  test('each entry answers metadata as the informer cache reads it (key and version)', () => {
    const s = toService(withRV(service({ namespace: 'Web', name: 'App', clusterIP: '10.0.0.1' }), '4711'));
    assert.deepEqual(s.metadata, { name: 'app', namespace: 'web', resourceVersion: '4711' });
    assert.equal(typeof s.metadata.resourceVersion, 'string', 'a numeric version is handed back as the same string');
    const ns = toNamespace(withRV(namespace('shop'), 'abc-not-a-number'));
    assert.deepEqual(ns.metadata, { name: 'shop', namespace: '', resourceVersion: 'abc-not-a-number' });
    const noRV = toPod(pod('web', 'p', '10.244.0.1'));
    assert.equal(noRV.metadata.resourceVersion, '');
    assert.equal(toPod(withRV(pod('web', 'p', '10.244.0.1'), '007')).resourceVersion, '007', 'a leading zero is kept (held as text)');
  });

  test('a service keeps type, ClusterIPs (canonical), ports; headless and ExternalName have none', () => {
    const s = toService(service({ namespace: 'web', name: 'dual', clusterIP: ['10.0.0.2', 'FD00:0:0::A'], ports: [{ name: 'HTTP', port: 80 }, { port: 53, protocol: 'UDP' }] }));
    assert.deepEqual([...s.clusterIPs], ['10.0.0.2', 'fd00::a']);
    assert.deepEqual(s.ports.map((p) => ({ ...p })), [{ name: 'http', protocol: 'tcp', port: 80 }, { name: '', protocol: 'udp', port: 53 }]);
    assert.equal(s.headless, false);
    const h = toService(service({ namespace: 'web', name: 'db', clusterIP: 'None' }));
    assert.equal(h.headless, true);
    assert.deepEqual([...h.clusterIPs], []);
    assert.deepEqual(h.ports.map((p) => ({ ...p })), [{ name: '', protocol: 'tcp', port: -1 }], 'no ports: CoreDNS sentinel port -1');
    const x = toService(service({ namespace: 'web', name: 'ext', type: 'ExternalName', externalName: 'Example.COM.' }));
    assert.equal(x.externalName, 'example.com');
    assert.deepEqual([...x.clusterIPs], []);
  });

  test('port lists and namespaces many objects repeat are one shared value', () => {
    const a = toService(service({ namespace: 'shop', name: 'a', clusterIP: '10.0.0.3', ports: [{ name: 'http', port: 80 }] }));
    const b = toService(service({ namespace: 'shop', name: 'b', clusterIP: '10.0.0.4', ports: [{ name: 'http', port: 80 }] }));
    const c = toService(service({ namespace: 'shop', name: 'c', clusterIP: '10.0.0.5', ports: [{ name: 'http', port: 8080 }] }));
    assert.equal(a.ports, b.ports, 'same port list, same array');
    assert.notEqual(a.ports, c.ports);
    assert.ok(Object.isFrozen(a.ports) && Object.isFrozen(a.ports[0]), 'shared values cannot be changed through one entry');
  });

  test('a slice keeps ready addresses; pod names only when endpoint_pod_names needs them', () => {
    const obj = endpointSlice({
      namespace: 'web', service: 'DB', name: 'db-x',
      endpoints: [{ addresses: ['10.244.0.7'], pod: 'DB-0', hostname: 'Primary', nodeName: 'node-1' }, { addresses: ['10.244.0.8'], ready: false }, { addresses: ['10.244.0.9'], ready: null }],
      ports: [{ name: 'pg', port: 5432 }],
    });
    const kept = toSlice(obj);
    assert.equal(kept.service, 'db');
    assert.deepEqual(kept.addresses.map((a) => ({ ...a })), [
      { ip: '10.244.0.7', hostname: 'primary', targetRefName: 'db-0' },
      { ip: '10.244.0.9', hostname: '', targetRefName: '' },
    ], 'not-ready dropped, unset readiness counts as ready, nodeName not kept');
    assert.deepEqual(toSlice(obj, false).addresses.map((a) => a.targetRefName), ['', '']);
  });

  test('a pod keeps its IPs, none while terminating', () => {
    assert.deepEqual([...toPod(pod('web', 'p', '10.244.1.1')).ips], ['10.244.1.1']);
    assert.deepEqual([...toPod(pod('web', 'p', ['10.244.1.1', 'fd00::1:1'])).ips], ['10.244.1.1', 'fd00::1:1']);
    assert.deepEqual([...toPod(pod('web', 'p', '10.244.1.1', { deleting: true })).ips], []);
  });

  test('malformed objects convert to empty entries instead of throwing', () => {
    const s = toService({ metadata: { name: 'odd', namespace: 'web' }, spec: { clusterIPs: 'not-a-list', ports: 'x' } } as never);
    assert.equal(s.name, 'odd');
    const sl = toSlice({ metadata: { name: 's' }, endpoints: [{ addresses: [42, 'nope', '10.1.1.1'] }, null] } as never);
    assert.deepEqual(sl.addresses.map((a) => a.ip), ['10.1.1.1']);
    assert.deepEqual([...toPod({ metadata: { name: 'p' }, status: { podIPs: [{ ip: 'bad' }] } } as never).ips], []);
  });
});

describe('kubernetes model indexes', () => {
  test('two owners of one IP: both found, and removing one keeps the other', () => {
    const m = new ClusterModel();
    const a = toService(service({ namespace: 'web', name: 'a', clusterIP: '10.0.0.9' }));
    const b = toService(service({ namespace: 'shop', name: 'b', clusterIP: '10.0.0.9' }));
    m.putService(a);
    m.putService(b);
    assert.deepEqual([...m.servicesWithClusterIP('10.0.0.9')].map((s) => s.name).sort(), ['a', 'b']);
    m.deleteService('web', 'a');
    assert.deepEqual([...m.servicesWithClusterIP('10.0.0.9')].map((s) => s.name), ['b']);
    m.deleteService('shop', 'b');
    assert.deepEqual([...m.servicesWithClusterIP('10.0.0.9')], []);
    assert.equal(m.counts().services, 0);
  });

  test('an update replaces the old entry in every index', () => {
    const m = new ClusterModel();
    m.putPod(toPod(pod('web', 'p', '10.244.0.1')));
    m.putPod(toPod(pod('web', 'p', '10.244.0.2')));
    assert.deepEqual([...m.podsWithIP('10.244.0.1')], []);
    assert.deepEqual([...m.podsWithIP('10.244.0.2')].map((p) => p.name), ['p']);
    assert.equal(m.counts().pods, 1);

    const slice = (ips: string[], name = 'db-1') => toSlice(endpointSlice({ namespace: 'web', service: 'db', name, endpoints: ips.map((ip) => ({ addresses: [ip] })) }));
    m.putSlice(slice(['10.244.0.5', '10.244.0.5']));
    m.putSlice(slice(['10.244.0.5'], 'db-2'));
    assert.equal([...m.slicesOf('web', 'db')].length, 2);
    assert.equal(m.readyAddressCount('web', 'db'), 3);
    m.putSlice(slice(['10.244.0.6']));
    assert.deepEqual([...m.endpointsWithIP('10.244.0.5')].map((e) => e.slice.name), ['db-2']);
    m.deleteSlice('web', 'db-2');
    assert.deepEqual([...m.endpointsWithIP('10.244.0.5')], []);
    assert.deepEqual([...m.slicesOf('web', 'db')].map((s) => s.name), ['db-1']);
  });
});
