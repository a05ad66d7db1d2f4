// Independent conformance audit of dns-server's kubernetes plugin: ~200 query/answer vectors
// written from ../shared/reference/dns-reference.md (K-items) and CoreDNS's own sources
// (plugin/kubernetes/{handler,kubernetes,parse,reverse,ns,local}.go, plugin/backend_lookup.go,
// handler_test.go, handler_case_test.go, kubernetes_apex_test.go), without looking at our
// implementation or our own vectors. The server runs as a child process exactly as an outside
// suite runs it (`node --import tsx dns-server/main.ts -conf FILE`), fed by the stub API, and is
// queried with real dig. Each vector names the K-items (or CoreDNS source) it checks.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { StubKubeApi } from '../../../dns-server/test-support/kube/stub-api.ts';
import type { Upstream } from '../../../dns-server/test-support/kube/upstream.ts';
import { waitFor } from '../../support/wait.ts';
import { onFreePort } from '../../support/free-port.ts';
import {
  auditCluster, BIG_COUNT, dig, digMany, inaddr, ip6arpa, localIPv4, startAuditUpstream, startServerProcess, waitForAnswer,
  type DigResult, type ServerProcess,
} from './kubernetes-audit-fixture.ts';

// --- vectors ---

interface Vector {
  id: string;
  /** the K-items of dns-reference.md (or CoreDNS source) this vector checks */
  spec: string;
  q: string;
  type: string;
  dig?: string[];
  rcode: string;
  answer?: string[];
  /** undefined: no authority records expected */
  authority?: string[];
  /** undefined: empty; null: not checked */
  additional?: string[] | null;
  /** owner names compared with case (K33); rdata is always compared case-insensitively */
  exactOwner?: boolean;
  /** false for answers that are not ours (forwarded): no AA, RA as upstream says */
  authoritative?: boolean;
  /** the reply is expected truncated (TC) */
  tc?: boolean;
  /** extra checks on the whole reply */
  check?: (r: DigResult) => void;
}

const rr = (name: string, ttl: number, type: string, data: string): string => `${name} ${ttl} IN ${type} ${data}`;
const svc = (name: string, ns = 'shop'): string => `${name}.${ns}.svc.cluster.local.`;
function soa(zone: string, ttl: number): string {
  return rr(zone, Math.min(ttl, 300), 'SOA', `ns.dns.${zone} hostmaster.${zone} SERIAL 7200 1800 86400 ${ttl}`);
}

function nx(id: string, spec: string, q: string, type: string, zoneSoa: string): Vector {
  return { id, spec, q, type, rcode: 'NXDOMAIN', answer: [], authority: [zoneSoa] };
}
function nodata(id: string, spec: string, q: string, type: string, zoneSoa: string): Vector {
  return { id, spec, q, type, rcode: 'NOERROR', answer: [], authority: [zoneSoa] };
}
function ok(id: string, spec: string, q: string, type: string, answer: string[], additional: string[] = []): Vector {
  return { id, spec, q, type, rcode: 'NOERROR', answer, additional };
}

/** CNAMEs come before the records of their targets, in chain order (CoreDNS test.CNAMEOrder) */
function cnameFirst(count: number): (r: DigResult) => void {
  return (r) => {
    const types = r.answer.map((l) => l.split(' ')[3]);
    assert.deepEqual(types.slice(0, count), Array(count).fill('CNAME'), `the first ${count} answer records must be the CNAME chain\n${r.raw}`);
    for (let i = 1; i < count; i++) {
      assert.equal(r.answer[i]!.split(' ')[0]!.toLowerCase(), r.answer[i - 1]!.split(' ')[4]!.toLowerCase(), `CNAME ${i + 1} must continue CNAME ${i}\n${r.raw}`);
    }
  };
}

function canon(line: string, exactOwner: boolean): string {
  const p = line.split(' ');
  if (p[3] === 'SOA' && p.length >= 11) p[6] = 'SERIAL';
  return p.map((x, i) => (i === 0 && exactOwner ? x : x.toLowerCase())).join(' ');
}
function same(actual: string[], expected: string[], exactOwner: boolean, what: string, raw: string): void {
  const a = actual.map((l) => canon(l, exactOwner)).sort();
  const e = expected.map((l) => canon(l, exactOwner)).sort();
  assert.deepEqual(a, e, `${what} differs; full reply:\n${raw}`);
}

function digFor(port: number, v: Vector): Promise<DigResult> {
  return dig(port, v.q, v.type, v.dig ?? []);
}

/** runs fn over items with at most `limit` at once; each item's promise settles on its own */
function limited<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Array<Promise<R>> {
  let running = 0;
  const queue: Array<() => void> = [];
  const next = (): void => {
    if (running >= limit) return;
    const start = queue.shift();
    if (start) start();
  };
  return items.map((item) => new Promise<R>((resolve, reject) => {
    queue.push(() => {
      running++;
      fn(item).then(resolve, reject).finally(() => { running--; next(); });
    });
    next();
  }));
}

async function runVector(v: Vector, reply: Promise<DigResult>): Promise<void> {
  const r = await reply;
  assert.equal(r.status, v.rcode, `rcode for ${v.q} ${v.type}; full reply:\n${r.raw}`);
  const exact = v.exactOwner ?? false;
  if (v.answer) same(r.answer, v.answer, exact, 'answer section', r.raw);
  same(r.authority, v.authority ?? [], exact, 'authority section', r.raw);
  if (v.additional !== null) same(r.additional, v.additional ?? [], exact, 'additional section', r.raw);
  if (v.authoritative === false) {
    assert.ok(!r.flags.includes('aa'), `a reply not from the cluster zone must not be authoritative (K36); flags: ${r.flags.join(' ')}`);
  } else {
    // K22: authoritative; CoreDNS's kubernetes handler copies RD and never sets RA (handler.go: SetReply + Authoritative)
    assert.ok(r.flags.includes('aa'), `AA expected (K22); flags: ${r.flags.join(' ')}\n${r.raw}`);
    assert.ok(!r.flags.includes('ra'), `RA is not set by CoreDNS's kubernetes plugin (K52 "qr,aa,rd"); flags: ${r.flags.join(' ')}`);
    if (!v.tc) assert.ok(!r.flags.includes('tc'), `no TC expected; flags: ${r.flags.join(' ')}`);
  }
  v.check?.(r);
}

// --- Corefile A: kubeadm's kubernetes block (pods insecure, ttl 30, fallthrough for reverse zones) ---

const T = 30;
/** the SOA serial is the Unix time of the last API change (K28): objects are applied after this */
const AUDIT_START = Math.floor(Date.now() / 1000);
const SOA_A = soa('cluster.local.', T);
const OWN_IP = localIPv4();

