// Query/answer vectors for the kubernetes plugin against conformanceCluster(), each naming the
// checklist items (K1-K63 of dns-reference.md) it checks. Records are zone-file text as dig
// prints them (single spaces); SOA serials read SERIAL. Sections compare order-insensitively
// (K61). Three servers: `main` (defaults + pods insecure), `kubeadm` (kubeadm's options plus
// verified pods, endpoint_pod_names, ignore empty_service) and `restricted`
// (namespaces, noendpoints, a CIDR reverse zone, pods disabled).

export type ServerVariant = 'main' | 'kubeadm' | 'restricted';

export interface Vector {
  name: string;
  spec: string;
  server: ServerVariant;
  q: string;
  type: string;
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
  aa: boolean;
  answer: string[];
  authority: string[];
  additional: string[];
}

/** the kubernetes block of each server; `{API}` is the stub API URL */
export function kubernetesBlock(variant: ServerVariant, apiUrl: string): string {
  switch (variant) {
    case 'main':
      return `kubernetes cluster.local in-addr.arpa ip6.arpa {\n    endpoint ${apiUrl}\n    pods insecure\n  }`;
    case 'kubeadm':
      return `kubernetes cluster.local in-addr.arpa ip6.arpa {\n    endpoint ${apiUrl}\n    pods verified\n    fallthrough in-addr.arpa ip6.arpa\n    ttl 30\n    endpoint_pod_names\n    ignore empty_service\n  }`;
    case 'restricted':
      return `kubernetes cluster.local 10.0.0.0/24 {\n    endpoint ${apiUrl}\n    namespaces testns default\n    noendpoints\n  }`;
  }
}

const TTL: Record<ServerVariant, number> = { main: 5, kubeadm: 30, restricted: 5 };

export function soa(zone: string, ttl: number): string {
  return `${zone}. ${Math.min(ttl, 300)} IN SOA ns.dns.${zone}. hostmaster.${zone}. SERIAL 7200 1800 86400 ${ttl}`;
}

interface Opts {
  server?: ServerVariant;
  aa?: boolean;
  authority?: string[];
  additional?: string[];
  /** zone of the SOA for negative answers (default: cluster.local or the reverse tree) */
  zone?: string;
}

const vectors: Vector[] = [];

function row(name: string, spec: string, q: string, type: string, rcode: Vector['rcode'], answer: string[], o: Opts = {}): void {
  const server = o.server ?? 'main';
  const aa = o.aa ?? rcode !== 'REFUSED';
  const negative = rcode === 'NXDOMAIN' || (rcode === 'NOERROR' && answer.length === 0);
  const dotted = `.${q.toLowerCase()}`;
  const zone = o.zone ?? (dotted.endsWith('.in-addr.arpa.') ? 'in-addr.arpa' : dotted.endsWith('.ip6.arpa.') ? 'ip6.arpa' : 'cluster.local');
  const authority = o.authority ?? (negative && aa ? [soa(zone, TTL[server])] : []);
  vectors.push({ name, spec, server, q, type, rcode, aa, answer, authority, additional: o.additional ?? [] });
}

const S = 'testns.svc.cluster.local.';
const t5 = (n: string, type: string, data: string, ttl = 5): string => `${n} ${ttl} IN ${type} ${data}`;
const nib = (hex32: string): string => `${hex32.split('').reverse().join('.')}.ip6.arpa.`;

