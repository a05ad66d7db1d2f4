// The node resolver's TCP side over real sockets: it answers length-prefixed queries, closes a
// connection that stays idle (as a DNS server does) instead of holding it forever, and closes
// one that keeps sending without reading its answers instead of queueing them without bound.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import * as packet from 'dns-packet';
import { startNodeResolver, TCP_IDLE_MS, type NodeResolver } from '../../../sandbox/cluster/runtimes/dns/node-resolver.ts';

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