const kubeadmVectors: Vector[] = [
  // ClusterIP services
  ok('A-clusterip', 'K3 K32', svc('web'), 'A', [rr(svc('web'), T, 'A', '10.96.10.10')]),
  nodata('AAAA-v4-only-service', 'K4 K24', svc('web'), 'AAAA', SOA_A),
  ok('SRV-named-port', 'K5 K7 K39', `_http._tcp.${svc('web')}`, 'SRV', [rr(`_http._tcp.${svc('web')}`, T, 'SRV', `0 100 80 ${svc('web')}`)], [rr(svc('web'), T, 'A', '10.96.10.10')]),
  ok('SRV-second-named-port', 'K5', `_https._tcp.${svc('web')}`, 'SRV', [rr(`_https._tcp.${svc('web')}`, T, 'SRV', `0 100 443 ${svc('web')}`)], [rr(svc('web'), T, 'A', '10.96.10.10')]),
  ok('SRV-bare-name-all-ports', 'K39', svc('web'), 'SRV', [
    rr(svc('web'), T, 'SRV', `0 50 80 ${svc('web')}`), rr(svc('web'), T, 'SRV', `0 50 443 ${svc('web')}`),
  ], [rr(svc('web'), T, 'A', '10.96.10.10')]),
  { ...ok('SRV-port-proto-case-insensitive', 'K27 K33', `_HTTP._TCP.${svc('web')}`, 'SRV', [rr(`_HTTP._TCP.${svc('web')}`, T, 'SRV', `0 100 80 ${svc('web')}`)], [rr(svc('web'), T, 'A', '10.96.10.10')]), exactOwner: true },
  nx('SRV-wrong-protocol', 'K27 K23', `_http._udp.${svc('web')}`, 'SRV', SOA_A),
  ok('SRV-sctp-port', 'K5 (proto sctp)', `_diameter._sctp.${svc('sctpsvc')}`, 'SRV', [rr(`_diameter._sctp.${svc('sctpsvc')}`, T, 'SRV', `0 100 3868 ${svc('sctpsvc')}`)], [rr(svc('sctpsvc'), T, 'A', '10.96.10.80')]),
  nx('SRV-sctp-port-asked-as-tcp', 'K27', `_diameter._tcp.${svc('sctpsvc')}`, 'SRV', SOA_A),
  ok('SRV-udp-port', 'K5', `_dns._udp.${svc('dns')}`, 'SRV', [rr(`_dns._udp.${svc('dns')}`, T, 'SRV', `0 100 53 ${svc('dns')}`)], [rr(svc('dns'), T, 'A', '10.96.10.12')]),
  nx('SRV-dns-tcp-needs-its-own-name', 'K27', `_dns._tcp.${svc('dns')}`, 'SRV', SOA_A),
  ok('SRV-dns-tcp-port', 'K5', `_dns-tcp._tcp.${svc('dns')}`, 'SRV', [rr(`_dns-tcp._tcp.${svc('dns')}`, T, 'SRV', `0 100 53 ${svc('dns')}`)], [rr(svc('dns'), T, 'A', '10.96.10.12')]),
  ok('SRV-kube-dns', 'K5 K7', `_dns._udp.${svc('kube-dns', 'kube-system')}`, 'SRV', [rr(`_dns._udp.${svc('kube-dns', 'kube-system')}`, T, 'SRV', `0 100 53 ${svc('kube-dns', 'kube-system')}`)], [rr(svc('kube-dns', 'kube-system'), T, 'A', '10.96.0.10')]),
  nx('SRV-unnamed-port-has-no-named-record', 'K6', `_http._tcp.${svc('plain')}`, 'SRV', SOA_A),
  ok('SRV-bare-name-unnamed-port', 'K39', svc('plain'), 'SRV', [rr(svc('plain'), T, 'SRV', `0 100 8080 ${svc('plain')}`)], [rr(svc('plain'), T, 'A', '10.96.10.11')]),
  ok('A-unnamed-port-service', 'K3', svc('plain'), 'A', [rr(svc('plain'), T, 'A', '10.96.10.11')]),
  ok('A-dual-stack', 'K4 K49', svc('dual'), 'A', [rr(svc('dual'), T, 'A', '10.96.10.20')]),
  ok('AAAA-dual-stack', 'K4 K49', svc('dual'), 'AAAA', [rr(svc('dual'), T, 'AAAA', 'fd00:10:96::20')]),
  ok('SRV-dual-stack-one-record-two-glues', 'K39 K49', `_http._tcp.${svc('dual')}`, 'SRV', [rr(`_http._tcp.${svc('dual')}`, T, 'SRV', `0 50 80 ${svc('dual')}`)], [
    rr(svc('dual'), T, 'A', '10.96.10.20'), rr(svc('dual'), T, 'AAAA', 'fd00:10:96::20'),
  ]),
  ok('AAAA-v6-only', 'K4', svc('v6only'), 'AAAA', [rr(svc('v6only'), T, 'AAAA', 'fd00:10:96::30')]),
  nodata('A-v6-only-is-nodata', 'K4 K24', svc('v6only'), 'A', SOA_A),
  ok('A-service-without-ports', 'K50', svc('portless'), 'A', [rr(svc('portless'), T, 'A', '10.96.10.40')]),
  nodata('SRV-service-without-ports', 'K39 K50', svc('portless'), 'SRV', SOA_A),
  ok('A-service-without-endpoints', 'K44', svc('empty-svc'), 'A', [rr(svc('empty-svc'), T, 'A', '10.96.10.50')]),
  ok('SRV-service-without-endpoints', 'K44 K5 handler_test.go svcempty', `_http._tcp.${svc('empty-svc')}`, 'SRV', [rr(`_http._tcp.${svc('empty-svc')}`, T, 'SRV', `0 100 80 ${svc('empty-svc')}`)], [rr(svc('empty-svc'), T, 'A', '10.96.10.50')]),
  nodata('AAAA-on-port-proto-name', 'K24 backend_lookup.go AAAA', `_http._tcp.${svc('web')}`, 'AAAA', SOA_A),
  ok('A-endpoint-name-of-clusterip-service', 'K40 K41', `10-244-1-10.${svc('web')}`, 'A', [rr(`10-244-1-10.${svc('web')}`, T, 'A', '10.244.1.10')]),
  nx('A-unready-endpoint-name', 'K14 K23', `10-244-1-11.${svc('web')}`, 'A', SOA_A),
  ok('A-kubernetes-default', 'K3', svc('kubernetes', 'default'), 'A', [rr(svc('kubernetes', 'default'), T, 'A', '10.96.0.1')]),

  // headless services
  ok('A-headless-ready-only', 'K10 K14', svc('db'), 'A', ['10.244.2.10', '10.244.2.11', '10.244.2.12'].map((ip) => rr(svc('db'), T, 'A', ip))),
  nodata('AAAA-headless-v4', 'K10 K24', svc('db'), 'AAAA', SOA_A),
  ok('A-endpoint-hostname', 'K12', `db-0.${svc('db')}`, 'A', [rr(`db-0.${svc('db')}`, T, 'A', '10.244.2.10')]),
  ok('A-endpoint-dashed-ip', 'K13 K40', `10-244-2-12.${svc('db')}`, 'A', [rr(`10-244-2-12.${svc('db')}`, T, 'A', '10.244.2.12')]),
  nx('A-unready-endpoint-hostname', 'K14', `db-3.${svc('db')}`, 'A', SOA_A),
  nx('A-unknown-endpoint', 'K23', `nobody.${svc('db')}`, 'A', SOA_A),
  nodata('AAAA-v4-endpoint', 'K24', `db-0.${svc('db')}`, 'AAAA', SOA_A),
  ok('SRV-headless-named-port', 'K15 K39 K7', `_postgres._tcp.${svc('db')}`, 'SRV', ['db-0', 'db-1', '10-244-2-12'].map((h) => rr(`_postgres._tcp.${svc('db')}`, T, 'SRV', `0 33 5432 ${h}.${svc('db')}`)), [
    rr(`db-0.${svc('db')}`, T, 'A', '10.244.2.10'), rr(`db-1.${svc('db')}`, T, 'A', '10.244.2.11'), rr(`10-244-2-12.${svc('db')}`, T, 'A', '10.244.2.12'),
  ]),
  ok('SRV-headless-bare-name', 'K39', svc('db'), 'SRV', ['db-0', 'db-1', '10-244-2-12'].map((h) => rr(svc('db'), T, 'SRV', `0 33 5432 ${h}.${svc('db')}`)), [
    rr(`db-0.${svc('db')}`, T, 'A', '10.244.2.10'), rr(`db-1.${svc('db')}`, T, 'A', '10.244.2.11'), rr(`10-244-2-12.${svc('db')}`, T, 'A', '10.244.2.12'),
  ]),
  nx('SRV-port-proto-plus-endpoint-too-long', 'K26', `_postgres._tcp.db-0.${svc('db')}`, 'SRV', SOA_A),
  nx('A-headless-no-ready-endpoints', 'K11', svc('ghost'), 'A', SOA_A),
  nx('SRV-headless-no-ready-endpoints', 'K11', `_http._tcp.${svc('ghost')}`, 'SRV', SOA_A),
  nx('AAAA-headless-no-ready-endpoints', 'K11', svc('ghost'), 'AAAA', SOA_A),
  ok('A-headless-dual-stack', 'K49', svc('v6hl'), 'A', [rr(svc('v6hl'), T, 'A', '10.244.3.10')]),
  ok('AAAA-headless-dual-stack', 'K49', svc('v6hl'), 'AAAA', [rr(svc('v6hl'), T, 'AAAA', 'fd00:10:244:3::10'), rr(svc('v6hl'), T, 'AAAA', 'fd00:10:244:3::47')]),
  ok('AAAA-dashed-ipv6-endpoint', 'K40', `fd00-10-244-3--47.${svc('v6hl')}`, 'AAAA', [rr(`fd00-10-244-3--47.${svc('v6hl')}`, T, 'AAAA', 'fd00:10:244:3::47')]),
  ok('AAAA-hostname-shared-across-families', 'K49 K12', `node-a.${svc('v6hl')}`, 'AAAA', [rr(`node-a.${svc('v6hl')}`, T, 'AAAA', 'fd00:10:244:3::10')]),
  ok('A-hostname-shared-across-families', 'K49 K12', `node-a.${svc('v6hl')}`, 'A', [rr(`node-a.${svc('v6hl')}`, T, 'A', '10.244.3.10')]),
  ok('SRV-headless-dual-stack-dedup', 'K39 K49', svc('v6hl'), 'SRV', [
    rr(svc('v6hl'), T, 'SRV', `0 33 8080 node-a.${svc('v6hl')}`), rr(svc('v6hl'), T, 'SRV', `0 33 8080 fd00-10-244-3--47.${svc('v6hl')}`),
  ], [
    rr(`node-a.${svc('v6hl')}`, T, 'A', '10.244.3.10'), rr(`node-a.${svc('v6hl')}`, T, 'AAAA', 'fd00:10:244:3::10'),
    rr(`fd00-10-244-3--47.${svc('v6hl')}`, T, 'AAAA', 'fd00:10:244:3::47'),
  ]),

  // ExternalName
  ok('CNAME-externalname', 'K18 K38', svc('ext'), 'CNAME', [rr(svc('ext'), T, 'CNAME', 'api.example.test.')]),
  { ...ok('A-externalname-chased-upstream', 'K18 K38 K32', svc('ext'), 'A', [rr(svc('ext'), T, 'CNAME', 'api.example.test.'), rr('api.example.test.', 120, 'A', '203.0.113.7')]), check: cnameFirst(1) },
  ok('AAAA-externalname-target-without-aaaa', 'K38', svc('ext'), 'AAAA', [rr(svc('ext'), T, 'CNAME', 'api.example.test.')]),
  ok('A-externalname-target-nxdomain', 'K38', svc('gone'), 'A', [rr(svc('gone'), T, 'CNAME', 'nowhere.example.test.')]),
  nodata('SRV-externalname', 'K24 K38', svc('ext'), 'SRV', SOA_A),
  { ...ok('A-externalname-in-zone-target', 'K38', svc('alias'), 'A', [rr(svc('alias'), T, 'CNAME', svc('web')), rr(svc('web'), T, 'A', '10.96.10.10')]), check: cnameFirst(1) },
  nodata('AAAA-externalname-in-zone-target-without-aaaa', 'K38', svc('alias'), 'AAAA', SOA_A),
  nx('A-externalname-ip-ignored', 'K38', svc('ipext'), 'A', SOA_A),
  nx('A-label-under-externalname', 'K38', `x.${svc('ext')}`, 'A', SOA_A),
  nx('SRV-port-under-externalname', 'K38', `_http._tcp.${svc('ext')}`, 'SRV', SOA_A),

  // pods insecure
  ok('A-pod-insecure', 'K20 K43', '10-244-5-5.shop.pod.cluster.local.', 'A', [rr('10-244-5-5.shop.pod.cluster.local.', T, 'A', '10.244.5.5')]),
  nodata('AAAA-ipv4-pod', 'K24 K43', '10-244-5-5.shop.pod.cluster.local.', 'AAAA', SOA_A),
  ok('AAAA-ipv6-pod', 'K43', 'fd00-10-244--5.shop.pod.cluster.local.', 'AAAA', [rr('fd00-10-244--5.shop.pod.cluster.local.', T, 'AAAA', 'fd00:10:244::5')]),
  nx('A-pod-namespace-missing', 'K25 K43', '10-244-5-5.nons.pod.cluster.local.', 'A', SOA_A),
  nx('A-pod-label-not-an-ip', 'K43', 'not-an-ip.shop.pod.cluster.local.', 'A', SOA_A),
  nodata('A-pod-namespace-name', 'K24', 'shop.pod.cluster.local.', 'A', SOA_A),
  nodata('A-pod-subdomain', 'K24', 'pod.cluster.local.', 'A', SOA_A),

  // namespaces and grammar
  nodata('A-svc-subdomain', 'K24', 'svc.cluster.local.', 'A', SOA_A),
  nodata('A-namespace-name', 'K24', 'shop.svc.cluster.local.', 'A', SOA_A),
  nodata('A-namespace-without-services', 'K24 K25', 'empty.svc.cluster.local.', 'A', SOA_A),
  nx('A-namespace-missing', 'K25', 'nons.svc.cluster.local.', 'A', SOA_A),
  nx('A-service-in-missing-namespace', 'K25', 'web.nons.svc.cluster.local.', 'A', SOA_A),
  nx('A-service-in-wrong-namespace', 'K23', 'web.other.svc.cluster.local.', 'A', SOA_A),
  nx('A-unknown-service', 'K23', svc('nope'), 'A', SOA_A),
  nx('A-not-svc-or-pod', 'K26', 'foo.cluster.local.', 'A', SOA_A),
  nx('A-two-labels-left-of-service', 'K26 K27', `a.b.${svc('web')}`, 'A', SOA_A),
  nx('A-too-many-labels', 'K26', `a.b.c.${svc('web')}`, 'A', SOA_A),
  nx('A-search-path-expansion', 'K26', 'web.shop.svc.cluster.local.shop.svc.cluster.local.', 'A', SOA_A),
  nx('A-external-name-under-namespace', 'K26', 'google.com.shop.svc.cluster.local.', 'A', SOA_A),
  nx('A-external-name-under-svc', 'K26', 'google.com.svc.cluster.local.', 'A', SOA_A),
  nx('A-wildcard-service', 'K48', '*.shop.svc.cluster.local.', 'A', SOA_A),
  nx('A-wildcard-namespace', 'K48', 'web.*.svc.cluster.local.', 'A', SOA_A),
  nx('A-any-namespace', 'K48', 'web.any.svc.cluster.local.', 'A', SOA_A),
  nx('SRV-wildcard-protocol', 'K48 K27', `_http._*.${svc('web')}`, 'SRV', SOA_A),
  nx('SRV-wildcard-port', 'K48 K27', `_*._tcp.${svc('web')}`, 'SRV', SOA_A),
  nx('SRV-wildcard-port-and-protocol', 'K48', `*.*.${svc('web')}`, 'SRV', SOA_A),

  // other types
  ok('TXT-dns-version', 'K2', 'dns-version.cluster.local.', 'TXT', [rr('dns-version.cluster.local.', 28800, 'TXT', '"1.1.0"')]),
  nx('A-dns-version-is-nxdomain', 'K2', 'dns-version.cluster.local.', 'A', SOA_A),
  nodata('TXT-service', 'K2 K24', svc('web'), 'TXT', SOA_A),
  nodata('MX-service', 'K24', svc('web'), 'MX', SOA_A),
  nodata('ANY-service', 'K24', svc('web'), 'ANY', SOA_A),
  nx('ANY-unknown-service', 'K24', svc('nope'), 'ANY', SOA_A),
  nodata('HINFO-service', 'K24', svc('web'), 'HINFO', SOA_A),
  nodata('CNAME-clusterip-service', 'K24', svc('web'), 'CNAME', SOA_A),
  nodata('PTR-forward-name', 'K24 K37', svc('web'), 'PTR', SOA_A),
  nodata('NS-service-name', 'K30', svc('web'), 'NS', SOA_A),
  nx('NS-unknown-name', 'K30', svc('nope'), 'NS', SOA_A),
  nx('A-dns-version-as-namespace', 'K25 K26', 'dns-version.svc.cluster.local.', 'A', SOA_A),

  // apex
  { id: 'SOA-apex', spec: 'K28 K29', q: 'cluster.local.', type: 'SOA', rcode: 'NOERROR', answer: [SOA_A],
    check: (r) => {
      const serial = Number(r.answer[0]?.split(' ')[6]);
      const now = Math.floor(Date.now() / 1000);
      assert.ok(serial >= AUDIT_START - 1 && serial <= now + 1, `SOA serial must be the Unix time of the last API change (between ${AUDIT_START} and ${now}), got ${r.answer[0]}`);
    } },
  ok('NS-apex', 'K30', 'cluster.local.', 'NS',
    OWN_IP ? [rr('cluster.local.', T, 'NS', svc('kube-dns', 'kube-system'))] : [rr('cluster.local.', T, 'NS', 'ns.dns.cluster.local.')],
    OWN_IP ? [rr(svc('kube-dns', 'kube-system'), T, 'A', '10.96.0.10')] : []),
  ok('A-ns-dns', 'K31', 'ns.dns.cluster.local.', 'A', OWN_IP ? [rr('ns.dns.cluster.local.', T, 'A', '10.96.0.10')] : []),
  nodata('A-apex', 'K24', 'cluster.local.', 'A', SOA_A),
  nodata('HINFO-apex', 'K24 kubernetes_apex_test.go', 'cluster.local.', 'HINFO', SOA_A),
  nodata('ANY-apex', 'K24', 'cluster.local.', 'ANY', SOA_A),

  // case
  { ...ok('A-case-preserved', 'K33', 'WeB.ShOp.SvC.ClUsTeR.LoCaL.', 'A', [rr('WeB.ShOp.SvC.ClUsTeR.LoCaL.', T, 'A', '10.96.10.10')]), exactOwner: true },
  { ...nx('NXDOMAIN-soa-owner-echoes-zone-case', 'K33 handler_case_test.go', 'nope.shop.svc.ClUsTeR.lOcAl.', 'A', soa('ClUsTeR.lOcAl.', T)), exactOwner: true },
  { ...ok('SOA-apex-case-preserved', 'K33 handler_case_test.go', 'Cluster.Local.', 'SOA', [soa('Cluster.Local.', T)]), exactOwner: true },

  // reverse (in-addr.arpa and ip6.arpa are plugin zones)
  ok('PTR-clusterip', 'K8 K37', inaddr('10.96.10.10'), 'PTR', [rr(inaddr('10.96.10.10'), T, 'PTR', svc('web'))]),
  ok('PTR-endpoint-of-two-services', 'K42', inaddr('10.244.1.10'), 'PTR', [rr(inaddr('10.244.1.10'), T, 'PTR', `10-244-1-10.${svc('web')}`), rr(inaddr('10.244.1.10'), T, 'PTR', `10-244-1-10.${svc('web-alt')}`)]),
  ok('PTR-endpoint-hostname', 'K16', inaddr('10.244.2.10'), 'PTR', [rr(inaddr('10.244.2.10'), T, 'PTR', `db-0.${svc('db')}`)]),
  ok('PTR-endpoint-dashed-ip', 'K16 K40', inaddr('10.244.2.12'), 'PTR', [rr(inaddr('10.244.2.12'), T, 'PTR', `10-244-2-12.${svc('db')}`)]),
  ok('PTR-apiserver-endpoint', 'K42', inaddr('172.18.0.2'), 'PTR', [rr(inaddr('172.18.0.2'), T, 'PTR', `172-18-0-2.${svc('kubernetes', 'default')}`)]),
  ok('PTR-ipv6-clusterip', 'K9', ip6arpa('fd00:10:96::20'), 'PTR', [rr(ip6arpa('fd00:10:96::20'), T, 'PTR', svc('dual'))]),
  ok('PTR-ipv6-v6only-clusterip', 'K9', ip6arpa('fd00:10:96::30'), 'PTR', [rr(ip6arpa('fd00:10:96::30'), T, 'PTR', svc('v6only'))]),
  ok('PTR-ipv6-endpoint', 'K17 K40', ip6arpa('fd00:10:244:3::47'), 'PTR', [rr(ip6arpa('fd00:10:244:3::47'), T, 'PTR', `fd00-10-244-3--47.${svc('v6hl')}`)]),
  ok('PTR-ipv6-endpoint-hostname', 'K17', ip6arpa('fd00:10:244:3::10'), 'PTR', [rr(ip6arpa('fd00:10:244:3::10'), T, 'PTR', `node-a.${svc('v6hl')}`)]),
  { id: 'PTR-unready-endpoint-falls-through', spec: 'K37 K46 K14', q: inaddr('10.244.1.11'), type: 'PTR', rcode: 'NXDOMAIN', answer: [], authoritative: false },
  { id: 'PTR-pod-ip-is-not-reversed', spec: 'K37 K46 reverse.go', q: inaddr('10.244.5.5'), type: 'PTR', rcode: 'NXDOMAIN', answer: [], authoritative: false },

  // out of zone
  { id: 'A-out-of-zone-forwarded', spec: 'K36', q: 'www.example.test.', type: 'A', rcode: 'NOERROR', answer: [rr('www.example.test.', 300, 'A', '203.0.113.8')], authoritative: false,
    check: (r) => assert.ok(r.flags.includes('ra'), `the forwarded reply keeps upstream's RA; flags ${r.flags.join(' ')}`) },
  { id: 'A-out-of-zone-nxdomain-forwarded', spec: 'K36', q: 'nothing.example.test.', type: 'A', rcode: 'NXDOMAIN', answer: [], authoritative: false },

  // further probes (CoreDNS source cited where the reference is silent)
  nodata('SOA-non-apex-existing', 'K29 handler.go (SOA only when qname == zone)', svc('web'), 'SOA', SOA_A),
  nodata('SOA-non-apex-nonexistent', 'K29 handler.go', svc('nope'), 'SOA', SOA_A),
  nodata('SOA-non-apex-unparseable', 'K29 handler.go', 'foo.cluster.local.', 'SOA', SOA_A),
  { ...ok('TXT-dns-version-case', 'K2 K33', 'DNS-Version.Cluster.Local.', 'TXT', [rr('DNS-Version.Cluster.Local.', 28800, 'TXT', '"1.1.0"')]), exactOwner: true },
  nx('AAAA-dns-version-is-nxdomain', 'K2', 'dns-version.cluster.local.', 'AAAA', SOA_A),
  nodata('AAAA-ns-dns', 'K31 kubernetes.go isDefaultNS', 'ns.dns.cluster.local.', 'AAAA', SOA_A),
  ok('SOA-reverse-zone-apex', 'K28', 'in-addr.arpa.', 'SOA', [soa('in-addr.arpa.', T)]),
  ok('A-on-port-proto-name', 'kubernetes.go findServices + backend_lookup.go A (owner is the qname)', `_http._tcp.${svc('web')}`, 'A', [rr(`_http._tcp.${svc('web')}`, T, 'A', '10.96.10.10')]),
  ok('SRV-port-proto-without-underscores', 'K26 parse.go stripUnderscore', `http.tcp.${svc('web')}`, 'SRV', [rr(`http.tcp.${svc('web')}`, T, 'SRV', `0 100 80 ${svc('web')}`)], [rr(svc('web'), T, 'A', '10.96.10.10')]),
  nx('A-underscore-label-as-endpoint', 'K26 K23', `_postgres.${svc('db')}`, 'A', SOA_A),
  ok('SRV-endpoint-name-headless', 'kubernetes.go findServices (endpoint query)', `db-0.${svc('db')}`, 'SRV', [rr(`db-0.${svc('db')}`, T, 'SRV', `0 100 5432 db-0.${svc('db')}`)], [rr(`db-0.${svc('db')}`, T, 'A', '10.244.2.10')]),
  ok('SRV-endpoint-name-of-clusterip-service', 'K41 K39 (endpoint ports come from the slice)', `10-244-1-10.${svc('web')}`, 'SRV', [
    rr(`10-244-1-10.${svc('web')}`, T, 'SRV', `0 50 8080 10-244-1-10.${svc('web')}`), rr(`10-244-1-10.${svc('web')}`, T, 'SRV', `0 50 8443 10-244-1-10.${svc('web')}`),
  ], [rr(`10-244-1-10.${svc('web')}`, T, 'A', '10.244.1.10')]),
  ok('A-shared-hostname-two-ips', 'K12', `twin.${svc('pair')}`, 'A', [rr(`twin.${svc('pair')}`, T, 'A', '10.244.7.1'), rr(`twin.${svc('pair')}`, T, 'A', '10.244.7.2')]),
  ok('SRV-shared-hostname-dedup-weight-before-dedup', 'K39 K15', `_http._tcp.${svc('pair')}`, 'SRV', [
    rr(`_http._tcp.${svc('pair')}`, T, 'SRV', `0 33 80 twin.${svc('pair')}`), rr(`_http._tcp.${svc('pair')}`, T, 'SRV', `0 33 80 solo.${svc('pair')}`),
  ], [rr(`twin.${svc('pair')}`, T, 'A', '10.244.7.1'), rr(`twin.${svc('pair')}`, T, 'A', '10.244.7.2'), rr(`solo.${svc('pair')}`, T, 'A', '10.244.7.3')]),
  ok('A-endpoints-over-two-slices', 'K10 K50', svc('split'), 'A', [rr(svc('split'), T, 'A', '10.244.8.1'), rr(svc('split'), T, 'A', '10.244.8.2')]),
  ok('A-endpoint-ready-unset-counts-as-ready', 'K14 K50', svc('nilready'), 'A', [rr(svc('nilready'), T, 'A', '10.244.8.10')]),
  ok('A-headless-slice-without-ports', 'K50', svc('portlesshl'), 'A', [rr(svc('portlesshl'), T, 'A', '10.244.9.1')]),
  ok('A-endpoint-of-slice-without-ports', 'K50 handler_test.go hdlsprtls', `10-244-9-1.${svc('portlesshl')}`, 'A', [rr(`10-244-9-1.${svc('portlesshl')}`, T, 'A', '10.244.9.1')]),
  nodata('SRV-headless-slice-without-ports', 'K39 K50 handler_test.go hdlsprtls', svc('portlesshl'), 'SRV', SOA_A),
  ok('A-loadbalancer-gives-clusterip', 'K3', svc('lb'), 'A', [rr(svc('lb'), T, 'A', '10.96.10.60')]),
  nx('A-service-whose-namespace-object-is-missing', 'K25 namespace.go namespaceExposed', svc('orphan', 'ghostns'), 'A', SOA_A),
  ok('PTR-service-whose-namespace-object-is-missing', 'reverse.go serviceRecordForIP (namespace checked only with the namespaces option)', inaddr('10.96.10.70'), 'PTR', [rr(inaddr('10.96.10.70'), T, 'PTR', svc('orphan', 'ghostns'))]),
  { ...ok('A-externalname-chain-in-zone', 'K38 backend_lookup.go A (CNAME chased in zone)', svc('chain'), 'A', [
    rr(svc('chain'), T, 'CNAME', svc('alias')), rr(svc('alias'), T, 'CNAME', svc('web')), rr(svc('web'), T, 'A', '10.96.10.10'),
  ]), check: cnameFirst(2) },
  nodata('A-externalname-self-loop', 'backend_lookup.go A ("x CNAME x is a direct loop")', svc('loop'), 'A', SOA_A),
  ok('CNAME-externalname-trailing-dot', 'K18 (msg.Service NewCNAME: dns.Fqdn)', svc('extdot'), 'CNAME', [rr(svc('extdot'), T, 'CNAME', 'api.example.test.')]),
  nodata('A-externalname-in-zone-target-missing', 'K38 backend_lookup.go A (in-zone chase finds nothing: no CNAME, NODATA)', svc('dangling'), 'A', SOA_A),
  ok('SRV-headless-uses-endpoint-port', 'K15', `_http._tcp.${svc('tgt')}`, 'SRV', [rr(`_http._tcp.${svc('tgt')}`, T, 'SRV', `0 100 8080 10-244-11-1.${svc('tgt')}`)], [rr(`10-244-11-1.${svc('tgt')}`, T, 'A', '10.244.11.1')]),
  nodata('NS-ns-dns-name', 'K30 handler.go (NS only at the apex)', 'ns.dns.cluster.local.', 'NS', SOA_A),
  ok('A-hostname-endpoint-of-clusterip-service', 'K41 K12', `plain-0.${svc('plain')}`, 'A', [rr(`plain-0.${svc('plain')}`, T, 'A', '10.244.1.20')]),
  ok('PTR-hostname-endpoint-of-clusterip-service', 'K42', inaddr('10.244.1.20'), 'PTR', [rr(inaddr('10.244.1.20'), T, 'PTR', `plain-0.${svc('plain')}`)]),
  ok('AAAA-ipv6-endpoint-name-ending-in-dash-gets-0', 'K40 kubernetes.go endpointHostname', `fd00-10-244-13--0.${svc('v6end')}`, 'AAAA', [rr(`fd00-10-244-13--0.${svc('v6end')}`, T, 'AAAA', 'fd00:10:244:13::')]),
  ok('PTR-ipv6-endpoint-name-ending-in-dash-gets-0', 'K40 K17', ip6arpa('fd00:10:244:13::'), 'PTR', [rr(ip6arpa('fd00:10:244:13::'), T, 'PTR', `fd00-10-244-13--0.${svc('v6end')}`)]),
  ok('A-hand-written-slice', 'K50', svc('manual'), 'A', [rr(svc('manual'), T, 'A', '10.244.12.1')]),
  ok('AAAA-pod-double-dash', 'K43', 'fd00--5.shop.pod.cluster.local.', 'AAAA', [rr('fd00--5.shop.pod.cluster.local.', T, 'AAAA', 'fd00::5')]),
  nx('A-pod-three-dashes-not-an-ip', 'K43', 'a-b-c-d.shop.pod.cluster.local.', 'A', SOA_A),

  // header and EDNS
  { ...ok('flags-norec', 'K22 K52', svc('web'), 'A', [rr(svc('web'), T, 'A', '10.96.10.10')]), dig: ['+norec'],
    check: (r) => assert.deepEqual([...r.flags].sort(), ['aa', 'qr'], `+norec: flags must be exactly "qr aa"; got ${r.flags.join(' ')}`) },
  { ...nx('flags-rd-echoed-on-nxdomain', 'K22', svc('nope'), 'A', SOA_A),
    check: (r) => assert.deepEqual([...r.flags].sort(), ['aa', 'qr', 'rd'], `NXDOMAIN flags must be "qr aa rd"; got ${r.flags.join(' ')}`) },
  { ...ok('edns-opt-echoed', 'issue 3 wire', svc('web'), 'A', [rr(svc('web'), T, 'A', '10.96.10.10')]), dig: ['+edns=0', '+bufsize=1232'],
    check: (r) => assert.ok(r.edns, `an EDNS query gets an OPT record back\n${r.raw}`) },
  { ...ok('no-opt-without-edns', 'issue 3 wire', svc('web'), 'A', [rr(svc('web'), T, 'A', '10.96.10.10')]), dig: ['+noedns'],
    check: (r) => assert.equal(r.edns, undefined, `a query without EDNS gets no OPT\n${r.raw}`) },
  { ...ok('edns-do-bit-echoed', 'issue 3 wire (request.go SizeAndDo)', svc('web'), 'A', [rr(svc('web'), T, 'A', '10.96.10.10')]), dig: ['+dnssec'],
    check: (r) => assert.ok(r.edns?.flags.includes('do'), `DO is passed back\n${r.raw}`) },
  { ...ok('tcp-answer', 'issue 3 wire', svc('web'), 'A', [rr(svc('web'), T, 'A', '10.96.10.10')]), dig: ['+tcp'] },
  { id: 'edns-version-1-badvers', spec: 'issue 3 wire; CoreDNS plugin/pkg/edns Version() called by core/dnsserver', q: svc('web'), type: 'A', rcode: 'BADVERS', dig: ['+edns=1', '+noednsneg'],
    answer: [], authoritative: false, check: (r) => assert.ok(r.edns, `BADVERS comes with an OPT record\n${r.raw}`) },
  { id: 'udp-512-truncated', spec: 'issue 3 wire (TC)', q: svc('big'), type: 'A', rcode: 'NOERROR', dig: ['+noedns', '+ignore'], additional: null, authority: [],
    tc: true, check: (r) => {
      assert.ok(r.flags.includes('tc'), `${BIG_COUNT} A records do not fit 512 bytes: TC expected; flags ${r.flags.join(' ')}`);
      assert.ok(r.answer.length < BIG_COUNT, `a truncated reply carries fewer than ${BIG_COUNT} records`);
    } },
  { ...ok('tcp-carries-all', 'issue 3 wire', svc('big'), 'A', Array.from({ length: BIG_COUNT }, (_, i) => rr(svc('big'), T, 'A', `10.244.4.${i + 1}`))), dig: ['+tcp'] },
  { ...ok('edns-4096-carries-all', 'issue 3 wire', svc('big'), 'A', Array.from({ length: BIG_COUNT }, (_, i) => rr(svc('big'), T, 'A', `10.244.4.${i + 1}`))), dig: ['+bufsize=4096'] },
];