// --- A. the specification ---
row('clusterip A', 'K1 K3 K21', `svc1.${S}`, 'A', 'NOERROR', [t5(`svc1.${S}`, 'A', '10.0.0.1')]);
row('clusterip A upper case echoed', 'K1 K33', 'SVC1.TESTNS.SVC.CLUSTER.LOCAL.', 'A', 'NOERROR', [t5('SVC1.TESTNS.SVC.CLUSTER.LOCAL.', 'A', '10.0.0.1')]);
row('clusterip A mixed case echoed', 'K1 K33', 'SvC1.TeStNs.SvC.cLuStEr.LoCaL.', 'A', 'NOERROR', [t5('SvC1.TeStNs.SvC.cLuStEr.LoCaL.', 'A', '10.0.0.1')]);
row('nxdomain SOA echoes zone case', 'K23 K33', 'NoSuch.TeStNs.SvC.cLuStEr.LoCaL.', 'A', 'NXDOMAIN', [], { authority: [soa('cLuStEr.LoCaL', 5)] });
row('kubernetes service A', 'K3', 'kubernetes.default.svc.cluster.local.', 'A', 'NOERROR', [t5('kubernetes.default.svc.cluster.local.', 'A', '10.96.0.1')]);
row('LoadBalancer service A', 'K3', 'lb.app.svc.cluster.local.', 'A', 'NOERROR', [t5('lb.app.svc.cluster.local.', 'A', '10.0.0.30')]);
row('NodePort service A', 'K3', 'np.app.svc.cluster.local.', 'A', 'NOERROR', [t5('np.app.svc.cluster.local.', 'A', '10.0.0.31')]);
row('IPv6 clusterip AAAA', 'K4', `svc6.${S}`, 'AAAA', 'NOERROR', [t5(`svc6.${S}`, 'AAAA', 'fd00:10:96::6')]);
row('IPv6 clusterip A is NODATA', 'K4 K24', `svc6.${S}`, 'A', 'NOERROR', []);
row('IPv4 clusterip AAAA is NODATA', 'K4 K24', `svc1.${S}`, 'AAAA', 'NOERROR', []);
row('dual-stack A', 'K4 K49', `dual.${S}`, 'A', 'NOERROR', [t5(`dual.${S}`, 'A', '10.0.0.20')]);
row('dual-stack AAAA', 'K4 K49', `dual.${S}`, 'AAAA', 'NOERROR', [t5(`dual.${S}`, 'AAAA', 'fd00:10:96::20')]);
row('named port SRV with glue', 'K5 K7', `_http._tcp.svc1.${S}`, 'SRV', 'NOERROR', [t5(`_http._tcp.svc1.${S}`, 'SRV', `0 100 80 svc1.${S}`)], { additional: [t5(`svc1.${S}`, 'A', '10.0.0.1')] });
row('SRV https of multi-port', 'K5 K7', `_https._tcp.multi.${S}`, 'SRV', 'NOERROR', [t5(`_https._tcp.multi.${S}`, 'SRV', `0 100 443 multi.${S}`)], { additional: [t5(`multi.${S}`, 'A', '10.0.0.3')] });
row('SRV udp port', 'K5', `_dns._udp.multi.${S}`, 'SRV', 'NOERROR', [t5(`_dns._udp.multi.${S}`, 'SRV', `0 100 53 multi.${S}`)], { additional: [t5(`multi.${S}`, 'A', '10.0.0.3')] });
row('SRV port and proto case-insensitive', 'K5 K27 K33', `_HTTP._TCP.multi.${S}`, 'SRV', 'NOERROR', [t5(`_HTTP._TCP.multi.${S}`, 'SRV', `0 100 80 multi.${S}`)], { additional: [t5(`multi.${S}`, 'A', '10.0.0.3')] });
row('SRV wrong protocol', 'K27 K23', `_http._udp.multi.${S}`, 'SRV', 'NXDOMAIN', []);
row('SRV dns over tcp is named dns-tcp', 'K27', `_dns._tcp.udp.${S}`, 'SRV', 'NXDOMAIN', []);
row('SRV dns-tcp', 'K27 K5', `_dns-tcp._tcp.udp.${S}`, 'SRV', 'NOERROR', [t5(`_dns-tcp._tcp.udp.${S}`, 'SRV', `0 100 53 udp.${S}`)], { additional: [t5(`udp.${S}`, 'A', '10.0.0.9')] });
row('unnamed port has no _port SRV', 'K6', `_9000._tcp.multi.${S}`, 'SRV', 'NXDOMAIN', []);
row('SRV port-and-proto A query', 'K5 K26', `_http._tcp.svc1.${S}`, 'A', 'NOERROR', [t5(`_http._tcp.svc1.${S}`, 'A', '10.0.0.1')]);
row('bare SRV lists every port incl. unnamed', 'K39 K6 K19', `multi.${S}`, 'SRV', 'NOERROR',
  [80, 443, 53, 9000].map((p) => t5(`multi.${S}`, 'SRV', `0 25 ${p} multi.${S}`)), { additional: [t5(`multi.${S}`, 'A', '10.0.0.3')] });
row('bare SRV single port', 'K39', `svc1.${S}`, 'SRV', 'NOERROR', [t5(`svc1.${S}`, 'SRV', `0 100 80 svc1.${S}`)], { additional: [t5(`svc1.${S}`, 'A', '10.0.0.1')] });
row('bare SRV dual-stack: one record weight 50, two glues', 'K39 K49', `dual.${S}`, 'SRV', 'NOERROR', [t5(`dual.${S}`, 'SRV', `0 50 80 dual.${S}`)],
  { additional: [t5(`dual.${S}`, 'A', '10.0.0.20'), t5(`dual.${S}`, 'AAAA', 'fd00:10:96::20')] });
