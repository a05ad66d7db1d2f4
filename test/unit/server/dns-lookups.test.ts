// Grouping queries into lookups, on query sequences real resolvers sent (busybox nslookup's
// search-list walk as CoreDNS logged it in kubernetes/kubernetes#80243 and #72826).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LookupGrouper } from '../../../sandbox/server/dns-panel/lookups.ts';
import { LogLineParser, splitTimestamp, toQuery } from '../../../sandbox/server/dns-panel/log-lines.ts';
import type { DnsLookup } from '../../../sandbox/server/dns-panel/protocol.ts';

const server = { namespace: 'kube-system', pod: 'coredns-7d9f6c-abcde', container: 'coredns' };

function group(lines: string[]): DnsLookup[] {
  const g = new LookupGrouper();
  const p = new LogLineParser();
  const seen = new Map<number, DnsLookup>();
  for (const raw of lines) {
    const { at, text } = splitTimestamp(raw);
    for (const q of p.push(text)) {
      const l = g.add(toQuery(q, at!, server));
      seen.set(l.id, l);
    }
  }
  return [...seen.values()];
}

const summary = (l: DnsLookup) => ({
  name: l.name,
  answeredBy: l.answeredBy?.name ?? null,
  queries: l.queries.map((q) => `${q.type} ${q.name} ${q.rcode}`),
});