// --- Corefile B: the plugin's defaults (ttl 5, pods disabled, no fallthrough) and a CIDR reverse zone ---

const SOA_B = soa('cluster.local.', 5);
const SOA_REV_B = soa('96.10.in-addr.arpa.', 5);
const defaultVectors: Vector[] = [
  ok('B-A-default-ttl', 'K32', svc('web'), 'A', [rr(svc('web'), 5, 'A', '10.96.10.10')]),
  ok('B-SRV-default-ttl', 'K32 K5', `_http._tcp.${svc('web')}`, 'SRV', [rr(`_http._tcp.${svc('web')}`, 5, 'SRV', `0 100 80 ${svc('web')}`)], [rr(svc('web'), 5, 'A', '10.96.10.10')]),
  ok('B-SOA-apex-ttl-5', 'K28', 'cluster.local.', 'SOA', [SOA_B]),
  nx('B-NXDOMAIN-soa-ttl-5', 'K23 K28', svc('nope'), 'A', SOA_B),
  nodata('B-NODATA-soa-ttl-5', 'K24 K28', svc('web'), 'AAAA', SOA_B),
  nx('B-pods-disabled', 'K43', '10-244-5-5.shop.pod.cluster.local.', 'A', SOA_B),
  ok('B-TXT-dns-version-28800', 'K2 K32', 'dns-version.cluster.local.', 'TXT', [rr('dns-version.cluster.local.', 28800, 'TXT', '"1.1.0"')]),
  ok('B-PTR-cidr-zone', 'K37 K8', inaddr('10.96.10.10'), 'PTR', [rr(inaddr('10.96.10.10'), 5, 'PTR', svc('web'))]),
  nx('B-PTR-miss-cidr-zone-soa', 'K37 K28', inaddr('10.96.99.99'), 'PTR', SOA_REV_B),
  ok('B-SOA-reverse-zone-apex', 'K28', '96.10.in-addr.arpa.', 'SOA', [SOA_REV_B]),
  { id: 'B-A-outside-every-zone-no-next-plugin', spec: 'K36 (plugin.NextOrFailure: no next plugin -> SERVFAIL)', q: 'www.example.test.', type: 'A', rcode: 'SERVFAIL', answer: [], additional: null, authoritative: false },
  { id: 'B-PTR-outside-every-zone-no-next-plugin', spec: 'K36 (plugin.NextOrFailure: no next plugin -> SERVFAIL)', q: inaddr('10.244.1.10'), type: 'PTR', rcode: 'SERVFAIL', answer: [], additional: null, authoritative: false },
];