row('wildcard port label matches every tcp port', 'K27 K39', `_._tcp.multi.${S}`, 'SRV', 'NOERROR',
  [80, 443, 9000].map((p) => t5(`_._tcp.multi.${S}`, 'SRV', `0 33 ${p} multi.${S}`)), { additional: [t5(`multi.${S}`, 'A', '10.0.0.3')] });
row('clusterip PTR', 'K8', '1.0.0.10.in-addr.arpa.', 'PTR', 'NOERROR', [t5('1.0.0.10.in-addr.arpa.', 'PTR', `svc1.${S}`)]);
row('kube-dns PTR', 'K8', '10.0.96.10.in-addr.arpa.', 'PTR', 'NOERROR', [t5('10.0.96.10.in-addr.arpa.', 'PTR', 'kube-dns.kube-system.svc.cluster.local.')]);
row('IPv6 clusterip PTR', 'K9', nib('fd000010009600000000000000000006'), 'PTR', 'NOERROR', [t5(nib('fd000010009600000000000000000006'), 'PTR', `svc6.${S}`)]);
row('dual-stack v6 PTR', 'K9 K49', nib('fd000010009600000000000000000020'), 'PTR', 'NOERROR', [t5(nib('fd000010009600000000000000000020'), 'PTR', `dual.${S}`)]);
row('headless A: ready endpoints, once each', 'K10 K14', `hdls.${S}`, 'A', 'NOERROR', ['10.244.2.1', '10.244.2.2', '10.244.2.3', '10.244.2.5'].map((ip) => t5(`hdls.${S}`, 'A', ip)));
row('headless AAAA from the IPv6 slice', 'K10 K49', `hdls.${S}`, 'AAAA', 'NOERROR', [t5(`hdls.${S}`, 'AAAA', 'fd00:10:244::21')]);
row('headless without ready endpoints A', 'K11', `hdls-unready.${S}`, 'A', 'NXDOMAIN', []);
row('headless without ready endpoints SRV', 'K11', `hdls-unready.${S}`, 'SRV', 'NXDOMAIN', []);
row('headless without ready endpoints AAAA', 'K11', `hdls-unready.${S}`, 'AAAA', 'NXDOMAIN', []);
row('endpoint hostname A', 'K12', `web-0.hdls.${S}`, 'A', 'NOERROR', [t5(`web-0.hdls.${S}`, 'A', '10.244.2.1')]);
row('endpoint hostname AAAA', 'K12 K49', `web-0.hdls.${S}`, 'AAAA', 'NOERROR', [t5(`web-0.hdls.${S}`, 'AAAA', 'fd00:10:244::21')]);
row('second endpoint hostname', 'K12', `web-1.hdls.${S}`, 'A', 'NOERROR', [t5(`web-1.hdls.${S}`, 'A', '10.244.2.2')]);
row('unready endpoint hostname', 'K14 K23', `web-3.hdls.${S}`, 'A', 'NXDOMAIN', []);
row('endpoint with unset ready counts', 'K14 K50', `web-4.hdls.${S}`, 'A', 'NOERROR', [t5(`web-4.hdls.${S}`, 'A', '10.244.2.5')]);
row('endpoint without hostname: dashed IP', 'K13 K40', `10-244-2-3.hdls.${S}`, 'A', 'NOERROR', [t5(`10-244-2-3.hdls.${S}`, 'A', '10.244.2.3')]);
row('IPv6 endpoint dashed name', 'K40 K17', `fd00-10-244-3--47.hdls-v6only.${S}`, 'AAAA', 'NOERROR', [t5(`fd00-10-244-3--47.hdls-v6only.${S}`, 'AAAA', 'fd00:10:244:3::47')]);
const hdlsTargets = ['web-0', 'web-1', '10-244-2-3', 'web-4'];
const hdlsGlue = [
  t5(`web-0.hdls.${S}`, 'A', '10.244.2.1'), t5(`web-0.hdls.${S}`, 'AAAA', 'fd00:10:244::21'), t5(`web-1.hdls.${S}`, 'A', '10.244.2.2'),
  t5(`10-244-2-3.hdls.${S}`, 'A', '10.244.2.3'), t5(`web-4.hdls.${S}`, 'A', '10.244.2.5'),
];
row('headless named-port SRV: endpoint x port', 'K15 K7 K39', `_http._tcp.hdls.${S}`, 'SRV', 'NOERROR', hdlsTargets.map((h) => t5(`_http._tcp.hdls.${S}`, 'SRV', `0 16 8080 ${h}.hdls.${S}`)), { additional: hdlsGlue });
row('headless second named port SRV', 'K15', `_metrics._tcp.hdls.${S}`, 'SRV', 'NOERROR', hdlsTargets.map((h) => t5(`_metrics._tcp.hdls.${S}`, 'SRV', `0 16 9090 ${h}.hdls.${S}`)), { additional: hdlsGlue });
row('headless bare SRV: every endpoint and port', 'K15 K39', `hdls.${S}`, 'SRV', 'NOERROR',
  hdlsTargets.flatMap((h) => [8080, 9090].map((p) => t5(`hdls.${S}`, 'SRV', `0 8 ${p} ${h}.hdls.${S}`))), { additional: hdlsGlue });
