// miekg/dns compression and Truncate as CoreDNS 1.11 uses them (request.Scrub): uncompressed when
// the reply fits; otherwise every earlier name (SRV targets included) is a pointer target, matched
// by its exact bytes so each record keeps its letter case; TC when any record is left out.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as dnsPacket from 'dns-packet';
import type { DnsMessage } from '../../../dns-server/core/plugin.ts';
import { compressNames } from '../../../dns-server/wire/compress.ts';
import { assemble, encodeBody } from '../../../dns-server/wire/reply.ts';
import { buildQuery } from '../../../dns-server/test-support/client.ts';

type Answer = NonNullable<DnsMessage['answers']>[number];
const dataOf = (r: Answer | undefined): unknown => (r as { data?: unknown } | undefined)?.data;

function reply(qname: string, qtype: string, answers: Answer[], additionals: Answer[] = [], limit = 512, edns = false): Buffer {
  const request = buildQuery(qname, qtype, edns ? { edns: limit } : {});
  const qend = 12 + Buffer.byteLength(qname) + 2 + 4;
  const body = encodeBody({ type: 'response', questions: [{ name: qname, type: qtype, class: 'IN' }], answers, additionals } as DnsMessage);
  return assemble({
    request, qend, flags: body.flags | 0x0400, an: body.an, ns: body.ns, ar: body.ar, tail: body.tail, limit,
    opt: edns ? { size: limit, do: false } : undefined,
  });
}

const srv = (i: number, target: string): Answer => ({
  name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV', ttl: 5, class: 'IN',
  data: { priority: 0, weight: 10, port: 80 + i, target },
} as Answer);
const a = (name: string, ip: string): Answer => ({ name, type: 'A', ttl: 5, class: 'IN', data: ip } as Answer);

/** the offsets of compression pointers in a message, and where they point */
function pointers(m: Buffer, from: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = from; i < m.length - 1; i++) {
    const to = ((m[i]! & 0x3f) << 8) | m[i + 1]!;
    if ((m[i]! & 0xc0) === 0xc0 && to >= 12 && to < i) out.push([i, to]);
  }
  return out;
}

