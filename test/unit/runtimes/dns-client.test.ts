// The busybox pod's stub resolver: one UDP exchange per query through the proxy, retried only
// after its timeout, from a port registered as the pod's.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import * as packet from 'dns-packet';
import { MemoryStore } from '../../../sandbox/cluster/store.ts';
import { createServiceProxy, type ServiceProxy } from '../../../sandbox/cluster/proxy/index.ts';
import { DnsClient, reverseName } from '../../../sandbox/cluster/runtimes/busybox/dns-client.ts';

describe('DnsClient', () => {
  let proxy: ServiceProxy;
  let server: dgram.Socket;
  const seen: Array<{ name: string; from: string }> = [];
  let delayMs = 0;
  let silent = false;

  before(async () => {
    proxy = createServiceProxy({ store: new MemoryStore() });
    server = dgram.createSocket('udp4');
    server.on('message', (m, r) => {
      const q = packet.decode(m);
      seen.push({ name: q.questions![0].name, from: proxy.clients.mapClient(r.address, r.port, 'udp').address });
      if (silent) return;
      const reply = packet.encode({ type: 'response', id: q.id, flags: 3, questions: q.questions });
      setTimeout(() => server.send(reply, r.port, r.address), delayMs);
    });
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', () => r()));
    proxy.backends.register('100.96.7.2', 53, 'UDP', { host: '127.0.0.1', port: server.address().port });
  });
  after(async () => {
    await proxy.close();
    server.close();
  });

  test('without a timeout option it waits for a slow answer, asking once', async () => {
    seen.length = 0;
    delayMs = 60;
    silent = false;
    const client = new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: undefined });
    const r = await client.query('100.96.7.2', 'nothere.default', 'A');
    assert.equal(r.rcode, 'NXDOMAIN');
    assert.deepEqual(seen, [{ name: 'nothere.default', from: '100.96.5.3' }], 'one query, seen as coming from the pod IP');
  });

  test('a silent server: one query per attempt, then TIMEOUT', async () => {
    seen.length = 0;
    silent = true;
    const client = new DnsClient({ podIP: '100.96.5.3', proxy, timeoutMs: 100, attempts: 2 });
    assert.equal((await client.query('100.96.7.2', 'x.default', 'A')).rcode, 'TIMEOUT');
    assert.equal(seen.length, 2);
  });

  test('no backend at the address: UNREACHABLE without sending', async () => {
    seen.length = 0;
    const client = new DnsClient({ podIP: '100.96.5.3', proxy });
    assert.equal((await client.query('100.96.9.9', 'x', 'A')).rcode, 'UNREACHABLE');
    assert.equal(seen.length, 0);
  });

  test('candidates: the name as typed, then the search list; a trailing dot means only itself', () => {
    const conf = { nameservers: ['100.64.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], ndots: 5 };
    assert.deepEqual(DnsClient.candidates('kubernetes.default', conf), ['kubernetes.default', 'kubernetes.default.default.svc.cluster.local', 'kubernetes.default.svc.cluster.local', 'kubernetes.default.cluster.local']);
    assert.deepEqual(DnsClient.candidates('kubernetes.default.svc.cluster.local.', conf), ['kubernetes.default.svc.cluster.local']);
    assert.equal(reverseName('100.64.0.10'), '10.0.64.100.in-addr.arpa');
    assert.equal(reverseName('fd00::1'), '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa');
  });
});