row('six addresses weigh 16', 'K39', `six.${S}`, 'SRV', 'NOERROR', [1, 2, 3, 4, 5, 6].map((i) => t5(`six.${S}`, 'SRV', `0 16 80 10-244-6-${i}.six.${S}`)),
  { additional: [1, 2, 3, 4, 5, 6].map((i) => t5(`10-244-6-${i}.six.${S}`, 'A', `10.244.6.${i}`)) });
row('six addresses A', 'K10', `six.${S}`, 'A', 'NOERROR', [1, 2, 3, 4, 5, 6].map((i) => t5(`six.${S}`, 'A', `10.244.6.${i}`)));
row('endpoint PTR uses hostname, duplicates collapsed', 'K16 K42', '1.2.244.10.in-addr.arpa.', 'PTR', 'NOERROR', [t5('1.2.244.10.in-addr.arpa.', 'PTR', `web-0.hdls.${S}`)]);
row('endpoint PTR dashed name', 'K16 K40', '3.2.244.10.in-addr.arpa.', 'PTR', 'NOERROR', [t5('3.2.244.10.in-addr.arpa.', 'PTR', `10-244-2-3.hdls.${S}`)]);
row('endpoint PTR IPv6', 'K17', nib('fd000010024400000000000000000021'), 'PTR', 'NOERROR', [t5(nib('fd000010024400000000000000000021'), 'PTR', `web-0.hdls.${S}`)]);
row('unready endpoint has no PTR', 'K14 K37', '4.2.244.10.in-addr.arpa.', 'PTR', 'NXDOMAIN', []);
row('ExternalName CNAME question', 'K18 K38', `ext.${S}`, 'CNAME', 'NOERROR', [t5(`ext.${S}`, 'CNAME', 'www.example.org.')]);
row('ExternalName A resolved upstream', 'K18 K38 K32', `ext.${S}`, 'A', 'NOERROR', [t5(`ext.${S}`, 'CNAME', 'www.example.org.'), t5('www.example.org.', 'A', '93.184.216.34', 300)]);
row('ExternalName AAAA resolved upstream', 'K18 K38', `ext.${S}`, 'AAAA', 'NOERROR', [t5(`ext.${S}`, 'CNAME', 'www.example.org.'), t5('www.example.org.', 'AAAA', '2606:2800:220:1:248:1893:25c8:1946', 300)]);
row('ExternalName in-zone target resolved internally', 'K38', `ext-in.${S}`, 'A', 'NOERROR', [t5(`ext-in.${S}`, 'CNAME', `svc1.${S}`), t5(`svc1.${S}`, 'A', '10.0.0.1')]);
row('ExternalName in-zone target without AAAA drops the CNAME', 'K38 K24', `ext-in.${S}`, 'AAAA', 'NOERROR', []);
row('ExternalName SRV is NODATA', 'K24 K38', `ext.${S}`, 'SRV', 'NOERROR', []);
row('ExternalName port SRV is NXDOMAIN', 'K38', `_http._tcp.ext.${S}`, 'SRV', 'NXDOMAIN', []);
row('name under an ExternalName is NXDOMAIN', 'K38', `x.ext.${S}`, 'A', 'NXDOMAIN', []);
row('ExternalName that is an IP is ignored', 'K38', `ext-ip.${S}`, 'A', 'NXDOMAIN', []);
row('ExternalName to itself is not followed', 'K38', `ext-loop.${S}`, 'A', 'NOERROR', []);
row('ExternalName TXT is NODATA', 'K2 K24', `ext.${S}`, 'TXT', 'NOERROR', []);
row('pod A insecure', 'K20 K43', '10-244-9-9.default.pod.cluster.local.', 'A', 'NOERROR', [t5('10-244-9-9.default.pod.cluster.local.', 'A', '10.244.9.9')]);
row('pod A insecure needs no pod', 'K43', '1-2-3-4.testns.pod.cluster.local.', 'A', 'NOERROR', [t5('1-2-3-4.testns.pod.cluster.local.', 'A', '1.2.3.4')]);
row('pod in missing namespace', 'K25 K43', '1-2-3-4.nonexistent.pod.cluster.local.', 'A', 'NXDOMAIN', []);
row('pod label that is no IP', 'K43', 'notanip.testns.pod.cluster.local.', 'A', 'NXDOMAIN', []);
row('pod IPv6 AAAA insecure', 'K43', 'fd00-10-244--21.testns.pod.cluster.local.', 'AAAA', 'NOERROR', [t5('fd00-10-244--21.testns.pod.cluster.local.', 'AAAA', 'fd00:10:244::21')]);
row('pod AAAA on IPv4 is NODATA', 'K24 K43', '10-244-9-9.default.pod.cluster.local.', 'AAAA', 'NOERROR', []);
row('namespace under pod is NODATA', 'K24', 'testns.pod.cluster.local.', 'A', 'NOERROR', []);
row('missing namespace under pod', 'K25', 'nope.pod.cluster.local.', 'A', 'NXDOMAIN', []);
row('pod verified: running pod', 'K43 K32', '10-244-9-9.default.pod.cluster.local.', 'A', 'NOERROR', [t5('10-244-9-9.default.pod.cluster.local.', 'A', '10.244.9.9', 30)], { server: 'kubeadm' });
row('pod verified: pod is in another namespace', 'K43', '10-244-9-9.testns.pod.cluster.local.', 'A', 'NXDOMAIN', [], { server: 'kubeadm' });
row('pod verified: no such pod', 'K43', '1-2-3-4.testns.pod.cluster.local.', 'A', 'NXDOMAIN', [], { server: 'kubeadm' });
row('pod verified: IPv6 pod', 'K43', 'fd00-10-244--21.testns.pod.cluster.local.', 'AAAA', 'NOERROR', [t5('fd00-10-244--21.testns.pod.cluster.local.', 'AAAA', 'fd00:10:244::21', 30)], { server: 'kubeadm' });
row('pods disabled', 'K43', '10-244-9-9.default.pod.cluster.local.', 'A', 'NXDOMAIN', [], { server: 'restricted' });
row('dns-version TXT', 'K2 K32', 'dns-version.cluster.local.', 'TXT', 'NOERROR', [t5('dns-version.cluster.local.', 'TXT', '"1.1.0"', 28800)]);
row('dns-version TXT whatever the ttl option', 'K2 K32', 'dns-version.cluster.local.', 'TXT', 'NOERROR', [t5('dns-version.cluster.local.', 'TXT', '"1.1.0"', 28800)], { server: 'kubeadm' });
row('dns-version A is NXDOMAIN', 'K2', 'dns-version.cluster.local.', 'A', 'NXDOMAIN', []);
row('TXT on a service is NODATA', 'K2 K24', `svc1.${S}`, 'TXT', 'NOERROR', []);
row('TXT on a missing name is NXDOMAIN', 'K2 K23', `nosuch.${S}`, 'TXT', 'NXDOMAIN', []);

