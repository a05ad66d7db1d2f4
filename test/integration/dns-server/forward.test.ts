// forward and proxy against real upstreams: a second server instance (hosts), a dead port,
// an upstream that answers only over TCP when the UDP answer is truncated.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import { startTestServer, type TestServer } from '../../../dns-server/test-support/server.ts';
import { query, dig } from '../../../dns-server/test-support/client.ts';

/** a UDP port nobody answers on (bound and silent, so queries time out rather than get ICMP); it keeps the names it was asked */
async function silentPort(): Promise<{ port: number; asked: string[]; close(): void }> {
  const s = dgram.createSocket('udp4');
  const asked: string[] = [];
  s.on('message', (m) => {
    try {
      const q = dnsPacket.decode(m).questions?.[0];
      if (q) asked.push(`${q.type} ${q.name}`);
    } catch {
      // not a DNS message: nothing to keep
    }
  });
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  return { port: s.address().port, asked, close: () => s.close() };
}

const bigHosts = Array.from({ length: 50 }, (_v, i) => `        10.2.0.${i + 1} big.upstream.test`).join('\n');

describe('forward', () => {
  let upstream: TestServer;
  let silent: { port: number; asked: string[]; close(): void };
  before(async () => {
    upstream = await startTestServer(`upstream.test:0 {
    log
    hosts {
        10.9.9.9 www.upstream.test
${bigHosts}
    }
}`);
    silent = await silentPort();
  });
  after(async () => {
    await upstream.stop();
    silent.close();
  });

  test('answers come from the upstream with its flags, and are asked again every time', async () => {
    const s = await startTestServer(`.:0 {
    log
    forward . 127.0.0.1:${upstream.port}
}`);
    try {
      const r = await query(s.port, 'www.upstream.test', 'A', { id: 77 });
      assert.deepEqual(r.answers!.map((a) => a.data), ['10.9.9.9']);
      assert.equal(r.flag_aa, true, 'hosts upstream sets aa, and forward passes the upstream flags through');
      const line = await s.waitForLog(/ - 77 "/);
      assert.match(line, /NOERROR qr,aa,rd /);
      // the second time is not served from our answer cache: forward is volatile
      const asked = () => upstream.logs.filter((l) => l.includes('"A IN www.upstream.test.')).length;
      const before = asked();
      await query(s.port, 'www.upstream.test', 'A', { id: 78 });
      assert.equal(asked(), before + 1);
    } finally {
      await s.stop();
    }
  });

  test('the upstream is asked over the transport the client used; a truncated UDP answer reaches the client with TC', async () => {
    const s = await startTestServer(`.:0 {
    forward . 127.0.0.1:${upstream.port}
}`);
    try {
      const r = await query(s.port, 'big.upstream.test', 'A', { transport: 'tcp' });
      assert.equal(r.answers!.length, 50);
      assert.equal(r.flag_tc, false);
      const udp = await query(s.port, 'big.upstream.test', 'A');
      assert.equal(udp.flag_tc, true, 'forward does not retry over TCP without prefer_udp');
      assert.ok(udp.answers!.length > 0 && udp.answers!.length < 50, `a partial answer, got ${udp.answers!.length} records`);
      const udpAsks = upstream.logs.filter((l) => /"A IN big\.upstream\.test\. udp /.test(l)).length;
      // dig retries over TCP after TC, and forward then asks over TCP too
      const d = await dig(s.port, ['+short', '+noedns', 'big.upstream.test']);
      assert.equal(d.stdout.trim().split('\n').length, 50);
      assert.equal(upstream.logs.filter((l) => /"A IN big\.upstream\.test\. udp /.test(l)).length, udpAsks + 1);
    } finally {
      await s.stop();
    }
  });

  test('with prefer_udp a query from a TCP client goes over UDP first, and a truncated answer is asked again over TCP', async () => {
    const s = await startTestServer(`.:0 {
    forward . 127.0.0.1:${upstream.port} {
        prefer_udp
    }
}`);
    try {
      const asked = (proto: string) => upstream.logs.filter((l) => l.includes(`"A IN big.upstream.test. ${proto} `)).length;
      const [u0, t0] = [asked('udp'), asked('tcp')];
      const r = await query(s.port, 'big.upstream.test', 'A', { transport: 'tcp' });
      assert.equal(r.flag_tc, false);
      assert.equal(r.answers!.length, 50);
      await upstream.waitForLog(/"A IN big\.upstream\.test\. tcp /);
      assert.deepEqual([asked('udp') - u0, asked('tcp') - t0], [1, 1]);
    } finally {
      await s.stop();
    }
  });

  test('a dead upstream is skipped after max_fails and the live one answers', async () => {
    const s = await startTestServer(`.:0 {
    errors
    forward . 127.0.0.1:${silent.port} 127.0.0.1:${upstream.port} {
        policy sequential
        max_fails 1
        health_check 5s
    }
}`);
    try {
      // first query: the silent one times out (2 s), then the live one answers
      const first = await query(s.port, 'www.upstream.test', 'A', { timeoutMs: 6000 });
      assert.deepEqual(first.answers!.map((a) => a.data), ['10.9.9.9']);
      // now the silent upstream is down: answers come straight from the live one
      const again = await query(s.port, 'www.upstream.test', 'A', { timeoutMs: 1000 });
      assert.deepEqual(again.answers!.map((a) => a.data), ['10.9.9.9']);
    } finally {
      await s.stop();
    }
  });

  test('when every upstream fails: asked again until the 5 s deadline, then SERVFAIL, and errors logs the timeout once', async () => {
    const s = await startTestServer(`.:0 {
    errors
    forward . 127.0.0.1:${silent.port}
}`);
    try {
      const before = silent.asked.filter((q) => q === 'A www.upstream.test').length;
      const r = await query(s.port, 'www.upstream.test', 'A', { timeoutMs: 10_000 });
      assert.equal(r.rcode, 'SERVFAIL');
      // forward.go ServeDNS tries again until its 5 s deadline: at 0, 2 and 4 s, each waiting the 2 s read timeout
      assert.equal(silent.asked.filter((q) => q === 'A www.upstream.test').length - before, 3, silent.asked.join(', '));
      const line = await s.waitForLog(/plugin\/errors/);
      assert.equal(s.logs.filter((l) => /plugin\/errors/.test(l)).length, 1, s.logs.join('\n'));
      assert.match(line, new RegExp(`^\\[ERROR\\] plugin/errors: 2 www\\.upstream\\.test\\. A: read udp 0\\.0\\.0\\.0:\\d+->127\\.0\\.0\\.1:${silent.port}: i/o timeout$`));
    } finally {
      await s.stop();
    }
  });

  test('FROM and except limit what is forwarded', async () => {
    const s = await startTestServer(`.:0 {
    forward upstream.test 127.0.0.1:${upstream.port} {
        except big.upstream.test
    }
}`);
    try {
      assert.equal((await query(s.port, 'www.upstream.test', 'A')).answers!.length, 1);
      assert.equal((await query(s.port, 'big.upstream.test', 'A')).rcode, 'SERVFAIL');
      assert.equal((await query(s.port, 'example.com', 'A')).rcode, 'SERVFAIL');
    } finally {
      await s.stop();
    }
  });

  test('proxy (2017) is served as forward and logs a deprecation warning', async () => {
    const s = await startTestServer(`.:0 {
    proxy . 127.0.0.1:${upstream.port} {
        policy least_conn
        fail_timeout 10s
    }
}`);
    try {
      assert.match(await s.waitForLog(/plugin\/proxy/), /^\[WARNING\] plugin\/proxy: "proxy" is deprecated .* handles it as "forward"/);
      assert.ok(s.logs.some((l) => /option "fail_timeout" has no effect/.test(l)));
      assert.deepEqual((await query(s.port, 'www.upstream.test', 'A')).answers!.map((a) => a.data), ['10.9.9.9']);
    } finally {
      await s.stop();
    }
  });

  test("an upstream's answer to another question: FORMERR at once, the upstream neither asked again nor marked failed (forward.go, request.Match)", async () => {
    // answers every query with the right id but the question of another name
    const liar = dgram.createSocket('udp4');
    let asked = 0;
    liar.on('message', (m, from) => {
      asked++;
      const q = dnsPacket.decode(m);
      const wrong = dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'other.upstream.test', class: 'IN' }] });
      liar.send(wrong, from.port, from.address);
    });
    await new Promise<void>((r) => liar.bind(0, '127.0.0.1', () => r()));
    const s = await startTestServer(`.:0 {
    log
    forward . 127.0.0.1:${liar.address().port} {
        max_fails 1
    }
}`);
    try {
      const t0 = Date.now();
      const r = await query(s.port, 'www.upstream.test', 'A', { id: 91, timeoutMs: 3000 });
      assert.equal(r.rcode, 'FORMERR');
      assert.deepEqual(r.questions?.map((q) => q.name), ['www.upstream.test'], 'the reply carries the client\'s own question');
      assert.ok(Date.now() - t0 < 1000, 'at once, not after retries');
      assert.match(await s.waitForLog(/ - 91 "/), /"A IN www\.upstream\.test\. udp \d+ false \d+" FORMERR /);
      assert.equal(asked, 1);
      // not marked down: the next query is sent to it again, not answered "no healthy upstream"
      assert.equal((await query(s.port, 'www.upstream.test', 'A', { id: 92, timeoutMs: 3000 })).rcode, 'FORMERR');
      assert.equal(asked, 2);
    } finally {
      await s.stop();
      liar.close();
    }
  });

  test('forward reads nameservers from a resolv.conf file', async () => {
    const s = await startTestServer(`.:0 {
    forward . $DIR/resolv.conf
}`, { files: { 'resolv.conf': '# test\nsearch default.svc.cluster.local\nnameserver 127.0.0.1\noptions ndots:5\n' } });
    try {
      // port 53 on 127.0.0.1 is not ours; what matters is that the file was read (setup succeeded)
      assert.ok(s.port > 0);
    } finally {
      await s.stop();
    }
  });
});
