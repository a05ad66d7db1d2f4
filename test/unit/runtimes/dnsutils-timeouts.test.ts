// bind9's tools in jessie-dnsutils when no nameserver answers, through the real kubectl: they
// wait out resolv.conf's timeout and attempts (or +time/+tries) and print bind 9.9's
// ";; connection timed out; no servers could be reached" (dig exits 9, host and nslookup 1).
// bind 9.9 sends from unconnected UDP sockets, so a Service without endpoints (kube-proxy's
// reject) looks the same: the docs' "Debugging DNS Resolution" page shows that output.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { labCluster, kubectl, svc, type LabCluster } from './support/lab-cluster.ts';
import type { KubeObject } from '../../../sandbox/cluster/contracts.ts';

describe('jessie-dnsutils with a nameserver that never answers', () => {
  let c: LabCluster;
  const exec = (pod: string, ...cmd: string[]) => kubectl(c, ['exec', pod, '--', ...cmd]);

  before(async () => {
    c = await labCluster({ api: true });
    const jessie: KubeObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dnsutils', namespace: 'default' },
      spec: { containers: [{ name: 'dnsutils', image: 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', command: ['sleep', 'infinity'] }] },
    };
    await c.startPod(jessie, '100.96.5.4');
  });

  after(async () => { await c.close(); });

  test('nslookup and host wait out the resolv.conf timeout and attempts of a nameserver that never answers', async () => {
    const lost: KubeObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lost', namespace: 'default' },
      spec: {
        dnsPolicy: 'None', dnsConfig: { nameservers: ['10.255.255.1'], options: [{ name: 'timeout', value: '1' }, { name: 'attempts', value: '2' }] },
        containers: [{ name: 'dnsutils', image: 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', command: ['sleep', 'infinity'] }],
      },
    };
    await c.startPod(lost, '100.96.5.6');
    const started = Date.now();
    const r = await exec('lost', 'nslookup', 'kubernetes.default');
    assert.deepEqual([r.code, r.stdout], [1, ';; connection timed out; no servers could be reached\n\n']);
    assert.ok(Date.now() - started >= 2000, 'two tries of one second');
    const h = await exec('lost', 'host', 'kubernetes.default');
    assert.deepEqual([h.code, h.stdout], [1, ';; connection timed out; no servers could be reached\n']);
  });

  test('a DNS Service without endpoints: kube-proxy rejects, and bind 9.9 (unconnected UDP sockets) times out as the docs show', async () => {
    c.store.create('services', svc('kube-system', 'no-dns', '100.64.0.20', [{ name: 'dns', port: 53, protocol: 'UDP' }], { app: 'none' }));
    const orphan: KubeObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'default' },
      spec: {
        dnsPolicy: 'None', dnsConfig: { nameservers: ['100.64.0.20'], options: [{ name: 'timeout', value: '1' }, { name: 'attempts', value: '1' }] },
        containers: [{ name: 'dnsutils', image: 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', command: ['sleep', 'infinity'] }],
      },
    };
    await c.startPod(orphan, '100.96.5.7');
    const started = Date.now();
    const r = await exec('orphan', 'nslookup', 'kubernetes.default');
    assert.deepEqual([r.code, r.stdout], [1, ';; connection timed out; no servers could be reached\n\n']);
    assert.ok(Date.now() - started >= 1000, 'the try waited its second');
  });

  test('a nameserver that does not answer: bind9\'s timeout, after the resolv.conf options', async () => {
    const started = Date.now();
    const r = await exec('dnsutils', 'dig', '@10.255.255.1', '+time=1', '+tries=2', 'kubernetes.default');
    assert.equal(r.code, 9);
    assert.match(r.stdout, /; \(1 server found\)\n;; global options: \+cmd\n;; connection timed out; no servers could be reached\n$/);
    // two tries of one second each really waited (a floor, not a timing assertion)
    assert.ok(Date.now() - started >= 2000);
    const short = await exec('dnsutils', 'dig', '+short', '+time=1', '+tries=1', '@10.255.255.1', 'x');
    assert.deepEqual([short.code, short.stdout], [9, ';; connection timed out; no servers could be reached\n']);
  });
});