// --- B. response semantics ---
row('unknown service', 'K22 K23', `nosuch.${S}`, 'A', 'NXDOMAIN', []);
row('service in the wrong namespace', 'K23', 'svc1.default.svc.cluster.local.', 'A', 'NXDOMAIN', []);
row('service in a missing namespace', 'K25', 'svc1.nonexistent.svc.cluster.local.', 'A', 'NXDOMAIN', []);
row('namespace name is NODATA', 'K24', 'testns.svc.cluster.local.', 'A', 'NOERROR', []);
row('empty namespace name is NODATA', 'K24 K25', 'empty-ns.svc.cluster.local.', 'A', 'NOERROR', []);
row('missing namespace name is NXDOMAIN', 'K25', 'nonexistent.svc.cluster.local.', 'A', 'NXDOMAIN', []);
row('apex A is NODATA', 'K24', 'cluster.local.', 'A', 'NOERROR', []);
row('svc.<zone> A is NODATA', 'K24', 'svc.cluster.local.', 'A', 'NOERROR', []);
row('pod.<zone> A is NODATA', 'K24', 'pod.cluster.local.', 'A', 'NOERROR', []);
row('MX on a service is NODATA', 'K24', `svc1.${S}`, 'MX', 'NOERROR', []);
row('ANY on a service is NODATA', 'K24', `svc1.${S}`, 'ANY', 'NOERROR', []);
row('HINFO on a service is NODATA', 'K24', `svc1.${S}`, 'HINFO', 'NOERROR', []);
row('CNAME on a clusterip service is NODATA', 'K24', `svc1.${S}`, 'CNAME', 'NOERROR', []);
row('MX on a missing name is NXDOMAIN', 'K23 K24', `nosuch.${S}`, 'MX', 'NXDOMAIN', []);
row('PTR on a service name is NODATA', 'K24 K37', `svc1.${S}`, 'PTR', 'NOERROR', []);
row('PTR on a missing forward name', 'K23 K37', `nosuch.${S}`, 'PTR', 'NXDOMAIN', []);
row('SOA on a service is NODATA', 'K24 K29', `svc1.${S}`, 'SOA', 'NOERROR', []);
row('SOA on a missing name is NODATA too', 'K29', `nosuch.${S}`, 'SOA', 'NOERROR', []);
row('service without ports answers A', 'K50', `noports.${S}`, 'A', 'NOERROR', [t5(`noports.${S}`, 'A', '10.0.0.4')]);
row('service without ports has no SRV', 'K39 K50', `noports.${S}`, 'SRV', 'NOERROR', []);
row('headless slice without ports answers A', 'K50', `hdls-noports.${S}`, 'A', 'NOERROR', [t5(`hdls-noports.${S}`, 'A', '10.244.5.9')]);
row('headless slice without ports has no SRV', 'K39 K50', `hdls-noports.${S}`, 'SRV', 'NOERROR', []);
row('not svc or pod', 'K26', 'foo.cluster.local.', 'A', 'NXDOMAIN', []);
row('search expansion in pod namespace', 'K26', `google.com.${S}`, 'A', 'NXDOMAIN', []);
row('search expansion svc.<zone>', 'K26', 'google.com.svc.cluster.local.', 'A', 'NXDOMAIN', []);
row('search expansion <zone>', 'K26', 'google.com.cluster.local.', 'A', 'NXDOMAIN', []);
row('doubled search suffix', 'K26', 'web.app.svc.cluster.local.app.svc.cluster.local.', 'A', 'NXDOMAIN', []);
row('too many labels', 'K26', `x.a.b.svc1.${S}`, 'A', 'NXDOMAIN', []);
row('search expansion AAAA', 'K26', 'kubernetes.default.default.svc.cluster.local.', 'AAAA', 'NXDOMAIN', []);
row('SOA at the apex', 'K28 K29', 'cluster.local.', 'SOA', 'NOERROR', [soa('cluster.local', 5)]);
row('SOA of the in-addr.arpa zone', 'K28 K37', 'in-addr.arpa.', 'SOA', 'NOERROR', [soa('in-addr.arpa', 5)]);
row('SOA of the ip6.arpa zone', 'K28 K37', 'ip6.arpa.', 'SOA', 'NOERROR', [soa('ip6.arpa', 5)]);
row('SOA with ttl 30', 'K28 K32', 'cluster.local.', 'SOA', 'NOERROR', [soa('cluster.local', 30)], { server: 'kubeadm' });
row('NS names the DNS service, with glue', 'K30', 'cluster.local.', 'NS', 'NOERROR', [t5('cluster.local.', 'NS', 'kube-dns.kube-system.svc.cluster.local.')],
  { additional: [t5('kube-dns.kube-system.svc.cluster.local.', 'A', '10.96.0.10')] });
