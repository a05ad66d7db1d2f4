// Throws 100,000+ random and mutated packets at a running server (UDP, and a share over TCP),
// then checks it still answers correctly. Seeded, so a failure can be replayed (FUZZ_SEED=n).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startTestServer, type TestServer } from '../../../dns-server/test-support/server.ts';
import { query, buildQuery } from '../../../dns-server/test-support/client.ts';
import { waitFor } from '../../support/wait.ts';

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);

/** mulberry32: small, seedable */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ['A', 'AAAA', 'SRV', 'PTR', 'TXT', 'ANY', 'AXFR', 'MX', 'SOA', 'NS', 'CNAME', 'HINFO'];
const NAMES = ['web.example.org', 'WEB.EXAMPLE.ORG', 'nope.example.org', 'example.org', 'x.y.z.example.org', 'outside.net', '10.0.0.10.in-addr.arpa'];

function makePacket(r: () => number): Buffer {
  const int = (n: number) => Math.floor(r() * n);
  const kind = r();
  if (kind < 0.25) {
    const b = Buffer.allocUnsafe(int(600));
    for (let i = 0; i < b.length; i++) b[i] = int(256);
    return b;
  }
  const base = buildQuery(NAMES[int(NAMES.length)]!, TYPES[int(TYPES.length)]!, {
    id: int(65536),
    edns: r() < 0.5 ? int(5000) : undefined,
    do: r() < 0.3,
  });
  const b = Buffer.from(base);
  const m = r();
  if (m < 0.3) {
    for (let k = 0, n = 1 + int(4); k < n; k++) b[int(b.length)] = int(256);
    return b;
  }
  if (m < 0.45) return b.subarray(0, int(b.length));
  if (m < 0.6) {
    // header counts that lie
    b.writeUInt16BE(int(65536), 4 + 2 * int(4));
    return b;
  }
  if (m < 0.75) {
    // compression pointers anywhere in the question: loops, forward and out-of-range targets
    const at = 12 + int(Math.max(1, b.length - 14));
    b[at] = 0xc0 | int(64);
    b[at + 1] = int(256);
    return b;
  }
  if (m < 0.85) {
    // labels longer than 63 / names longer than 255
    const long = Buffer.alloc(300 + int(200), 0x3f);
    return Buffer.concat([b.subarray(0, 12), long, b.subarray(12)]);
  }
  if (m < 0.92) {
    b[2] = int(256); // QR, opcode, flags
    return b;
  }
  return b; // valid
}

describe('fuzz', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(`example.org:0 {
    errors
    any
    loadbalance
    cache 30
    hosts {
        10.0.0.1 web.example.org
        10.0.0.2 web.example.org
        fd00::1 web.example.org
    }
}
.:0 {
    whoami
}`);
  });
  after(() => s.stop());

  /**
   * UDP may drop under a flood (and on a loaded machine): ask again and again, letting the
   * server drain. The server runs in this process, so a failure says how long this process's
   * event loop was held up meanwhile (the machine, not the server, when that is most of the wait).
   */
  const udpQuery = async (...args: Parameters<typeof query>) => {
    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    try {
      return await waitFor(() => query(...args), {
        what: `a UDP reply for ${args[1]} ${args[2]}`,
        timeout: 45_000,
        interval: 500,
        show: () => `the event loop was held up for up to ${Math.round(loop.max / 1e6)} ms at a time meanwhile`,
      });
    } finally {
      loop.disable();
    }
  };

  const correct = async () => {
    const a = await udpQuery(s.port, 'web.example.org', 'A', { timeoutMs: 2000 });
    assert.deepEqual(a.answers!.map((x) => String(x.data)).sort(), ['10.0.0.1', '10.0.0.2']);
    const t = await query(s.port, 'Web.Example.Org', 'AAAA', { transport: 'tcp' });
    assert.deepEqual(t.answers!.map((x) => String(x.data)), ['fd00::1']);
    assert.equal(t.questions![0]!.name, 'Web.Example.Org');
    const e = await udpQuery(s.port, 'web.example.org', 'A', { edns: 1232, do: true, timeoutMs: 2000 });
    assert.ok(e.additionals!.some((x) => x.type === 'OPT'));
  };

  test(`100,000 UDP packets (seed ${SEED}), then correct answers`, async () => {
    await correct();
    const r = rng(SEED);
    const sock = dgram.createSocket({ type: 'udp4', recvBufferSize: 1 << 20 });
    sock.on('message', () => {});
    await new Promise<void>((res) => sock.bind(0, '127.0.0.1', () => res()));
    let sent = 0;
    try {
      while (sent < 100_000) {
        // bursts small enough for the socket buffers, with a turn of the event loop between
        for (let i = 0; i < 200; i++, sent++) sock.send(makePacket(r), s.port, '127.0.0.1');
        await new Promise((res) => setImmediate(res));
        if (sent % 20_000 === 0) await correct();
      }
    } finally {
      sock.close();
    }
    assert.equal(sent, 100_000);
    await correct();
    assert.equal(s.handle.ready(), true);
    assert.deepEqual(s.logs.filter((l) => l.startsWith('[ERROR]') && !l.startsWith('[ERROR] plugin/errors')), [], 'no internal errors');
  });

  test(`5,000 packets over TCP connections (seed ${SEED + 1}), framed and unframed, then correct answers`, async () => {
    const r = rng(SEED + 1);
    let sent = 0;
    for (let c = 0; c < 50; c++) {
      await new Promise<void>((resolve) => {
        const sock = net.connect({ port: s.port, host: '127.0.0.1' });
        sock.on('error', () => {});
        sock.on('data', () => {});
        sock.on('close', () => resolve());
        sock.on('connect', () => {
          for (let i = 0; i < 100; i++, sent++) {
            const p = makePacket(r);
            if (r() < 0.9) {
              const f = Buffer.allocUnsafe(2 + p.length);
              f.writeUInt16BE(r() < 0.95 ? p.length : Math.floor(r() * 65536), 0);
              p.copy(f, 2);
              sock.write(f);
            } else sock.write(p);
          }
          setTimeout(() => sock.destroy(), 20);
        });
      });
    }
    assert.equal(sent, 5000);
    await correct();
  });
});
