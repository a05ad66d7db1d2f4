// The DNS panel's log reader, on lines real DNS servers wrote (CoreDNS's README, the chapter's 2017
// log, CoreDNS and Kubernetes issue threads, dnsmasq with --log-queries) and on the lab's own server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goDurationMs, LogLineParser, parseCoreDnsLine, splitTimestamp } from '../../../sandbox/server/dns-panel/log-lines.ts';

type Want = {
  clientIp: string;
  clientPort: number | null;
  id: number | null;
  type: string;
  name: string;
  rcode: string;
  flags: string[];
  durationMs: number;
};
const coreRows: Array<[string, string, Want]> = [
  [
    'CoreDNS README (1.2.6+ default format)',
    '[INFO] [::1]:50759 - 29008 "A IN example.org. udp 41 false 4096" NOERROR qr,rd,ra,ad 68 0.037990251s',
    { clientIp: '::1', clientPort: 50759, id: 29008, type: 'A', name: 'example.org.', rcode: 'NOERROR', flags: ['qr', 'rd', 'ra', 'ad'], durationMs: 37.990251 },
  ],
  [
    'the chapter\'s 2017 log (no port, no id, a [when] field, µs)',
    '100.96.5.3 - [03/Nov/2017:01:35:35 +0000] "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd,ra 70 101.123µs',
    { clientIp: '100.96.5.3', clientPort: null, id: null, type: 'A', name: 'kubernetes.default.svc.cluster.local.', rcode: 'NOERROR', flags: ['qr', 'aa', 'rd', 'ra'], durationMs: 0.101123 },
  ],
  [
    'CoreDNS 1.2 (kubernetes/kubernetes#72826): [when] then the id',
    '192.168.2.14:44879 - [11/Jan/2019:19:59:01 +0000] 15 "A IN kubernetes.default.default.svc.cluster.local. udp 62 false 512" NXDOMAIN qr,aa,rd,ra 155 0.000205726s',
    { clientIp: '192.168.2.14', clientPort: 44879, id: 15, type: 'A', name: 'kubernetes.default.default.svc.cluster.local.', rcode: 'NXDOMAIN', flags: ['qr', 'aa', 'rd', 'ra'], durationMs: 0.205726 },
  ],
  [
    'CoreDNS 1.3-1.5 with its own timestamp (kubernetes/kubernetes#80243)',
    '2019-07-19T08:24:57.576Z [INFO] 10.244.1.3:40090 - 51243 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.0000988s',
    { clientIp: '10.244.1.3', clientPort: 40090, id: 51243, type: 'A', name: 'kubernetes.default.svc.cluster.local.', rcode: 'NOERROR', flags: ['qr', 'aa', 'rd'], durationMs: 0.0988 },
  ],
  [
    'a REFUSED from upstream (coredns/coredns#4125)',
    '2020-09-14T19:12:38.340Z [INFO] 10.244.0.6:54444 - 43489 "A IN kubernetes.default.svc.cluster.local.attlocal.net. udp 67 false 512" REFUSED qr,aa,rd,ra 67 0.009655266s',
    { clientIp: '10.244.0.6', clientPort: 54444, id: 43489, type: 'A', name: 'kubernetes.default.svc.cluster.local.attlocal.net.', rcode: 'REFUSED', flags: ['qr', 'aa', 'rd', 'ra'], durationMs: 9.655266 },
  ],
  [
    'the {combined} format appends the opcode',
    '[INFO] 10.244.0.7:53211 - 7 "PTR IN 10.0.96.10.in-addr.arpa. udp 41 false 512" NOERROR qr,aa,rd 116 0.000231209s "QUERY"',
    { clientIp: '10.244.0.7', clientPort: 53211, id: 7, type: 'PTR', name: '10.0.96.10.in-addr.arpa.', rcode: 'NOERROR', flags: ['qr', 'aa', 'rd'], durationMs: 0.231209 },
  ],
];
for (const [what, line, want] of coreRows) {
  test(`CoreDNS log line: ${what}`, () => {
    const got = parseCoreDnsLine(line);
    assert.ok(got, 'parsed');
    const { proto: _p, line: l, ...rest } = got;
    assert.equal(l, line);
    assert.deepEqual({ ...rest, durationMs: Number(rest.durationMs!.toFixed(6)) }, want);
  });
}

const notQueries: Array<[string, string]> = [
  ['the banner', '.:53'],
  ['the version', 'CoreDNS-1.11.3'],
  ['an errors line', '[ERROR] plugin/errors: 2 example.org. A: read udp 10.244.0.5:41234->8.8.8.8:53: i/o timeout'],
  ['a reload line', '[INFO] Reloading complete'],
  ['a health probe in nginx format', '10.0.0.1 - - [06/Dec/2026:00:11:08 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.32"'],
  ['kube-dns\'s start-up', 'I1206 00:11:08.123456       1 dns.go:48] version: 1.14.8'],
];
for (const [what, line] of notQueries) test(`not a query: ${what}`, () => assert.deepEqual(new LogLineParser().push(line), []));

test('dnsmasq --log-queries: a query is given out with the line that carries its outcome', () => {
  const p = new LogLineParser();
  assert.deepEqual(p.push('dnsmasq[12]: query[A] kubernetes.default.default.svc.cluster.local from 100.96.3.4'), []);
  assert.deepEqual(p.push('dnsmasq[12]: forwarded kubernetes.default.default.svc.cluster.local to 127.0.0.1#10053'), []);
  const [nx] = p.push('dnsmasq[12]: reply kubernetes.default.default.svc.cluster.local is NXDOMAIN');
  assert.equal(nx.rcode, 'NXDOMAIN');
  assert.equal(nx.name, 'kubernetes.default.default.svc.cluster.local.');
  assert.equal(nx.clientIp, '100.96.3.4');
  assert.equal(nx.durationMs, null, 'dnsmasq logs no duration, so none is shown');
  p.push('dnsmasq[12]: query[AAAA] kubernetes.default.svc.cluster.local from 100.96.3.4');
  const [nodata] = p.push('dnsmasq[12]: cached kubernetes.default.svc.cluster.local is NODATA-IPv6');
  assert.deepEqual([nodata.type, nodata.rcode], ['AAAA', 'NOERROR']);
  p.push('dnsmasq[12]: 7 100.96.3.4/40123 query[A] kubernetes.default.svc.cluster.local from 100.96.3.4');
  const [ok] = p.push('dnsmasq[12]: 7 100.96.3.4/40123 reply kubernetes.default.svc.cluster.local is 100.64.0.1');
  assert.deepEqual([ok.rcode, ok.clientPort], ['NOERROR', 40123]);
  assert.deepEqual(p.push('dnsmasq[12]: reply kubernetes.default.svc.cluster.local is 100.64.0.1'), [], 'an outcome nobody asked for');
});

test('the kubelet\'s timestamp is split off; a line without one keeps its text', () => {
  assert.deepEqual(splitTimestamp('2026-12-06T00:11:08.123456789Z [INFO] x'), { at: '2026-12-06T00:11:08.123Z', text: '[INFO] x' });
  assert.deepEqual(splitTimestamp('[INFO] x'), { at: null, text: '[INFO] x' });
});

const durations: Array<[string, number | null]> = [['0.000191s', 0.191], ['101.123µs', 0.101123], ['1.5ms', 1.5], ['250ns', 0.00025], ['1m2.5s', 62_500], ['soon', null], ['', null]];
for (const [text, ms] of durations) test(`Go duration ${JSON.stringify(text)} = ${ms} ms`, () => assert.equal(goDurationMs(text) === null ? null : Number(goDurationMs(text)!.toFixed(6)), ms));
