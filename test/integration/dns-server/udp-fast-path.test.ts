// The UDP listener's direct path into node's UDP handle (core/udp-listener.ts) against the public
// dgram path (DNS_UDP_FASTPATH=0): the same bytes for every kind of query, replies to the right
// client when many ask at once, no throw after close, and no change when node's internals differ.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { startTestServer, type TestServer } from '../../../dns-server/test-support/server.ts';
import { buildQuery, rawUdp } from '../../../dns-server/test-support/client.ts';
import { attachFastPath } from '../../../dns-server/core/udp-listener.ts';
import type { Dispatcher, Send } from '../../../dns-server/core/dispatch.ts';
import { waitFor } from '../../support/wait.ts';

const COREFILE = `example.org:0 {
    hosts {
        10.0.0.1 web.example.org
        10.0.0.2 web.example.org
        fd00::1 v6.example.org
    }
}`;

async function bound(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return s;
}

describe('UDP fast path', () => {
  let fast: TestServer;
  let plain: TestServer;
  before(async () => {
    fast = await startTestServer(COREFILE);
    plain = await startTestServer(COREFILE, { env: { ...process.env, DNS_UDP_FASTPATH: '0' } });
  });
  after(async () => {
    await fast.stop();
    await plain.stop();
  });

  test('node 20 internals are as the fast path expects (it is in use)', async () => {
    const s = await bound();
    try {
      let got: Buffer | undefined;
      const d = { handle: (buf: Buffer) => (got = buf) } as unknown as Dispatcher;
      assert.equal(attachFastPath(s, d), true);
      const c = await bound();
      c.send(Buffer.from('ping'), s.address().port, '127.0.0.1');
      await waitFor(() => got, { what: 'the datagram at the fast path\'s handler' });
      c.close();
      assert.equal(got?.toString(), 'ping');
    } finally {
      s.close();
    }
  });

  test('an unbound socket (no receive handler yet) is left alone', () => {
    const s = dgram.createSocket('udp4');
    try {
      assert.equal(attachFastPath(s, {} as Dispatcher), false);
    } finally {
      s.close();
    }
  });

  test('the same reply bytes as the public dgram path, cache miss and hit, with and without EDNS', async () => {
    const queries = [
      buildQuery('web.example.org', 'A', { id: 4242 }),
      buildQuery('WeB.example.ORG', 'A', { id: 7 }),
      buildQuery('v6.example.org', 'AAAA', { id: 9, edns: 1232 }),
      buildQuery('v6.example.org', 'AAAA', { id: 9, edns: 4096, do: true }),
      buildQuery('nope.example.org', 'A', { id: 11, edns: 512 }),
      buildQuery('web.example.org', 'TXT', { id: 12, rd: false }),
      buildQuery('outside.test', 'A', { id: 13 }),
      Buffer.from([0, 14, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63]), // truncated question: FORMERR
    ];
    for (let round = 0; round < 2; round++) {
      for (const q of queries) {
        const a = await rawUdp(fast.port, Buffer.from(q));
        const b = await rawUdp(plain.port, Buffer.from(q));
        assert.ok(a && b, `both answer ${q.toString('hex')}`);
        assert.equal(a.toString('hex'), b.toString('hex'), `round ${round}: ${q.toString('hex')}`);
      }
    }
  });

  test('a burst from several clients: every reply reaches the client that asked, with its id', async () => {
    const clients = await Promise.all([bound(), bound(), bound(), bound()]);
    const perClient = 500;
    try {
      const got = clients.map(() => new Set<number>());
      const done = Promise.all(
        clients.map((c, i) => new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 5000);
          c.on('message', (m) => {
            const id = m.readUInt16BE(0);
            // ids encode the client: a reply sent to the wrong client shows up here
            if (id % clients.length === i) got[i]!.add(id);
            if (got[i]!.size === perClient) { clearTimeout(t); resolve(); }
          });
        })),
      );
      for (let k = 0; k < perClient; k++) {
        for (let i = 0; i < clients.length; i++) {
          clients[i]!.send(buildQuery(k % 2 ? 'web.example.org' : 'v6.example.org', k % 3 ? 'A' : 'AAAA', { id: k * clients.length + i }), fast.port, '127.0.0.1');
        }
      }
      await done;
      // UDP may drop under a burst, but nearly all must arrive, each at its own client
      for (const g of got) assert.ok(g.size >= perClient * 0.9, `got ${g.size} of ${perClient}`);
    } finally {
      for (const c of clients) c.close();
    }
  });

  test('a reply computed after the socket closed is dropped without an exception', async () => {
    const s = await bound();
    let send: Send | undefined;
    const d = { handle: (_b: Buffer, _a: string, _p: number, _t: string, sd: Send) => (send = sd) } as unknown as Dispatcher;
    assert.equal(attachFastPath(s, d), true);
    const c = await bound();
    c.send(Buffer.from('x'), s.address().port, '127.0.0.1');
    await waitFor(() => send, { what: 'the datagram at the fast path\'s handler' });
    const port = c.address().port;
    await new Promise<void>((r) => s.close(() => r()));
    assert.doesNotThrow(() => send!(Buffer.from('late'), undefined, undefined, '127.0.0.1', port));
    c.close();
  });
});