row('NS on a service is NODATA', 'K30 K24', `svc1.${S}`, 'NS', 'NOERROR', []);
row('NS on a missing name is NXDOMAIN', 'K30', `nosuch.${S}`, 'NS', 'NXDOMAIN', []);
row('ns.dns.<zone> A is the NS glue', 'K31', 'ns.dns.cluster.local.', 'A', 'NOERROR', [t5('ns.dns.cluster.local.', 'A', '10.96.0.10')]);
row('ns.dns.<zone> AAAA is NODATA here', 'K31 K24', 'ns.dns.cluster.local.', 'AAAA', 'NOERROR', []);
row('ttl option applies to A', 'K32 K21', `svc1.${S}`, 'A', 'NOERROR', [t5(`svc1.${S}`, 'A', '10.0.0.1', 30)], { server: 'kubeadm' });
row('ttl option applies to SRV and glue', 'K32', `_http._tcp.svc1.${S}`, 'SRV', 'NOERROR', [t5(`_http._tcp.svc1.${S}`, 'SRV', `0 100 80 svc1.${S}`, 30)], { server: 'kubeadm', additional: [t5(`svc1.${S}`, 'A', '10.0.0.1', 30)] });
row('negative answer SOA with ttl 30', 'K32 K23', `nosuch.${S}`, 'A', 'NXDOMAIN', [], { server: 'kubeadm' });
row('out-of-zone name goes to forward, not authoritative', 'K36', 'www.example.org.', 'A', 'NOERROR', [t5('www.example.org.', 'A', '93.184.216.34', 300)], { aa: false });
row('out-of-zone NXDOMAIN from upstream', 'K36', 'nothing.example.org.', 'A', 'NXDOMAIN', [], { aa: false });
row('PTR miss is NXDOMAIN with reverse SOA', 'K37 K23', '9.9.9.9.in-addr.arpa.', 'PTR', 'NXDOMAIN', []);
row('PTR miss falls through to forward', 'K37 K46', '9.9.9.9.in-addr.arpa.', 'PTR', 'NXDOMAIN', [], { server: 'kubeadm', aa: false });
row('PTR hit with fallthrough stays authoritative', 'K37 K46 K32', '1.0.0.10.in-addr.arpa.', 'PTR', 'NOERROR', [t5('1.0.0.10.in-addr.arpa.', 'PTR', `svc1.${S}`, 30)], { server: 'kubeadm' });
row('fallthrough is only for the listed zones', 'K46', `nosuch.${S}`, 'A', 'NXDOMAIN', [], { server: 'kubeadm' });
row('partial reverse name', 'K37', '0.10.in-addr.arpa.', 'PTR', 'NXDOMAIN', []);
row('reverse apex PTR is NODATA', 'K37', 'in-addr.arpa.', 'PTR', 'NOERROR', []);
row('A in the reverse zone', 'K37 K26', '1.0.0.10.in-addr.arpa.', 'A', 'NXDOMAIN', []);