// --- Corefile C: pods verified, endpoint_pod_names, ignore empty_service, namespaces ---

const SOA_C = soa('cluster.local.', 5);
const SOA_REV_C = soa('in-addr.arpa.', 5);
const optionVectors: Vector[] = [
  ok('C-pod-verified-exists', 'K43', '10-244-1-10.shop.pod.cluster.local.', 'A', [rr('10-244-1-10.shop.pod.cluster.local.', 5, 'A', '10.244.1.10')]),
  nx('C-pod-verified-unknown-ip', 'K43', '10-244-9-9.shop.pod.cluster.local.', 'A', SOA_C),
  nx('C-pod-verified-wrong-namespace', 'K43', '10-244-1-10.kube-system.pod.cluster.local.', 'A', SOA_C),
  ok('C-endpoint-pod-name', 'K40', `web-7d4b9.${svc('web')}`, 'A', [rr(`web-7d4b9.${svc('web')}`, 5, 'A', '10.244.1.10')]),
  nx('C-dashed-ip-replaced-by-pod-name', 'K40', `10-244-1-10.${svc('web')}`, 'A', SOA_C),
  ok('C-hostname-beats-pod-name', 'K40', `db-0.${svc('db')}`, 'A', [rr(`db-0.${svc('db')}`, 5, 'A', '10.244.2.10')]),
  ok('C-pod-name-for-endpoint-without-hostname', 'K40', `db-2.${svc('db')}`, 'A', [rr(`db-2.${svc('db')}`, 5, 'A', '10.244.2.12')]),
  ok('C-SRV-headless-pod-names', 'K40 K15', svc('db'), 'SRV', ['db-0', 'db-1', 'db-2'].map((h) => rr(svc('db'), 5, 'SRV', `0 33 5432 ${h}.${svc('db')}`)), [
    rr(`db-0.${svc('db')}`, 5, 'A', '10.244.2.10'), rr(`db-1.${svc('db')}`, 5, 'A', '10.244.2.11'), rr(`db-2.${svc('db')}`, 5, 'A', '10.244.2.12'),
  ]),
  ok('C-PTR-pod-name', 'K40 K42', inaddr('10.244.1.10'), 'PTR', [rr(inaddr('10.244.1.10'), 5, 'PTR', `web-7d4b9.${svc('web')}`), rr(inaddr('10.244.1.10'), 5, 'PTR', `web-7d4b9.${svc('web-alt')}`)]),
  nx('C-ignore-empty-service', 'K44', svc('empty-svc'), 'A', SOA_C),
  nx('C-ignore-empty-service-SRV', 'K44', `_http._tcp.${svc('empty-svc')}`, 'SRV', SOA_C),
  ok('C-non-empty-service-still-answers', 'K44', svc('web'), 'A', [rr(svc('web'), 5, 'A', '10.96.10.10')]),
  nx('C-namespace-not-exposed', 'K47', svc('kubernetes', 'default'), 'A', SOA_C),
  ok('C-namespace-exposed', 'K47', svc('kube-dns', 'kube-system'), 'A', [rr(svc('kube-dns', 'kube-system'), 5, 'A', '10.96.0.10')]),
  nx('C-PTR-namespace-not-exposed', 'K47 reverse.go', inaddr('10.96.0.1'), 'PTR', SOA_REV_C),
];

