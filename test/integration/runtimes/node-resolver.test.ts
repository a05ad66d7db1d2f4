// The node resolver over real sockets. It answers the nodes' names itself and forwards the rest to
// the host's nameservers (here a dnsmasq of the test's own on 127.0.0.1), SERVFAIL when they do not
// answer in time. Its TCP side answers length-prefixed queries, closes a connection that stays idle
// (as a DNS server does) instead of holding it forever, and closes one that keeps sending without
// reading its answers instead of queueing them without bound.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import dgram from 'node:dgram';
import * as packet from 'dns-packet';
import { resolvConfNameservers, startNodeResolver, TCP_IDLE_MS, UPSTREAM_TIMEOUT_MS, type NodeResolver } from '../../../sandbox/cluster/runtimes/dns/node-resolver.ts';
import { query } from '../../../dns-server/test-support/client.ts';
import { startDnsmasq, type Dnsmasq } from '../../support/dnsmasq.ts';

const NODE = 'ip-172-20-84-184.us-west-1.compute.internal';

function framed(id: number, name: string): Buffer {
  const q = packet.encode({ type: 'query', id, flags: packet.RECURSION_DESIRED, questions: [{ type: 'A', name, class: 'IN' }] });
  const head = Buffer.alloc(2);
  head.writeUInt16BE(q.length);
  return Buffer.concat([head, q]);
}

function connectTo(r: NodeResolver): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(r.port, r.host, () => resolve(s));
    s.on('error', reject);
  });
}

describe('node resolver over TCP', () => {
  let resolver: NodeResolver;
  before(async () => {
    // a short idle time so the test does not wait the real 8 s; the default is checked below
    resolver = await startNodeResolver(() => new Map([[NODE, '172.20.84.184']]), { tcpIdleMs: 300 });
  });
  after(() => resolver.close());

  test('the default idle time is the Go DNS library\'s 8 s', () => {
    assert.equal(TCP_IDLE_MS, 8000);
  });

  test('answers a query split across writes, then closes the connection once it is idle', async () => {
    const s = await connectTo(resolver);
    const got: Buffer[] = [];
    s.on('data', (d) => got.push(d));
    const closed = new Promise<void>((r) => s.on('close', () => r()));
    const q = framed(7, NODE);
    s.write(q.subarray(0, 5));
    s.write(q.subarray(5));
    await closed;
    const all = Buffer.concat(got);
    const reply = packet.decode(all.subarray(2, 2 + all.readUInt16BE(0)));
    assert.equal(reply.id, 7);
    assert.deepEqual(reply.answers?.map((a) => (a as packet.StringAnswer).data), ['172.20.84.184']);
  });

  test('a connection that never sends a byte is closed', async () => {
    const s = await connectTo(resolver);
    await new Promise<void>((r) => s.on('close', () => r()));
    assert.equal(s.bytesRead, 0);
  });

  test('a half-sent message does not keep the connection open', async () => {
    const s = await connectTo(resolver);
    s.write(framed(8, NODE).subarray(0, 10));
    await new Promise<void>((r) => s.on('close', () => r()));
    assert.equal(s.bytesRead, 0);
  });

  test('a client that sends queries without reading the answers is cut off', async () => {
    const s = await connectTo(resolver);
    s.pause(); // never read: the answers pile up in the kernel, then in the server
    s.on('error', () => undefined);
    const closed = new Promise<void>((r) => s.on('close', () => r()));
    let open = true;
    void closed.then(() => (open = false));
    const batch = Buffer.concat(Array.from({ length: 500 }, (_, i) => framed(i, 'nowhere.example')));
    // the kernel's socket buffers on both sides take a few MB of answers first (5 MB here);
    // without a bound the server went on past 60 MB
    const LIMIT = 32 * 1024 * 1024;
    let sent = 0;
    while (open && sent < LIMIT) {
      if (!s.write(batch)) await new Promise<void>((r) => { s.once('drain', () => r()); void closed.then(() => r()); });
      sent += batch.length;
    }
    const cutOff = !open;
    s.destroy();
    assert.ok(cutOff, `the server kept the connection through ${sent} bytes of queries whose answers were never read`);
  });
});