// --- C. CoreDNS extensions and options ---
row('endpoint of a clusterip service has a name', 'K41 K40 K19', `10-244-1-10.svc1.${S}`, 'A', 'NOERROR', [t5(`10-244-1-10.svc1.${S}`, 'A', '10.244.1.10')]);
row('endpoint of a clusterip service has a PTR', 'K42', '10.1.244.10.in-addr.arpa.', 'PTR', 'NOERROR', [t5('10.1.244.10.in-addr.arpa.', 'PTR', `10-244-1-10.svc1.${S}`)]);
row('apiserver endpoint PTR', 'K42', '2.0.18.172.in-addr.arpa.', 'PTR', 'NOERROR', [t5('2.0.18.172.in-addr.arpa.', 'PTR', '172-18-0-2.kubernetes.default.svc.cluster.local.')]);
row('IP behind two services has two PTRs', 'K42', '4.4.244.10.in-addr.arpa.', 'PTR', 'NOERROR', [
  t5('4.4.244.10.in-addr.arpa.', 'PTR', `10-244-4-4.shared-a.${S}`), t5('4.4.244.10.in-addr.arpa.', 'PTR', `10-244-4-4.shared-b.${S}`)]);
row('endpoint name of an unknown endpoint', 'K41 K23', `10-9-9-9.svc1.${S}`, 'A', 'NXDOMAIN', []);
row('endpoint_pod_names: pod name', 'K40', `svc1-pod-7f9c.svc1.${S}`, 'A', 'NOERROR', [t5(`svc1-pod-7f9c.svc1.${S}`, 'A', '10.244.1.10', 30)], { server: 'kubeadm' });
row('endpoint_pod_names: pod name on headless', 'K40 K12', `hdls-pod-x1.hdls.${S}`, 'A', 'NOERROR', [t5(`hdls-pod-x1.hdls.${S}`, 'A', '10.244.2.3', 30)], { server: 'kubeadm' });
row('endpoint_pod_names: hostname still wins', 'K40', `web-0.hdls.${S}`, 'A', 'NOERROR', [t5(`web-0.hdls.${S}`, 'A', '10.244.2.1', 30)], { server: 'kubeadm' });
row('endpoint_pod_names: dashed IP replaced', 'K40', `10-244-2-3.hdls.${S}`, 'A', 'NXDOMAIN', [], { server: 'kubeadm' });
row('endpoint_pod_names: PTR uses pod name', 'K40 K42', '3.2.244.10.in-addr.arpa.', 'PTR', 'NOERROR', [t5('3.2.244.10.in-addr.arpa.', 'PTR', `hdls-pod-x1.hdls.${S}`, 30)], { server: 'kubeadm' });
row('service without endpoints still resolves', 'K44', `empty.${S}`, 'A', 'NOERROR', [t5(`empty.${S}`, 'A', '10.0.0.5')]);
row('ignore empty_service: no endpoints', 'K44', `empty.${S}`, 'A', 'NXDOMAIN', [], { server: 'kubeadm' });
row('ignore empty_service: headless unaffected', 'K44 K10', `hdls-noports.${S}`, 'A', 'NOERROR', [t5(`hdls-noports.${S}`, 'A', '10.244.5.9', 30)], { server: 'kubeadm' });
row('ignore empty_service: ExternalName unaffected', 'K44 K18', `ext.${S}`, 'CNAME', 'NOERROR', [t5(`ext.${S}`, 'CNAME', 'www.example.org.', 30)], { server: 'kubeadm' });
row('noendpoints: clusterip still answers', 'K45', `svc1.${S}`, 'A', 'NOERROR', [t5(`svc1.${S}`, 'A', '10.0.0.1')], { server: 'restricted' });
row('noendpoints: headless is NXDOMAIN', 'K45', `hdls.${S}`, 'A', 'NXDOMAIN', [], { server: 'restricted' });
row('noendpoints: endpoint names are NXDOMAIN', 'K45', `10-244-1-10.svc1.${S}`, 'A', 'NXDOMAIN', [], { server: 'restricted' });
row('namespaces: listed namespace', 'K47', 'kubernetes.default.svc.cluster.local.', 'A', 'NOERROR', [t5('kubernetes.default.svc.cluster.local.', 'A', '10.96.0.1')], { server: 'restricted' });
row('namespaces: other namespace hidden', 'K47 K25', 'web.app.svc.cluster.local.', 'A', 'NXDOMAIN', [], { server: 'restricted' });
row('namespaces: kube-system hidden', 'K47', 'kube-dns.kube-system.svc.cluster.local.', 'A', 'NXDOMAIN', [], { server: 'restricted' });
row('CIDR reverse zone PTR', 'K37', '1.0.0.10.in-addr.arpa.', 'PTR', 'NOERROR', [t5('1.0.0.10.in-addr.arpa.', 'PTR', `svc1.${S}`)], { server: 'restricted' });
row('CIDR reverse zone SOA', 'K28 K37', '0.0.10.in-addr.arpa.', 'SOA', 'NOERROR', [soa('0.0.10.in-addr.arpa', 5)], { server: 'restricted' });
row('CIDR reverse zone miss', 'K37 K23', '99.0.0.10.in-addr.arpa.', 'PTR', 'NXDOMAIN', [], { server: 'restricted', zone: '0.0.10.in-addr.arpa' });
row('outside the CIDR goes to forward', 'K36 K37', '10.0.96.10.in-addr.arpa.', 'PTR', 'NXDOMAIN', [], { server: 'restricted', aa: false });
row('wildcard service label is literal', 'K48', `*.${S}`, 'A', 'NXDOMAIN', []);
row('wildcard namespace label is literal', 'K48', 'svc1.*.svc.cluster.local.', 'A', 'NXDOMAIN', []);
row('any as namespace is literal', 'K48', 'svc1.any.svc.cluster.local.', 'A', 'NXDOMAIN', []);
row('wildcard endpoint label is literal', 'K48', `*.hdls.${S}`, 'A', 'NXDOMAIN', []);
row('AXFR refused without AA', 'K34 K22', 'cluster.local.', 'AXFR', 'REFUSED', []);
row('IXFR refused without AA', 'K34', 'cluster.local.', 'IXFR', 'REFUSED', []);

export const CONFORMANCE_VECTORS: readonly Vector[] = vectors;