const rows: Array<[string, string[], ReturnType<typeof summary>[]]> = [
  [
    'nslookup kubernetes.default: the NXDOMAINs, then the answer, then the PTR of the answer',
    [
      '2019-01-11T19:59:01.100Z 192.168.2.14:33615 - 14 "A IN kubernetes.default. udp 36 false 512" NXDOMAIN qr,rd,ra 112 0.001532826s',
      '2019-01-11T19:59:01.102Z 192.168.2.14:44879 - 15 "A IN kubernetes.default.default.svc.cluster.local. udp 62 false 512" NXDOMAIN qr,aa,rd,ra 155 0.000205726s',
      '2019-01-11T19:59:01.103Z 192.168.2.14:42272 - 16 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd,ra 106 0.000139515s',
      '2019-01-11T19:59:01.104Z 192.168.2.14:52774 - 17 "PTR IN 1.0.96.10.in-addr.arpa. udp 40 false 512" NOERROR qr,aa,rd,ra 112 0.00014s',
    ],
    [
      {
        name: 'kubernetes.default',
        answeredBy: 'kubernetes.default.svc.cluster.local.',
        queries: [
          'A kubernetes.default. NXDOMAIN',
          'A kubernetes.default.default.svc.cluster.local. NXDOMAIN',
          'A kubernetes.default.svc.cluster.local. NOERROR',
          'PTR 1.0.96.10.in-addr.arpa. NOERROR',
        ],
      },
    ],
  ],
  [
    'a fully qualified name tried with every suffix (ndots:5), a later lookup of the same name apart',
    [
      '2019-07-19T08:24:57.565Z [INFO] 10.244.1.3:33509 - 51831 "A IN kubernetes.default.svc.cluster.local.default.svc.cluster.local. udp 80 false 512" NXDOMAIN qr,aa,rd 173 0.0002208s',
      '2019-07-19T08:24:57.567Z [INFO] 10.244.1.3:49985 - 54837 "A IN kubernetes.default.svc.cluster.local.svc.cluster.local. udp 72 false 512" NXDOMAIN qr,aa,rd 165 0.0001448s',
      '2019-07-19T08:24:57.568Z [INFO] 10.244.1.3:52890 - 452 "A IN kubernetes.default.svc.cluster.local.cluster.local. udp 68 false 512" NXDOMAIN qr,aa,rd 161 0.0001778s',
      '2019-07-19T08:24:57.576Z [INFO] 10.244.1.3:40090 - 51243 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.0000988s',
      '2019-07-19T08:24:57.576Z [INFO] 10.244.1.3:40360 - 31245 "AAAA IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 147 0.0000896s',
      '2019-07-19T08:25:01.364Z [INFO] 10.244.1.3:39500 - 882 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,rd 106 0.0000941s',
    ],
    [
      {
        name: 'kubernetes.default.svc.cluster.local',
        answeredBy: 'kubernetes.default.svc.cluster.local.',
        queries: [
          'A kubernetes.default.svc.cluster.local.default.svc.cluster.local. NXDOMAIN',
          'A kubernetes.default.svc.cluster.local.svc.cluster.local. NXDOMAIN',
          'A kubernetes.default.svc.cluster.local.cluster.local. NXDOMAIN',
          'A kubernetes.default.svc.cluster.local. NOERROR',
          'AAAA kubernetes.default.svc.cluster.local. NOERROR',
        ],
      },
      { name: 'kubernetes.default.svc.cluster.local', answeredBy: 'kubernetes.default.svc.cluster.local.', queries: ['A kubernetes.default.svc.cluster.local. NOERROR'] },
    ],
  ],
  [
    'two clients at once stay apart; another name from the same client starts a new lookup',
    [
      '2020-09-14T19:12:33.322Z [INFO] 10.244.0.6:60748 - 10848 "A IN web.default.svc.cluster.local. udp 72 false 512" NOERROR qr,aa,rd 165 0.000024s',
      '2020-09-14T19:12:33.322Z [INFO] 10.244.0.9:60748 - 10849 "A IN web.default.svc.cluster.local. udp 72 false 512" NOERROR qr,aa,rd 165 0.000024s',
      '2020-09-14T19:12:33.323Z [INFO] 10.244.0.6:49904 - 4666 "A IN coredns.io.default.svc.cluster.local. udp 68 false 512" NXDOMAIN qr,aa,rd 161 0.0000617s',
    ],
    [
      { name: 'web.default.svc.cluster.local', answeredBy: 'web.default.svc.cluster.local.', queries: ['A web.default.svc.cluster.local. NOERROR'] },
      { name: 'web.default.svc.cluster.local', answeredBy: 'web.default.svc.cluster.local.', queries: ['A web.default.svc.cluster.local. NOERROR'] },
      { name: 'coredns.io.default.svc.cluster.local', answeredBy: null, queries: ['A coredns.io.default.svc.cluster.local. NXDOMAIN'] },
    ],
  ],
  [
    'lines of two DNS pods arrive out of order: the lookup stays in time order; a PTR first leaves the name open until a forward query',
    [
      '2026-12-06T00:00:00.000Z [INFO] 100.96.3.4:1000 - 1 "PTR IN 10.0.64.100.in-addr.arpa. udp 42 false 512" NOERROR qr,aa,rd 116 0.0001s',
      '2026-12-06T00:00:00.020Z [INFO] 100.96.3.4:1002 - 3 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.0001s',
      '2026-12-06T00:00:00.010Z [INFO] 100.96.3.4:1001 - 2 "A IN kubernetes.default.default.svc.cluster.local. udp 62 false 512" NXDOMAIN qr,aa,rd 155 0.0001s',
    ],
    [
      {
        name: 'kubernetes.default',
        answeredBy: 'kubernetes.default.svc.cluster.local.',
        queries: ['PTR 10.0.64.100.in-addr.arpa. NOERROR', 'A kubernetes.default.default.svc.cluster.local. NXDOMAIN', 'A kubernetes.default.svc.cluster.local. NOERROR'],
      },
    ],
  ],
  [
    'busybox 1.28 nslookup twice within the gap (a check right after the learner\'s): a repeated name and type starts the second lookup',
    [
      '2026-12-06T00:00:00.000Z [INFO] 100.96.6.2:1000 - 1 "PTR IN 10.0.64.100.in-addr.arpa. udp 42 false 512" NOERROR qr,aa,rd 118 0.0001s',
      '2026-12-06T00:00:00.001Z [INFO] 100.96.6.2:1001 - 2 "AAAA IN kubernetes.default. udp 36 false 512" NXDOMAIN qr,aa,rd,ra 111 0.0001s',
      '2026-12-06T00:00:00.002Z [INFO] 100.96.6.2:1002 - 3 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.0001s',
      '2026-12-06T00:00:00.003Z [INFO] 100.96.6.2:1003 - 4 "PTR IN 1.0.64.100.in-addr.arpa. udp 41 false 512" NOERROR qr,aa,rd 114 0.0001s',
      '2026-12-06T00:00:00.300Z [INFO] 100.96.6.2:1004 - 5 "PTR IN 10.0.64.100.in-addr.arpa. udp 42 false 512" NOERROR qr,aa,rd 118 0.0001s',
      '2026-12-06T00:00:00.301Z [INFO] 100.96.6.2:1005 - 6 "AAAA IN kubernetes.default. udp 36 false 512" NXDOMAIN qr,aa,rd,ra 111 0.0001s',
      '2026-12-06T00:00:00.302Z [INFO] 100.96.6.2:1006 - 7 "A IN kubernetes.default.svc.cluster.local. udp 54 false 512" NOERROR qr,aa,rd 106 0.0001s',
    ],
    [
      {
        name: 'kubernetes.default',
        answeredBy: 'kubernetes.default.svc.cluster.local.',
        queries: [
          'PTR 10.0.64.100.in-addr.arpa. NOERROR', 'AAAA kubernetes.default. NXDOMAIN',
          'A kubernetes.default.svc.cluster.local. NOERROR', 'PTR 1.0.64.100.in-addr.arpa. NOERROR',
        ],
      },
      {
        name: 'kubernetes.default',
        answeredBy: 'kubernetes.default.svc.cluster.local.',
        queries: ['PTR 10.0.64.100.in-addr.arpa. NOERROR', 'AAAA kubernetes.default. NXDOMAIN', 'A kubernetes.default.svc.cluster.local. NOERROR'],
      },
    ],
  ],
  [
    'kube-dns\'s dnsmasq with --log-queries',
    [
      '2026-12-06T00:00:00.000Z dnsmasq[1]: query[A] kubernetes.default.default.svc.cluster.local from 100.96.3.4',
      '2026-12-06T00:00:00.001Z dnsmasq[1]: forwarded kubernetes.default.default.svc.cluster.local to 127.0.0.1#10053',
      '2026-12-06T00:00:00.002Z dnsmasq[1]: reply kubernetes.default.default.svc.cluster.local is NXDOMAIN',
      '2026-12-06T00:00:00.003Z dnsmasq[1]: query[A] kubernetes.default.svc.cluster.local from 100.96.3.4',
      '2026-12-06T00:00:00.004Z dnsmasq[1]: forwarded kubernetes.default.svc.cluster.local to 127.0.0.1#10053',
      '2026-12-06T00:00:00.005Z dnsmasq[1]: reply kubernetes.default.svc.cluster.local is 100.64.0.1',
    ],
    [
      {
        name: 'kubernetes.default',
        answeredBy: 'kubernetes.default.svc.cluster.local.',
        queries: ['A kubernetes.default.default.svc.cluster.local. NXDOMAIN', 'A kubernetes.default.svc.cluster.local. NOERROR'],
      },
    ],
  ],
];
for (const [what, lines, want] of rows) test(`lookups: ${what}`, () => assert.deepEqual(group(lines).map(summary), want));
