// The server on the wire, asked by the real dig and by raw sockets: answers, flags, EDNS0,
// truncation, TCP framing, case, REFUSED outside the zones, FORMERR/NOTIMP for broken queries.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import { startTestServer, type TestServer } from '../../../dns-server/test-support/server.ts';
import { dig, query, rawUdp, tcpMany, buildQuery } from '../../../dns-server/test-support/client.ts';

const many = Array.from({ length: 60 }, (_v, i) => `        10.1.${Math.floor(i / 250)}.${(i % 250) + 1} big.example.org`).join('\n');

const COREFILE = `example.org:0 {
    hosts {
        10.0.0.1 web.example.org
        10.0.0.2 web.example.org
        fd00::1 v6.example.org
${many}
    }
}`;

describe('server on the wire', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(COREFILE);
  });
  after(() => s.stop());

  test('dig gets both A records, authoritative, with the question echoed', async () => {
    const r = await dig(s.port, ['web.example.org', 'A', '+noall', '+answer', '+comments']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /status: NOERROR/);
    assert.match(r.stdout, /flags: qr aa rd;/);
    const lines = r.stdout.split('\n').filter((l) => /\sIN\s+A\s/.test(l)).map((l) => l.split(/\s+/).pop()).sort();
    assert.deepEqual(lines, ['10.0.0.1', '10.0.0.2']);
  });

  test('a reply that fits goes out uncompressed, as CoreDNS 1.11 sends it (request.Scrub: miekg/dns Truncate clears Compress)', async () => {
    const r = await query(s.port, 'web.example.org', 'A');
    // header 12 + question 21 + two answers of name 17 + type/class/ttl/rdlen 10 + IPv4 4
    assert.equal(r.raw.length, 12 + 21 + 2 * 31);
    assert.deepEqual(r.answers!.map((a) => a.name), ['web.example.org', 'web.example.org']);
  });

  test('the same over TCP', async () => {
    const r = await dig(s.port, ['+tcp', '+short', 'web.example.org']);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), ['10.0.0.1', '10.0.0.2']);
  });

  test('names are case-insensitive and the answer echoes the question case (also from the answer cache)', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await query(s.port, 'WeB.ExAmPlE.oRg', 'A');
      assert.equal(r.questions![0]!.name, 'WeB.ExAmPlE.oRg');
      assert.equal(r.answers!.length, 2);
      assert.ok(r.answers!.every((a) => a.name === 'WeB.ExAmPlE.oRg'));
    }
  });

  test('an existing name without records of the type is NODATA', async () => {
    const r = await query(s.port, 'v6.example.org', 'A');
    assert.equal(r.rcode, 'NOERROR');
    assert.equal(r.answers!.length, 0);
    assert.equal(r.flag_aa, true);
  });

  test('names outside every zone are REFUSED, not authoritative', async () => {
    const r = await dig(s.port, ['kubernetes.io', '+noall', '+comments']);
    assert.match(r.stdout, /status: REFUSED/);
    assert.doesNotMatch(r.stdout, /flags:[^;]* aa/);
  });

  test('EDNS0: the OPT comes back with the buffer size and DO bit', async () => {
    const r = await query(s.port, 'web.example.org', 'A', { edns: 1232, do: true });
    const opt = r.additionals!.find((a) => a.type === 'OPT') as unknown as { udpPayloadSize: number; flag_do: boolean };
    assert.ok(opt, 'no OPT in the answer');
    assert.equal(opt.udpPayloadSize, 1232);
    assert.equal(opt.flag_do, true);
    const plain = await query(s.port, 'web.example.org', 'A');
    assert.equal(plain.additionals!.length, 0);
    const d = await dig(s.port, ['web.example.org', '+dnssec', '+bufsize=1400', '+noall', '+comments']);
    assert.match(d.stdout, /; EDNS: version: 0, flags: do; udp: 1400/);
  });

  test('EDNS version 1 gets BADVERS', async () => {
    const q = buildQuery('web.example.org', 'A', { edns: 1232 });
    q[q.length - 5] = 1; // OPT TTL byte 2: version
    const raw = await rawUdp(s.port, q);
    const m = dnsPacket.decode(raw!);
    const opt = m.additionals!.find((a) => a.type === 'OPT') as unknown as { extendedRcode: number };
    assert.equal(opt.extendedRcode, 1);
    assert.equal(m.answers!.length, 0);
  });

  test('an answer too big for UDP is truncated with TC and complete over TCP', async () => {
    const udp = await query(s.port, 'big.example.org', 'A');
    assert.equal(udp.flag_tc, true);
    // as many whole records as fit in 512 bytes: 12 + 21 + n * 16
    assert.equal(udp.answers!.length, Math.floor((512 - 33) / 16));
    assert.ok(udp.raw.length <= 512);
    const big = await query(s.port, 'big.example.org', 'A', { edns: 4096 });
    assert.equal(big.flag_tc, false);
    assert.equal(big.answers!.length, 60);
    const tcp = await query(s.port, 'big.example.org', 'A', { transport: 'tcp' });
    assert.equal(tcp.answers!.length, 60);
    const r = await dig(s.port, ['big.example.org', '+short', '+ignore', '+bufsize=0', '+noedns']);
    assert.equal(r.stdout.trim().split('\n').length, 29, 'with +ignore dig shows the truncated answer and does not retry');
    const retried = await dig(s.port, ['big.example.org', '+short', '+noedns']);
    assert.equal(retried.stdout.trim().split('\n').length, 60, 'dig retries over TCP after TC');
  });

  test('several queries on one TCP connection are all answered', async () => {
    const ids = [11, 12, 13, 14, 15];
    const answers = await tcpMany(s.port, ids.map((id) => buildQuery(id % 2 ? 'web.example.org' : 'v6.example.org', id % 2 ? 'A' : 'AAAA', { id })));
    assert.deepEqual(answers.map((a) => a.readUInt16BE(0)).sort(), ids);
    for (const a of answers) assert.equal(dnsPacket.decode(a).answers!.length > 0, true);
  });

  test('garbage with a readable header gets FORMERR; too short is dropped', async () => {
    const bad = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 0x41]);
    const r = await rawUdp(s.port, bad);
    assert.ok(r, 'expected an answer');
    assert.equal(r!.readUInt16BE(0), 0x1234);
    assert.equal(r!.readUInt16BE(2) & 0x800f, 0x8001);
    assert.equal(await rawUdp(s.port, Buffer.from([1, 2, 3]), 500), undefined);
  });

  test('an opcode other than QUERY gets NOTIMP', async () => {
    const q = buildQuery('web.example.org', 'A');
    q[2] = (q[2]! & 0x87) | (2 << 3); // opcode STATUS
    const r = await rawUdp(s.port, q);
    assert.equal(r!.readUInt16BE(2) & 0xf, 4);
  });

  test('compression pointers that loop or point forward get FORMERR, not a hang', async () => {
    const header = Buffer.from([0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
    const selfLoop = Buffer.concat([header, Buffer.from([0xc0, 12, 0x00, 0x01, 0x00, 0x01])]);
    const forward = Buffer.concat([
      header,
      Buffer.from([3, 0x77, 0x77, 0x77, 0xc0, 30, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]);
    for (const q of [selfLoop, forward]) {
      const r = await rawUdp(s.port, q);
      assert.ok(r, 'the server must answer');
      assert.equal(r!.readUInt16BE(0), 0xabcd);
      assert.equal(r!.readUInt16BE(2) & 0xf, 1);
    }
    assert.equal((await query(s.port, 'web.example.org', 'A')).answers!.length, 2);
  });
});