// --- Corefile E: noendpoints, ttl 0, fallthrough in every zone ---

const SOA_E = soa('cluster.local.', 0);
const noEndpointVectors: Vector[] = [
  ok('E-A-clusterip-ttl-0', 'K45 K32', svc('web'), 'A', [rr(svc('web'), 0, 'A', '10.96.10.10')]),
  ok('E-SRV-clusterip-ttl-0', 'K45 K32', `_http._tcp.${svc('web')}`, 'SRV', [rr(`_http._tcp.${svc('web')}`, 0, 'SRV', `0 100 80 ${svc('web')}`)], [rr(svc('web'), 0, 'A', '10.96.10.10')]),
  ok('E-SOA-apex-ttl-0', 'K28 K32', 'cluster.local.', 'SOA', [SOA_E]),
  nodata('E-NODATA-does-not-fall-through', 'K46 K24 handler.go (only name errors fall through)', svc('web'), 'AAAA', SOA_E),
  { id: 'E-headless-is-name-error-and-falls-through', spec: 'K45 K46', q: svc('db'), type: 'A', rcode: 'NXDOMAIN', answer: [], authoritative: false },
  { id: 'E-endpoint-name-is-name-error-and-falls-through', spec: 'K45 K46', q: `10-244-1-10.${svc('web')}`, type: 'A', rcode: 'NXDOMAIN', answer: [], authoritative: false },
  { id: 'E-unknown-service-falls-through', spec: 'K46', q: svc('nope'), type: 'A', rcode: 'NXDOMAIN', answer: [], authoritative: false },
  ok('E-PTR-clusterip-ttl-0', 'K45 K37', inaddr('10.96.10.10'), 'PTR', [rr(inaddr('10.96.10.10'), 0, 'PTR', svc('web'))]),
  { id: 'E-PTR-endpoint-without-endpoint-watch-falls-through', spec: 'K45 K46', q: inaddr('10.244.2.10'), type: 'PTR', rcode: 'NXDOMAIN', answer: [], authoritative: false },
];

