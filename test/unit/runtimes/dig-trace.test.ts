// dig +trace from the docs' jessie-dnsutils pod, through the real kubectl: ". NS" goes to the
// cluster DNS (CoreDNS forwarding to the node resolver, here forwarding to a stub "host
// nameserver" that knows two root servers), the root servers' names resolve through the pod's
// resolver, and the roots themselves are outside the cluster, a blackhole: bind 9.9.5's dig
// waits one timeout per server and ends with ";; connection timed out; no servers could be
// reached", status 9 (dighost.c connect_timeout).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import * as packet from 'dns-packet';
import { labCluster, corednsObjects, kubectl, type LabCluster } from './support/lab-cluster.ts';
import { waitFor } from '../../support/wait.ts';

const ROOTS = [{ name: 'a.root-servers.net', ip: '198.41.0.4' }, { name: 'b.root-servers.net', ip: '170.247.170.2' }];

/** the "host's nameserver": the root NS set with glue, the roots' addresses, NXDOMAIN for the rest */
async function stubUpstream(): Promise<{ port: number; close(): void }> {
  const s = dgram.createSocket('udp4');
  s.on('message', (m, r) => {
    const q = packet.decode(m);
    const { name, type } = q.questions![0];
    const flags = packet.RECURSION_AVAILABLE | ((q.flags ?? 0) & packet.RECURSION_DESIRED);
    const base = { type: 'response' as const, id: q.id, questions: q.questions };
    const root = ROOTS.find((x) => x.name === name);
    const reply: packet.Packet = (name === '' || name === '.') && type === 'NS'
      ? { ...base, flags, answers: ROOTS.map((x) => ({ type: 'NS', name: '.', ttl: 518400, class: 'IN', data: x.name })),
        additionals: ROOTS.map((x) => ({ type: 'A', name: x.name, ttl: 518400, class: 'IN', data: x.ip })) }
      : root && type === 'A' ? { ...base, flags, answers: [{ type: 'A', name, ttl: 518400, class: 'IN', data: root.ip }] }
        : { ...base, flags: flags | 3 };
    s.send(packet.encode(reply), r.port, r.address);
  });
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  return { port: s.address().port, close: () => s.close() };
}

describe('dig +trace from a pod: the root servers are out of reach', () => {
  let c: LabCluster;
  let upstream: { port: number; close(): void };

  before(async () => {
    upstream = await stubUpstream();
    c = await labCluster({ api: true, nodeUpstreams: [{ host: '127.0.0.1', port: upstream.port }] });
    const { configMap, pod } = corednsObjects();
    c.store.create('configmaps', configMap);
    const dns = (await c.startPod(pod, '100.96.7.2')).procs.get('coredns')!;
    await waitFor(() => dns.ready(), { what: 'the CoreDNS pod to be ready' });
    c.setEndpoints('kube-system', 'kube-dns', ['100.96.7.2'], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]);
    await c.startPod({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dnsutils', namespace: 'default' },
      spec: { containers: [{ name: 'dnsutils', image: 'registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', command: ['sleep', 'infinity'] }] },
    }, '100.96.5.4');
  });
  after(async () => { await c.close(); upstream.close(); });

  test('. NS from the cluster DNS, then one timeout per root server, status 9', async () => {
    const started = Date.now();
    const r = await kubectl(c, ['exec', 'dnsutils', '--', 'dig', '+trace', '+time=1', '+tries=1', 'example.com']);
    const took = Date.now() - started;
    assert.equal(r.code, 9, r.stderr);
    assert.match(r.stdout, new RegExp('^\\n; <<>> DiG 9\\.9\\.5-9\\+deb8u19-Debian <<>> \\+trace \\+time=1 \\+tries=1 example\\.com\\n;; global options: \\+cmd\\n' +
      '\\.\\t\\t\\t\\d+\\tIN\\tNS\\ta\\.root-servers\\.net\\.\\n\\.\\t\\t\\t\\d+\\tIN\\tNS\\tb\\.root-servers\\.net\\.\\n' +
      ';; Received \\d+ bytes from 100\\.64\\.0\\.10#53\\(100\\.64\\.0\\.10\\) in \\d+ ms\\n\\n' +
      ';; connection timed out; no servers could be reached\\n$'));
    assert.equal(r.stderr, 'command terminated with exit code 9\n');
    // +time=1 +tries=1: one second for each of the two roots
    assert.ok(took >= 2000 && took < 6000, `took ${took} ms`);
    // +tries=2: each root twice
    const started2 = Date.now();
    const twice = await kubectl(c, ['exec', 'dnsutils', '--', 'dig', '+trace', '+time=1', '+tries=2', 'example.com']);
    assert.equal(twice.code, 9);
    assert.ok(Date.now() - started2 >= 4000, `took ${Date.now() - started2} ms`);
  });
});