describe('compressNames', () => {
  test('a later owner points into an SRV target, which itself is written out in full', () => {
    const q = buildQuery('_http._tcp.web.default.svc.cluster.local', 'SRV');
    const qend = q.length;
    const body = encodeBody({
      type: 'response', questions: [{ name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV', class: 'IN' }],
      answers: [srv(0, 'pod-0.web.default.svc.cluster.local')],
      additionals: [a('pod-0.web.default.svc.cluster.local', '10.0.0.1')],
    } as DnsMessage);
    const tail = compressNames(q, qend, body.tail, 2);
    const msg = Buffer.concat([q.subarray(0, qend), tail]);
    // SRV owner: a pointer to the question (offset 12); SRV target: every label written out,
    // though its tail is in the question (RFC 2782); the A owner: a pointer to the target
    const srvOwner = qend;
    assert.deepEqual([...msg.subarray(srvOwner, srvOwner + 2)], [0xc0, 12]);
    const target = srvOwner + 2 + 10 + 6;
    const written = Buffer.byteLength('pod-0.web.default.svc.cluster.local') + 2;
    assert.equal(msg.toString('latin1', target, target + written), '\u0005pod-0\u0003web\u0007default\u0003svc\u0007cluster\u0005local\u0000');
    const aOwner = target + written;
    assert.deepEqual([...msg.subarray(aOwner, aOwner + 2)], [0xc0 | (target >> 8), target & 0xff]);
    const decoded = dnsPacket.decode(Buffer.concat([msg.subarray(0, 6), Buffer.from([0, 1, 0, 0, 0, 1]), msg.subarray(12)]));
    assert.equal((dataOf(decoded.answers![0]) as { target: string }).target, 'pod-0.web.default.svc.cluster.local');
    assert.equal(decoded.additionals![0]!.name, 'pod-0.web.default.svc.cluster.local');
  });

  test('matching is case-sensitive: a name in another case is written out and keeps its case', () => {
    const qname = 'SvC1.TeStNs.svc.cluster.local';
    const q = buildQuery(qname, 'A');
    const body = encodeBody({
      type: 'response', questions: [{ name: qname, type: 'A', class: 'IN' }],
      answers: [a(qname, '10.0.0.1'), a('svc1.testns.svc.cluster.local', '10.0.0.2')],
    } as DnsMessage);
    const tail = compressNames(q, q.length, body.tail, 2);
    const m = dnsPacket.decode(Buffer.concat([q.subarray(0, 6), Buffer.from([0, 2, 0, 0, 0, 0]), q.subarray(12), tail]));
    assert.deepEqual(m.answers!.map((r) => r.name), [qname, 'svc1.testns.svc.cluster.local']);
    // the second owner shares only the exact-case suffix "svc.cluster.local" with the question
    assert.deepEqual([...tail.subarray(0, 2)], [0xc0, 12]);
    assert.equal(tail.toString('latin1', 17, 22), 'svc1\u0006');
  });

  test('CNAME, MX and SOA data point at earlier names', () => {
    const qname = 'www.example.org';
    const q = buildQuery(qname, 'MX');
    const body = encodeBody({
      type: 'response', questions: [{ name: qname, type: 'MX', class: 'IN' }],
      answers: [
        { name: qname, type: 'CNAME', ttl: 5, class: 'IN', data: 'mail.example.org' } as Answer,
        { name: 'mail.example.org', type: 'MX', ttl: 5, class: 'IN', data: { preference: 10, exchange: 'mx.example.org' } } as Answer,
      ],
      authorities: [{ name: 'example.org', type: 'SOA', ttl: 5, class: 'IN', data: {
        mname: 'ns.example.org', rname: 'hostmaster.example.org', serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: 5,
      } } as Answer],
    } as DnsMessage);
    const tail = compressNames(q, q.length, body.tail, 3);
    assert.ok(tail.length < body.tail.length - 40, `${tail.length} vs ${body.tail.length}`);
    const m = dnsPacket.decode(Buffer.concat([q.subarray(0, 6), Buffer.from([0, 2, 0, 1, 0, 0]), q.subarray(12), tail]));
    assert.equal(dataOf(m.answers![0]), 'mail.example.org');
    assert.deepEqual(dataOf(m.answers![1]), { preference: 10, exchange: 'mx.example.org' });
    assert.equal((dataOf(m.authorities![0]) as { rname: string }).rname, 'hostmaster.example.org');
    assert.ok(pointers(Buffer.concat([q, tail]), q.length).length >= 6);
  });
});

describe('assemble (Scrub and Truncate)', () => {
  test('a reply that fits is not compressed', () => {
    const m = reply('web.example.org', 'A', [a('web.example.org', '10.0.0.1')]);
    assert.equal(m.length, 12 + 21 + 17 + 14);
  });

  test('without EDNS, SRV answers that fit but glue that does not: TC, answers whole', () => {
    const targets = Array.from({ length: 8 }, (_v, i) => `e${i}.web.default.svc.cluster.local`);
    const m = reply('_http._tcp.web.default.svc.cluster.local', 'SRV', targets.map((t, i) => srv(i, t)), targets.map((t, i) => a(t, `10.0.0.${i + 1}`)));
    // 12 + question 46 + 8 SRV of 2 + 10 + 6 + 34 = 474; then 16-byte glue records while they fit
    assert.equal(m.length, 12 + 46 + 8 * 52 + 2 * 16);
    const d = dnsPacket.decode(m);
    assert.equal(d.flag_tc, true);
    assert.equal(d.answers!.length, 8);
    assert.equal(d.additionals!.length, 2);
    assert.ok(d.additionals!.every((r, i) => r.name === targets[i]));
  });

  test('with a big enough EDNS size the same reply goes whole, compressed only past 1480 bytes', () => {
    const targets = Array.from({ length: 12 }, (_v, i) => `endpoint-${i}.web.default.svc.cluster.local`);
    const m = reply('_http._tcp.web.default.svc.cluster.local', 'SRV', targets.map((t, i) => srv(i, t)), targets.map((t, i) => a(t, `10.0.0.${i + 1}`)), 4096, true);
    const d = dnsPacket.decode(m);
    assert.equal(d.flag_tc, false);
    assert.equal(d.additionals!.filter((r) => r.type === 'A').length, 12);
    assert.equal(pointers(m, 12).length, 0, 'under 1480 bytes: uncompressed');
  });
});