// --- Corefile D: the API cannot be reached (K35: SERVFAIL, not NXDOMAIN, before the first sync) ---

const SOA_D = soa('cluster.local.', 5);
const unsyncedVectors: Vector[] = [
  ok('D-dns-version-needs-no-api', 'K2 K35', 'dns-version.cluster.local.', 'TXT', [rr('dns-version.cluster.local.', 28800, 'TXT', '"1.1.0"')]),
  { id: 'D-miss-before-sync-is-servfail', spec: 'K35 handler.go (!HasSynced -> BackendError SERVFAIL)', q: svc('web'), type: 'A', rcode: 'SERVFAIL', answer: [], authority: [SOA_D] },
  { id: 'D-unparseable-before-sync-is-servfail', spec: 'K35 handler.go', q: 'foo.cluster.local.', type: 'A', rcode: 'SERVFAIL', answer: [], authority: [SOA_D] },
  nodata('D-nodata-needs-no-api', 'K24 K35 parse.go', 'svc.cluster.local.', 'A', SOA_D),
];

// --- harness ---

interface Running { port: number; proc: ServerProcess }

async function startWith(dir: string, name: string, corefile: (port: number) => string, ready: [string, string] = [svc('web'), 'A']): Promise<Running> {
  return onFreePort(async (port) => {
    const conf = join(dir, `Corefile.${name}`);
    writeFileSync(conf, corefile(port));
    const proc = startServerProcess(conf);
    try {
      await waitForAnswer(port, proc, ready[0], ready[1]);
    } catch (e) {
      await proc.stop();
      throw e;
    }
    return { port, proc };
  });
}

