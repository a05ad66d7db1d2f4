// The hot path's building blocks: scanQuery's accept/reject table, the answer cache's exact
// matching, and the chain's rule for which answers may be reused.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { scanQuery } from '../../../dns-server/wire/scan.ts';
import { AnswerCache, KIND_PLAIN, KIND_EDNS, hashQuestion, type CachedAnswer } from '../../../dns-server/core/answer-cache.ts';
import { Chain, attachTracker } from '../../../dns-server/core/chain.ts';
import type { FastClass } from '../../../dns-server/core/fast-path.ts';
import type { DnsMessage, DnsRequest, Handler } from '../../../dns-server/core/plugin.ts';
import { buildQuery } from '../../../dns-server/test-support/client.ts';

describe('scanQuery', () => {
  const plain = buildQuery('web.example.org', 'A', { id: 1 });
  const edns = buildQuery('web.example.org', 'AAAA', { id: 2, edns: 1232, do: true });
  const rows: Array<{ name: string; buf: Buffer; want: Partial<ReturnType<typeof scanQuery>> | undefined }> = [
    { name: 'plain A', buf: plain, want: { qend: plain.length, qtype: 1, qclass: 1, edns: false, ednsSize: 0, do: false } },
    { name: 'EDNS with DO', buf: edns, want: { qend: edns.length - 11, qtype: 28, edns: true, ednsSize: 1232, do: true } },
    { name: 'a response (QR set)', buf: Buffer.from(plain).fill(0x80, 2, 3), want: undefined },
    { name: 'QDCOUNT 2', buf: Buffer.from(plain).fill(2, 5, 6), want: undefined },
    { name: 'trailing garbage', buf: Buffer.concat([plain, Buffer.from([1])]), want: undefined },
    { name: 'cut in the name', buf: plain.subarray(0, 20), want: undefined },
    { name: 'compression pointer in the name', buf: Buffer.concat([plain.subarray(0, 12), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]), want: undefined },
    { name: 'EDNS version 1', buf: Buffer.from(edns).fill(1, edns.length - 5, edns.length - 4), want: undefined },
    { name: 'OPT with options (cookie) still scans', buf: withCookie(edns), want: { edns: true, ednsSize: 1232 } },
  ];
  for (const r of rows)
    test(r.name, () => {
      const got = scanQuery(r.buf);
      if (r.want === undefined) assert.equal(got, undefined);
      else {
        assert.ok(got);
        for (const [k, v] of Object.entries(r.want)) assert.equal((got as unknown as Record<string, unknown>)[k], v, k);
      }
    });
});