describe('node resolver: the nodes\' names, and the rest forwarded to the host\'s nameservers', () => {
  let upstream: Dnsmasq;
  let resolver: NodeResolver;
  let deaf: dgram.Socket;
  let unanswered: NodeResolver;
  let offline: NodeResolver;
  const nodes = () => new Map([[NODE, '172.20.84.184']]);
  before(async () => {
    upstream = await startDnsmasq({ addresses: { 'example.org': '192.0.2.10' } });
    resolver = await startNodeResolver(nodes, { upstreams: [{ host: upstream.host, port: upstream.port }] });
    // a nameserver that takes queries and never answers, and one that is not there at all
    deaf = dgram.createSocket('udp4');
    await new Promise<void>((r) => deaf.bind(0, '127.0.0.1', () => r()));
    unanswered = await startNodeResolver(nodes, { upstreams: [{ host: '127.0.0.1', port: deaf.address().port }], upstreamTimeoutMs: 300 });
    offline = await startNodeResolver(nodes, { upstreams: [{ host: '127.0.0.1', port: 9 }], upstreamTimeoutMs: 300 });
  });
  after(async () => {
    await Promise.all([resolver?.close(), unanswered?.close(), offline?.close(), upstream?.stop()]);
    deaf?.close();
  });

  const rows: Array<{ name: string; ask: string; transport: 'udp' | 'tcp'; rcode: string; data?: string; askedUpstream: boolean }> = [
    { name: 'a node name is answered by the node resolver itself', ask: NODE, transport: 'udp', rcode: 'NOERROR', data: '172.20.84.184', askedUpstream: false },
    { name: 'any other name goes to the host\'s nameserver, which answers it', ask: 'www.example.org', transport: 'udp', rcode: 'NOERROR', data: '192.0.2.10', askedUpstream: true },
    { name: 'over TCP too', ask: 'example.org', transport: 'tcp', rcode: 'NOERROR', data: '192.0.2.10', askedUpstream: true },
    { name: 'the upstream\'s NXDOMAIN is relayed', ask: 'a.nowhere.org', transport: 'udp', rcode: 'NXDOMAIN', askedUpstream: true },
    { name: 'a special-use top-level name is NXDOMAIN from the node itself (RFC 6761)', ask: 'a.nowhere.example', transport: 'udp', rcode: 'NXDOMAIN', askedUpstream: false },
  ];
  for (const row of rows) {
    test(row.name, async () => {
      const before = upstream.output();
      const r = await query(resolver.port, row.ask, 'A', { transport: row.transport, timeoutMs: 3000 });
      assert.equal(r.rcode, row.rcode);
      assert.deepEqual(r.answers?.map((a) => a.data), row.data ? [row.data] : []);
      assert.equal(upstream.output().slice(before.length).includes(`query[A] ${row.ask} from 127.0.0.1`), row.askedUpstream, upstream.output());
    });
  }

  test('an upstream that never answers: SERVFAIL once the timeout has passed; a node name is still answered', async () => {
    const r = await query(unanswered.port, 'example.org', 'A', { timeoutMs: 3000 });
    assert.equal(r.rcode, 'SERVFAIL');
    assert.equal(r.flag_ra, true);
    assert.equal((await query(unanswered.port, NODE, 'A', { timeoutMs: 3000 })).rcode, 'NOERROR');
  });

  test('offline, a search-list leftover whose last label is a namespace (kubernetes.default.) is still NXDOMAIN with the root\'s SOA', async () => {
    const withNamespaces = await startNodeResolver(nodes, {
      upstreams: [{ host: '127.0.0.1', port: deaf.address().port }], upstreamTimeoutMs: 300, localTlds: (tld) => ['default', 'kube-system'].includes(tld),
    });
    try {
      for (const type of ['A', 'AAAA'] as const) {
        const r = await query(withNamespaces.port, 'kubernetes.default.', type, { timeoutMs: 3000 });
        assert.equal(r.rcode, 'NXDOMAIN', type);
        assert.equal((r.authorities?.[0] as packet.Answer | undefined)?.name, '.');
      }
      assert.equal((await query(withNamespaces.port, 'kubernetes.dev', 'A', { timeoutMs: 3000 })).rcode, 'SERVFAIL', 'other names still go upstream');
    } finally {
      await withNamespaces.close();
    }
  });

  test('an upstream that is not there (an offline machine): SERVFAIL, over TCP too', async () => {
    assert.equal((await query(offline.port, 'example.org', 'A', { timeoutMs: 3000 })).rcode, 'SERVFAIL');
    assert.equal((await query(offline.port, 'example.org', 'A', { transport: 'tcp', timeoutMs: 3000 })).rcode, 'SERVFAIL');
  });

  test('the timeout is below CoreDNS forward\'s 2 s read timeout, so a DNS pod relays the SERVFAIL instead of timing out', () => {
    assert.ok(UPSTREAM_TIMEOUT_MS < 2000);
  });

  test('the host\'s nameservers come from its resolv.conf; none named means the local machine\'s (resolv.conf(5))', () => {
    assert.deepEqual(resolvConfNameservers('# comment\nsearch example.com\nnameserver 10.255.255.53\nnameserver fd00::53\noptions ndots:1\n'),
      [{ host: '10.255.255.53', port: 53 }, { host: 'fd00::53', port: 53 }]);
    assert.deepEqual(resolvConfNameservers('search example.com\n'), [{ host: '127.0.0.1', port: 53 }]);
  });
});