/** one plain UDP query (no EDNS, RD set) with a chosen id */
function udpQuery(port: number, id: number, name: string): Promise<dnsPacket.Packet> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => { sock.close(); reject(new Error(`no UDP reply for ${name} within 5 s`)); }, 5000);
    sock.on('message', (m) => { clearTimeout(timer); sock.close(); resolve(dnsPacket.decode(m)); });
    sock.send(dnsPacket.encode({ type: 'query', id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: name.replace(/\.$/, ''), class: 'IN' }] }), port, '127.0.0.1');
  });
}

/** several queries written at once on one TCP connection; resolves with one reply per query */
function tcpExchange(port: number, queries: Array<{ id: number; name: string; type: string }>): Promise<dnsPacket.Packet[]> {
  return new Promise((resolve, reject) => {
    const out = Buffer.concat(queries.map((q) => dnsPacket.streamEncode({ type: 'query', id: q.id, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: q.type as 'A', name: q.name, class: 'IN' }] })));
    const sock = connect(port, '127.0.0.1', () => sock.write(out));
    let buf = Buffer.alloc(0);
    const replies: dnsPacket.Packet[] = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`only ${replies.length} of ${queries.length} replies within 5 s`)); }, 5000);
    sock.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        replies.push(dnsPacket.decode(buf.subarray(2, 2 + len)));
        buf = buf.subarray(2 + len);
      }
      if (replies.length === queries.length) {
        clearTimeout(timer);
        sock.destroy();
        resolve(replies);
      }
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

/** AXFR over TCP with our own packet: dig prints no header for a refused transfer */
function axfr(port: number, zone: string): Promise<dnsPacket.Packet> {
  return new Promise((resolve, reject) => {
    const q = dnsPacket.streamEncode({ type: 'query', id: 4242, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'AXFR', name: zone, class: 'IN' }] });
    const sock = connect(port, '127.0.0.1', () => sock.write(q));
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('no AXFR reply within 5 s')); }, 5000);
    sock.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        clearTimeout(timer);
        sock.destroy();
        resolve(dnsPacket.streamDecode(buf));
      }
    });
    sock.on('error', (e) => { clearTimeout(timer); reject(e); });
    sock.on('close', () => { clearTimeout(timer); if (buf.length < 2) reject(new Error('connection closed without an AXFR reply')); });
  });
}