function withCookie(q: Buffer): Buffer {
  const opt = Buffer.from([0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
  const out = Buffer.concat([q, opt]);
  out.writeUInt16BE(opt.length, q.length - 2);
  return out;
}

describe('AnswerCache', () => {
  const entry = (q: Buffer, kind: number): CachedAnswer => ({
    question: Buffer.from(q.subarray(12)), kind, flags: 0x8400, an: 0, ns: 0, ar: 0, tail: Buffer.alloc(0), rcode: 0, rsize: q.length, plugin: 'hosts', zone: '.', chain: 0, rrsets: [],
  });

  test('hits only the same bytes and the same EDNS kind; case matters (answers echo it)', () => {
    const c = new AnswerCache();
    const q = buildQuery('web.example.org', 'A');
    c.set(q, q.length, entry(q, KIND_PLAIN), c.generation);
    assert.ok(c.get(q, q.length, KIND_PLAIN));
    assert.equal(c.get(q, q.length, KIND_EDNS), undefined);
    const upper = buildQuery('WEB.example.org', 'A');
    assert.equal(c.get(upper, upper.length, KIND_PLAIN), undefined);
    const aaaa = buildQuery('web.example.org', 'AAAA');
    assert.equal(c.get(aaaa, aaaa.length, KIND_PLAIN), undefined);
  });

  test('clear() drops everything, and answers computed before it are not stored after it', () => {
    const c = new AnswerCache();
    const q = buildQuery('web.example.org', 'A');
    const gen = c.generation;
    c.clear();
    c.set(q, q.length, entry(q, KIND_PLAIN), gen);
    assert.equal(c.size, 0);
  });

  test('keys stay below 2^30, so a Map lookup never boxes a heap number', () => {
    for (let i = 0; i < 2000; i++) {
      const q = buildQuery(`name-${i}.ns-${i % 7}.svc.cluster.local`, i % 2 ? 'A' : 'AAAA');
      for (const kind of [KIND_PLAIN, KIND_EDNS]) {
        const h = hashQuestion(q, q.length, kind);
        assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 30, `hash ${h}`);
      }
    }
  });

  test('bounded', () => {
    const c = new AnswerCache(10);
    for (let i = 0; i < 25; i++) {
      const q = buildQuery(`n${i}.example.org`, 'A');
      c.set(q, q.length, entry(q, KIND_PLAIN), c.generation);
    }
    assert.ok(c.size <= 10);
  });

  test('names asked again survive a flood of one-off names; the flood does not', () => {
    const c = new AnswerCache(100);
    const hot = Array.from({ length: 20 }, (_v, i) => buildQuery(`hot${i}.example.org`, 'A'));
    for (const q of hot) c.set(q, q.length, entry(q, KIND_PLAIN), c.generation);
    const flood = Array.from({ length: 1000 }, (_v, i) => buildQuery(`once${i}.example.org`, 'A'));
    for (const [i, q] of flood.entries()) {
      c.set(q, q.length, entry(q, KIND_PLAIN), c.generation);
      // the hot names keep being asked while the flood goes on
      if (i % 10 === 0) for (const h of hot) assert.ok(c.get(h, h.length, KIND_PLAIN), `hot name lost after ${i} one-off names`);
      assert.ok(c.size <= 100);
    }
    const early = flood[0]!;
    assert.equal(c.get(early, early.length, KIND_PLAIN), undefined);
    c.clear();
    assert.equal(c.size, 0);
    assert.equal(c.get(hot[0]!, hot[0]!.length, KIND_PLAIN), undefined);
  });
});

describe('Chain.reusable', () => {
  const msg = { id: 1, type: 'query', questions: [{ name: 'x', type: 'A', class: 'IN' }] } as DnsMessage;
  const req = (): DnsRequest => ({ msg, qname: 'x.', qnameOriginal: 'x.', qtype: 'A', qclass: 'IN', client: { address: '127.0.0.1', port: 1, transport: 'udp' }, size: 0, bufSize: 512, do: false, zone: '.', startNs: 0n });
  const pass = (name: string): Handler => ({ name, serveDNS: (r, w, next) => next(r, w) });
  const answer = (name: string): Handler => ({ name, serveDNS: async (_r, w) => (w.write(msg), 0) });
  /** answers after asking the rest of the chain with a copy of the request (ExternalName upstream lookups do this) */
  const subLookup = (name: string): Handler => ({ name, serveDNS: async (r, w, next) => (await next({ ...r, qname: 'y.' }, { write() {}, response: undefined }), w.write(msg), 0) });
  const rows: Array<{ name: string; handlers: Handler[]; classes: FastClass[]; reusable: boolean; writer: string }> = [
    { name: 'pure plugin answers behind observers', handlers: [pass('log'), pass('cache'), answer('kubernetes'), pass('forward')], classes: ['observer', 'passthrough', 'pure', 'volatile'], reusable: true, writer: 'kubernetes' },
    { name: 'forward answers', handlers: [pass('kubernetes'), answer('forward')], classes: ['pure', 'volatile'], reusable: false, writer: 'forward' },
    { name: 'a volatile plugin before the pure one', handlers: [pass('whoami'), answer('hosts')], classes: ['volatile', 'pure'], reusable: false, writer: 'hosts' },
    { name: 'a sub-lookup through forward taints the answer', handlers: [subLookup('kubernetes'), answer('forward')], classes: ['pure', 'volatile'], reusable: false, writer: 'forward' },
    { name: 'cache answering from its own store', handlers: [answer('cache'), pass('kubernetes')], classes: ['passthrough', 'pure'], reusable: false, writer: 'cache' },
  ];
  for (const r of rows)
    test(r.name, async () => {
      const chain = new Chain(r.handlers, r.classes);
      const q = req();
      const t = attachTracker(q);
      await chain.run(q, { write() {}, response: undefined });
      assert.equal(chain.reusable(t), r.reusable);
      assert.equal(chain.writer(t), r.writer);
    });
});
