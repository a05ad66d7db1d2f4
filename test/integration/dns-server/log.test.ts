// The log plugin's line, field by field, for answers from the chain and from the answer cache.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../../dns-server/test-support/server.ts';
import { query, dig } from '../../../dns-server/test-support/client.ts';

const LINE = /^\[INFO\] (\S+):(\d+) - (\d+) "(\S+) (\S+) (\S+) (udp|tcp) (\d+) (true|false) (\d+)" (\S+) (\S*) (\d+) (\d+(?:\.\d+)?)s$/;

describe('log', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer(`example.org:0 {
    log
    hosts {
        10.0.0.1 web.example.org
    }
}
quiet.example:0 {
    log stdout
    log . {
        class denial
    }
    hosts {
        10.0.0.9 a.quiet.example
        fallthrough
    }
}`);
  });
  after(() => s.stop());

  const lastFor = (id: number) => s.waitForLog(new RegExp(`^\\[INFO\\] \\S+ - ${id} "`));

  const rows = [
    { name: 'UDP without EDNS', opts: {}, proto: 'udp', size: 33, do: 'false', buf: '512' },
    { name: 'UDP with EDNS 1232 and DO', opts: { edns: 1232, do: true }, proto: 'udp', size: 44, do: 'true', buf: '1232' },
    { name: 'UDP with EDNS below 512', opts: { edns: 300 }, proto: 'udp', size: 44, do: 'false', buf: '512' },
    { name: 'TCP', opts: { transport: 'tcp' as const }, proto: 'tcp', size: 33, do: 'false', buf: '65535' },
  ];
  let id = 1000;
  for (const r of rows)
    for (const pass of ['from the chain', 'from the answer cache'])
      test(`${r.name}, ${pass}: every field`, async () => {
        const myId = ++id;
        await query(s.port, 'Web.Example.org', 'A', { ...r.opts, id: myId });
        const line = await lastFor(myId);
        const m = LINE.exec(line);
        assert.ok(m, `not in CoreDNS's format: ${line}`);
        const [, remote, port, qid, type, cls, name, proto, size, dnssec, buf, rcode, flags, rsize] = m!;
        assert.equal(remote, '127.0.0.1');
        assert.ok(Number(port) > 0);
        assert.equal(Number(qid), myId);
        assert.equal(type, 'A');
        assert.equal(cls, 'IN');
        assert.equal(name, 'web.example.org.');
        assert.equal(proto, r.proto);
        assert.equal(Number(size), r.size);
        assert.equal(dnssec, r.do);
        assert.equal(buf, r.buf);
        assert.equal(rcode, 'NOERROR');
        assert.equal(flags, 'qr,aa,rd');
        // 12 header + 21 question + answer: 17 name + 10 + 4, uncompressed, without OPT
        assert.equal(Number(rsize), 64);
      });

  test('an error with nothing written is logged as the client gets it (SERVFAIL, qr,rd)', async () => {
    // the same length arithmetic: 12 + 38 + 4
    const q = await query(s.port, 'nothere.example.org', 'A', { id: 7 });
    assert.equal(q.rcode, 'SERVFAIL');
    const line = await lastFor(7);
    assert.match(line, /"A IN nothere\.example\.org\. udp 37 false 512" SERVFAIL qr,rd 37 /);
  });

  test('class denial logs only NXDOMAIN; "log stdout" from 2017 logs everything', async () => {
    await query(s.port, 'a.quiet.example', 'A', { id: 501 });
    await query(s.port, 'none.quiet.example', 'A', { id: 502 });
    const ok = s.logs.filter((l) => l.includes(' - 501 "'));
    assert.equal(ok.length, 1, 'NOERROR logged once (by "log stdout"), not by the denial-only log');
    const refused = await query(s.port, 'outside.net', 'A', { id: 503 });
    assert.equal(refused.rcode, 'REFUSED');
    assert.equal(s.logs.filter((l) => l.includes(' - 503 "')).length, 0, 'names outside every zone never reach a plugin');
  });

  test('dig sees what the log says', async () => {
    const r = await dig(s.port, ['web.example.org', '+noall', '+comments']);
    const m = /id: (\d+)/.exec(r.stdout);
    assert.ok(m);
    const line = await lastFor(Number(m![1]));
    assert.match(line, /"A IN web\.example\.org\. udp \d+ false 1232" NOERROR qr,aa,rd 64 /);
  });
});