describe('kubernetes plugin: independent conformance audit (dig against dns-server -conf)', () => {
  const api = new StubKubeApi();
  const down = new StubKubeApi();
  let upstream: Upstream;
  let dir: string;
  const block = (kc: string, zones: string, options: string[]) =>
    `    kubernetes ${zones} {\n        kubeconfig ${kc} stub\n${options.map((o) => `        ${o}\n`).join('')}    }\n`;

  interface Plan {
    title: string;
    name: string;
    vectors: Vector[];
    corefile: (port: number, kc: string, downKc: string) => string;
    ready?: [string, string];
    extra?: (s: () => Running) => void;
  }
  const plans: Plan[] = [
    { title: 'Corefile A: kubeadm (pods insecure, ttl 30, fallthrough in-addr.arpa ip6.arpa, forward)', name: 'kubeadm', vectors: kubeadmVectors,
      corefile: (port, kc) => `# kubeadm's kubernetes block\n.:${port} {\n    errors\n${block(kc, 'cluster.local in-addr.arpa ip6.arpa', ['pods insecure', 'fallthrough in-addr.arpa ip6.arpa', 'ttl 30'])}    forward . 127.0.0.1:${upstream.port}\n}\n`,
      extra: (server) => {
        test('tcp-pipelined-queries [issue 3 wire]: three queries on one TCP connection, three answers', async () => {
          const names = [svc('web'), svc('dual'), svc('nope')];
          const replies = await tcpExchange(server().port, names.map((name, i) => ({ id: 100 + i, name, type: 'A' })));
          const byId = new Map(replies.map((r) => [r.id, r as dnsPacket.Packet & { rcode?: string }]));
          const first = (id: number) => (byId.get(id)?.answers?.[0] as { data?: unknown } | undefined)?.data;
          assert.equal(first(100), '10.96.10.10');
          assert.equal(first(101), '10.96.10.20');
          assert.equal(byId.get(102)?.rcode, 'NXDOMAIN');
        });
        // live changes through the watch; only new objects, so no other server's vectors move
        // the last reply comes back even when `done` never held: the test's assertion then names what differs
        const poll = async (name: string, type: string, done: (r: DigResult) => boolean): Promise<DigResult> => {
          let r: DigResult | undefined;
          await waitFor(async () => done((r = await dig(server().port, name, type))), { what: `${type} ${name}`, timeout: 5000, interval: 100 })
            .catch(() => undefined);
          return r!;
        };
        test('live-service-added [issue 3: answers follow the API]: a new Service resolves', async () => {
          const before = await dig(server().port, 'cluster.local.', 'SOA');
          const changedAt = Math.floor(Date.now() / 1000);
          api.apply({ kind: 'Service', metadata: { name: 'late', namespace: 'shop' }, spec: { type: 'ClusterIP', clusterIP: '10.96.10.90', clusterIPs: ['10.96.10.90'], ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }] } });
          const r = await poll(svc('late'), 'A', (x) => x.status === 'NOERROR' && x.answer.length > 0);
          same(r.answer, [rr(svc('late'), T, 'A', '10.96.10.90')], false, 'answer for a Service added while running', r.raw);
          const after = await dig(server().port, 'cluster.local.', 'SOA');
          const serial = (x: DigResult) => Number(x.answer[0]?.split(' ')[6]);
          assert.ok(serial(after) >= changedAt && serial(after) >= serial(before), `SOA serial must move to the time of the change (K28): before ${serial(before)}, change at ${changedAt}, after ${serial(after)}`);
        });
        test('live-endpoint-turns-unready [K14]: the headless answer drops it', async () => {
          const mk = (ready2: boolean) => ({ kind: 'EndpointSlice', metadata: { name: 'late-hl-x1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'late-hl' } }, addressType: 'IPv4',
            endpoints: [{ addresses: ['10.244.10.1'], conditions: { ready: true } }, { addresses: ['10.244.10.2'], conditions: { ready: ready2 } }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
          api.apply({ kind: 'Service', metadata: { name: 'late-hl', namespace: 'shop' }, spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } });
          api.apply(mk(true));
          let r = await poll(svc('late-hl'), 'A', (x) => x.answer.length === 2);
          same(r.answer, [rr(svc('late-hl'), T, 'A', '10.244.10.1'), rr(svc('late-hl'), T, 'A', '10.244.10.2')], false, 'both endpoints ready', r.raw);
          api.apply(mk(false));
          r = await poll(svc('late-hl'), 'A', (x) => x.answer.length === 1);
          same(r.answer, [rr(svc('late-hl'), T, 'A', '10.244.10.1')], false, 'one endpoint turned unready', r.raw);
        });
        test('live-service-deleted [K23]: a removed Service is NXDOMAIN', async () => {
          api.remove('services', 'shop', 'late');
          const r = await poll(svc('late'), 'A', (x) => x.status === 'NXDOMAIN');
          assert.equal(r.status, 'NXDOMAIN', r.raw);
          same(r.authority, [SOA_A], false, 'authority of the NXDOMAIN', r.raw);
        });
        test('AXFR-refused [K34]: cluster.local. AXFR over TCP', async () => {
          const r = (await axfr(server().port, 'cluster.local')) as dnsPacket.Packet & { rcode?: string; flag_aa?: boolean };
          assert.equal(r.rcode, 'REFUSED', `AXFR without the transfer plugin is REFUSED (K34); got ${r.rcode}`);
          assert.equal(r.flag_aa, false, 'the REFUSED reply to AXFR carries no AA (K34)');
          assert.equal(r.answers?.length ?? 0, 0);
        });
      } },
    { title: 'Corefile B: plugin defaults (ttl 5, pods disabled) with reverse zone 10.96.0.0/16', name: 'defaults', vectors: defaultVectors,
      corefile: (port, kc) => `.:${port} {\n    log\n${block(kc, 'cluster.local 10.96.0.0/16', [])}}\n`,
      extra: (server) => {
        test('B-log-line-format [K52]: CoreDNS Common Log Format for an answer and a denial', async () => {
          await udpQuery(server().port, 4321, svc('web'));
          await udpQuery(server().port, 4322, svc('nope'));
          const ok = /\[INFO\] 127\.0\.0\.1:\d+ - 4321 "A IN web\.shop\.svc\.cluster\.local\. udp 44 false 512" NOERROR qr,aa,rd \d+ \d+(\.\d+)?s/;
          const nx = /\[INFO\] 127\.0\.0\.1:\d+ - 4322 "A IN nope\.shop\.svc\.cluster\.local\. udp 45 false 512" NXDOMAIN qr,aa,rd \d+ \d+(\.\d+)?s/;
          await waitFor(() => ok.test(server().proc.output()) && nx.test(server().proc.output()), {
            what: 'the log lines of both queries (K52)', timeout: 5000, show: () => server().proc.output().slice(-3000),
          });
          const out = server().proc.output();
          assert.match(out, ok, `log line for the answer (K52); output:\n${out.slice(-3000)}`);
          assert.match(out, nx, `log line for the NXDOMAIN (K52); output:\n${out.slice(-3000)}`);
        });
      } },
    { title: 'Corefile C: pods verified, endpoint_pod_names, ignore empty_service, namespaces shop kube-system', name: 'options', vectors: optionVectors,
      corefile: (port, kc) => `.:${port} {\n${block(kc, 'cluster.local in-addr.arpa', ['pods verified', 'endpoint_pod_names', 'ignore empty_service', 'namespaces shop kube-system'])}}\n` },
    { title: 'Corefile E: noendpoints, ttl 0, fallthrough (all zones), forward', name: 'noendpoints', vectors: noEndpointVectors,
      corefile: (port, kc) => `.:${port} {\n${block(kc, 'cluster.local in-addr.arpa', ['noendpoints', 'ttl 0', 'fallthrough'])}    forward . 127.0.0.1:${upstream.port}\n}\n` },
    { title: 'Corefile D: the Kubernetes API is unreachable (before the first sync)', name: 'unsynced', vectors: unsyncedVectors, ready: ['dns-version.cluster.local.', 'TXT'],
      corefile: (port, _kc, downKc) => `.:${port} {\n${block(downKc, 'cluster.local', [])}}\n` },
  ];
  // every server starts at once (each costs seconds of node+tsx start-up); a failure stays with its own suite
  const started = new Map<string, PromiseSettledResult<Running>>();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dns-audit-'));
    api.applyAll(auditCluster(OWN_IP));
    await api.start();
    const kubeconfig = api.writeKubeconfig(dir);
    // a kubeconfig for an API that has gone away: its port is closed
    await down.start();
    const downConfig = down.writeKubeconfig(mkdtempSync(join(dir, 'down-')));
    await down.stop();
    upstream = await startAuditUpstream();
    const results = await Promise.allSettled(
      plans.map((p) => startWith(dir, p.name, (port) => p.corefile(port, kubeconfig, downConfig), p.ready)),
    );
    // a server that never synced: say what it asked the stub API for
    const seen = api.requests.map((r) => `${r.method} ${r.path}${r.watch ? ' watch' : ''} rv=${r.resourceVersion ?? ''}`);
    plans.forEach((p, i) => {
      const r = results[i]!;
      started.set(p.name, r.status === 'rejected'
        ? { status: 'rejected', reason: new Error(`${String(r.reason)}\nstub API requests (${seen.length}):\n${seen.slice(-40).join('\n')}`) }
        : r);
    });
  });

  after(async () => {
    await Promise.all([...started.values()].map((r) => (r.status === 'fulfilled' ? r.value.proc.stop() : undefined)));
    await upstream?.close();
    await api.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const plan of plans) {
    describe(plan.title, () => {
      let server: Running | undefined;
      // the digs run a few at a time while the tests below read their replies one by one
      const replies = new Map<Vector, Promise<DigResult>>();
      before(() => {
        const r = started.get(plan.name);
        if (!r) throw new Error(`server ${plan.name} was never started`);
        if (r.status === 'rejected') throw r.reason;
        server = r.value;
        const port = server.port;
        // vectors without dig options go 20 to a dig run (spawning dig is the slow part); the rest alone
        const plain = plan.vectors.filter((v) => !v.dig?.length);
        const chunks: Vector[][] = [];
        for (let i = 0; i < plain.length; i += 20) chunks.push(plain.slice(i, i + 20));
        const batched = limited(chunks, 3, (c) => digMany(port, c.map((v) => ({ name: v.q, type: v.type }))));
        chunks.forEach((c, ci) => c.forEach((v, i) => replies.set(v, batched[ci]!.then((rs) => rs[i]!))));
        const single = plan.vectors.filter((v) => v.dig?.length);
        const alone = limited(single, 3, (v) => digFor(port, v));
        single.forEach((v, i) => replies.set(v, alone[i]!));
        for (const p of replies.values()) p.catch(() => undefined); // read (and reported) by the vector's own test
      });
      for (const v of plan.vectors) test(`${v.id} [${v.spec}]: ${v.q} ${v.type}`, () => runVector(v, replies.get(v)!));
      plan.extra?.(() => server!);
    });
  }
});
