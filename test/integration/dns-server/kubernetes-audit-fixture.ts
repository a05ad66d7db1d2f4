// Fixture for the independent conformance audit (kubernetes-audit.test.ts): a cluster of our own
// making for the stub API, a tiny "internet" upstream, a dns-server child process started the way
// an outside suite starts it (`node --import tsx dns-server/main.ts -conf FILE`) and a dig runner
// whose output is parsed into sections. Written from dns-reference.md and CoreDNS's sources,
// independently of dns-server/test-support/kube/conformance-*.ts.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { StubObject } from '../../../dns-server/test-support/kube/stub-api.ts';
import { startUpstream, type Upstream } from '../../../dns-server/test-support/kube/upstream.ts';
import type { DnsRecord } from '../../../dns-server/core/plugin.ts';
import { waitFor } from '../../support/wait.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

// --- the cluster ---

const ns = (name: string): StubObject => ({ kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } });

interface PortSpec { name?: string; port: number; protocol?: string; targetPort?: number }

function service(namespace: string, name: string, spec: Record<string, unknown>): StubObject {
  return { kind: 'Service', metadata: { name, namespace }, spec };
}

function clusterIP(namespace: string, name: string, ips: string[], ports: PortSpec[]): StubObject {
  return service(namespace, name, {
    type: 'ClusterIP',
    clusterIP: ips[0],
    clusterIPs: ips,
    ipFamilies: ips.map((ip) => (ip.includes(':') ? 'IPv6' : 'IPv4')),
    ipFamilyPolicy: ips.length > 1 ? 'RequireDualStack' : 'SingleStack',
    ports: ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port })),
  });
}

function headless(namespace: string, name: string, ports: PortSpec[], families = ['IPv4']): StubObject {
  return service(namespace, name, {
    type: 'ClusterIP',
    clusterIP: 'None',
    clusterIPs: ['None'],
    ipFamilies: families,
    ports: ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port })),
  });
}

function externalName(namespace: string, name: string, target: string): StubObject {
  return service(namespace, name, { type: 'ExternalName', externalName: target });
}

/** ready: null leaves conditions.ready out (nil counts as ready, K14) */
interface EndpointSpec { ip: string; ready?: boolean | null; hostname?: string; pod?: string }

function slice(namespace: string, serviceName: string, suffix: string, endpoints: EndpointSpec[], ports: PortSpec[] | undefined, addressType = 'IPv4', managed = true): StubObject {
  const labels: Record<string, string> = { 'kubernetes.io/service-name': serviceName };
  if (managed) labels['endpointslice.kubernetes.io/managed-by'] = 'endpointslice-controller.k8s.io';
  return {
    kind: 'EndpointSlice',
    metadata: { name: `${serviceName}-${suffix}`, namespace, labels },
    addressType,
    endpoints: endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: e.ready === null ? {} : { ready: e.ready ?? true, serving: e.ready ?? true, terminating: false },
      ...(e.hostname ? { hostname: e.hostname } : {}),
      ...(e.pod ? { targetRef: { kind: 'Pod', namespace, name: e.pod } } : {}),
      nodeName: 'node-1',
    })),
    ...(ports ? { ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })) } : {}),
  };
}

function pod(namespace: string, name: string, ip: string): StubObject {
  return {
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: name.split('-')[0]! } },
    spec: { containers: [{ name: 'c', image: 'busybox' }], nodeName: 'node-1' },
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

/**
 * the first non-loopback IPv4 address of this machine: CoreDNS's NS record names the Service whose
 * endpoints hold it (ns.go, local.go boundIPs)
 */
export function localIPv4(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export const BIG_COUNT = 40;

export function auditCluster(ownIP: string | undefined): StubObject[] {
  const objs: StubObject[] = [ns('default'), ns('kube-system'), ns('shop'), ns('empty'), ns('other')];
  // default / kube-system
  objs.push(clusterIP('default', 'kubernetes', ['10.96.0.1'], [{ name: 'https', port: 443, targetPort: 6443 }]));
  objs.push(slice('default', 'kubernetes', 'x1', [{ ip: '172.18.0.2' }], [{ name: 'https', port: 6443 }]));
  objs.push(clusterIP('kube-system', 'kube-dns', ['10.96.0.10'], [
    { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153 },
  ]));
  objs.push(slice('kube-system', 'kube-dns', 'x1', ownIP ? [{ ip: ownIP, pod: 'coredns-abc' }] : [{ ip: '10.244.0.5', pod: 'coredns-abc' }], [
    { name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153 },
  ]));
  // shop: ClusterIP services
  objs.push(clusterIP('shop', 'web', ['10.96.10.10'], [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }]));
  objs.push(slice('shop', 'web', 'x1', [{ ip: '10.244.1.10', pod: 'web-7d4b9' }, { ip: '10.244.1.11', ready: false, pod: 'web-8e5c0' }], [
    { name: 'http', port: 8080 }, { name: 'https', port: 8443 },
  ]));
  // a second Service selecting the same pod: one PTR per Service (K42)
  objs.push(clusterIP('shop', 'web-alt', ['10.96.10.13'], [{ name: 'http', port: 80, targetPort: 8080 }]));
  objs.push(slice('shop', 'web-alt', 'x1', [{ ip: '10.244.1.10', pod: 'web-7d4b9' }], [{ name: 'http', port: 8080 }]));
  objs.push(clusterIP('shop', 'plain', ['10.96.10.11'], [{ port: 8080 }]));
  objs.push(slice('shop', 'plain', 'x1', [{ ip: '10.244.1.20', hostname: 'plain-0' }], [{ port: 8080 }]));
  objs.push(clusterIP('shop', 'dns', ['10.96.10.12'], [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }]));
  objs.push(clusterIP('shop', 'sctpsvc', ['10.96.10.80'], [{ name: 'diameter', port: 3868, protocol: 'SCTP' }]));
  objs.push(clusterIP('shop', 'dual', ['10.96.10.20', 'fd00:10:96::20'], [{ name: 'http', port: 80 }]));
  objs.push(clusterIP('shop', 'v6only', ['fd00:10:96::30'], [{ name: 'http', port: 80 }]));
  objs.push(clusterIP('shop', 'portless', ['10.96.10.40'], []));
  objs.push(clusterIP('shop', 'empty-svc', ['10.96.10.50'], [{ name: 'http', port: 80 }]));
  // shop: headless services
  objs.push(headless('shop', 'db', [{ name: 'postgres', port: 5432 }]));
  objs.push(slice('shop', 'db', 'x1', [
    { ip: '10.244.2.10', hostname: 'db-0', pod: 'db-0' },
    { ip: '10.244.2.11', hostname: 'db-1', pod: 'db-1' },
    { ip: '10.244.2.12', pod: 'db-2' },
    { ip: '10.244.2.13', hostname: 'db-3', ready: false, pod: 'db-3' },
  ], [{ name: 'postgres', port: 5432 }]));
  objs.push(headless('shop', 'ghost', [{ name: 'http', port: 80 }]));
  objs.push(slice('shop', 'ghost', 'x1', [{ ip: '10.244.2.30', ready: false }], [{ name: 'http', port: 80 }]));
  objs.push(headless('shop', 'v6hl', [{ name: 'http', port: 8080 }], ['IPv4', 'IPv6']));
  objs.push(slice('shop', 'v6hl', 'v4', [{ ip: '10.244.3.10', hostname: 'node-a' }], [{ name: 'http', port: 8080 }], 'IPv4'));
  objs.push(slice('shop', 'v6hl', 'v6', [{ ip: 'fd00:10:244:3::10', hostname: 'node-a' }, { ip: 'fd00:10:244:3::47' }], [{ name: 'http', port: 8080 }], 'IPv6'));
  objs.push(headless('shop', 'big', [{ name: 'http', port: 80 }]));
  objs.push(slice('shop', 'big', 'x1', Array.from({ length: BIG_COUNT }, (_, i) => ({ ip: `10.244.4.${i + 1}` })), [{ name: 'http', port: 80 }]));
  // two endpoints sharing one hostname: one SRV target, two glue records (K12, K39 de-duplication)
  objs.push(headless('shop', 'pair', [{ name: 'http', port: 80 }]));
  objs.push(slice('shop', 'pair', 'x1', [{ ip: '10.244.7.1', hostname: 'twin' }, { ip: '10.244.7.2', hostname: 'twin' }, { ip: '10.244.7.3', hostname: 'solo' }], [{ name: 'http', port: 80 }]));
  // a Service whose endpoints are spread over two EndpointSlices
  objs.push(headless('shop', 'split', [{ name: 'http', port: 80 }]));
  objs.push(slice('shop', 'split', 'x1', [{ ip: '10.244.8.1' }], [{ name: 'http', port: 80 }]));
  objs.push(slice('shop', 'split', 'x2', [{ ip: '10.244.8.2' }], [{ name: 'http', port: 80 }]));
  // an endpoint without conditions.ready (nil counts as ready, K14/K50)
  objs.push(headless('shop', 'nilready', [{ name: 'http', port: 80 }]));
  objs.push(slice('shop', 'nilready', 'x1', [{ ip: '10.244.8.10', ready: null }], [{ name: 'http', port: 80 }]));
  // a headless Service whose slice has no ports (the port -1 sentinel, K50)
  objs.push(headless('shop', 'portlesshl', []));
  objs.push(slice('shop', 'portlesshl', 'x1', [{ ip: '10.244.9.1' }], undefined));
  // LoadBalancer: DNS gives the ClusterIP, never the ingress IP (K3)
  objs.push({ ...service('shop', 'lb', { type: 'LoadBalancer', clusterIP: '10.96.10.60', clusterIPs: ['10.96.10.60'], ipFamilies: ['IPv4'], ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }] }), status: { loadBalancer: { ingress: [{ ip: '198.51.100.60' }] } } });
  // a Service in a namespace that has no Namespace object (K25; reverse.go does not check it)
  objs.push(clusterIP('ghostns', 'orphan', ['10.96.10.70'], [{ name: 'http', port: 80 }]));
  // headless whose target port differs from the Service port: SRV carries the endpoint port (K15)
  objs.push(headless('shop', 'tgt', [{ name: 'http', port: 80, targetPort: 8080 }]));
  objs.push(slice('shop', 'tgt', 'x1', [{ ip: '10.244.11.1' }], [{ name: 'http', port: 8080 }]));
  // a slice written by hand (no managed-by label): joined by kubernetes.io/service-name alone (K50)
  objs.push(headless('shop', 'manual', [{ name: 'http', port: 80 }]));
  objs.push(slice('shop', 'manual', 'x1', [{ ip: '10.244.12.1' }], [{ name: 'http', port: 80 }], 'IPv4', false));
  // an IPv6 endpoint address ending in "::": its dashed name would end in "-", so CoreDNS appends "0" (K40)
  objs.push(headless('shop', 'v6end', [{ name: 'http', port: 80 }], ['IPv6']));
  objs.push(slice('shop', 'v6end', 'x1', [{ ip: 'fd00:10:244:13::' }], [{ name: 'http', port: 80 }], 'IPv6'));
  // shop: ExternalName services
  objs.push(externalName('shop', 'extdot', 'api.example.test.'));
  objs.push(externalName('shop', 'dangling', 'missing.shop.svc.cluster.local'));
  objs.push(externalName('shop', 'chain', 'alias.shop.svc.cluster.local'));
  objs.push(externalName('shop', 'loop', 'loop.shop.svc.cluster.local'));
  objs.push(externalName('shop', 'ext', 'api.example.test'));
  objs.push(externalName('shop', 'gone', 'nowhere.example.test'));
  objs.push(externalName('shop', 'alias', 'web.shop.svc.cluster.local'));
  objs.push(externalName('shop', 'ipext', '1.2.3.4'));
  // pods (for pods verified and endpoint_pod_names)
  objs.push(pod('shop', 'web-7d4b9', '10.244.1.10'));
  objs.push(pod('shop', 'db-0', '10.244.2.10'));
  objs.push(pod('other', 'lone-1', '10.244.6.6'));
  return objs;
}

// --- the internet behind forward ---

/** the names the audit's upstream knows (not authoritative, RA set, as a recursor answers); NXDOMAIN for the rest */
export const AUDIT_UPSTREAM_RECORDS: DnsRecord[] = [
  { name: 'api.example.test', type: 'A', class: 'IN', ttl: 120, data: '203.0.113.7' },
  { name: 'www.example.test', type: 'A', class: 'IN', ttl: 300, data: '203.0.113.8' },
];

export const startAuditUpstream = (): Promise<Upstream> => startUpstream(AUDIT_UPSTREAM_RECORDS);

// --- the server under audit ---

export interface ServerProcess { child: ChildProcess; output(): string; stop(): Promise<void> }

export function startServerProcess(confPath: string): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'dns-server/main.ts', '-conf', confPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => { out = (out + c.toString()).slice(-20000); });
  child.stderr!.on('data', (c: Buffer) => { out = (out + c.toString()).slice(-20000); });
  return {
    child,
    output: () => out,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(t); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}

// --- dig ---

export interface DigResult {
  raw: string;
  status: string;
  flags: string[];
  answer: string[];
  authority: string[];
  additional: string[];
  /** the OPT pseudo-section, when the reply carried one */
  edns?: { flags: string[]; udp: number };
}

function normaliseRR(line: string): string {
  const parts = line.trim().split(/\s+/);
  return parts.join(' ');
}

export function parseDig(raw: string): DigResult {
  const r: DigResult = { raw, status: '', flags: [], answer: [], authority: [], additional: [] };
  const status = /status: ([A-Z]+)/.exec(raw);
  if (status) r.status = status[1]!;
  const flags = /;; flags:([a-z ]*);/.exec(raw);
  if (flags) r.flags = flags[1]!.trim().split(/\s+/).filter(Boolean);
  const edns = /; EDNS: version: \d+, flags:([a-z ]*); udp: (\d+)/.exec(raw);
  if (edns) r.edns = { flags: edns[1]!.trim().split(/\s+/).filter(Boolean), udp: Number(edns[2]) };
  let section: 'answer' | 'authority' | 'additional' | undefined;
  for (const line of raw.split('\n')) {
    if (line.startsWith(';; ANSWER SECTION:')) section = 'answer';
    else if (line.startsWith(';; AUTHORITY SECTION:')) section = 'authority';
    else if (line.startsWith(';; ADDITIONAL SECTION:')) section = 'additional';
    else if (line.trim() === '' || line.startsWith(';')) {
      if (line.trim() === '') section = undefined;
    } else if (section) r[section].push(normaliseRR(line));
  }
  return r;
}

export function dig(port: number, name: string, type: string, opts: string[] = []): Promise<DigResult> {
  const args = ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=3', '+nocookie', ...opts, name, type];
  return new Promise((resolve, reject) => {
    execFile('dig', args, { timeout: 10_000 }, (err, stdout) => {
      if (err && !stdout) return reject(new Error(`dig ${args.join(' ')} failed: ${err.message}`));
      resolve(parseDig(stdout));
    });
  });
}

/**
 * several questions in one dig run (dig accepts many `name type` pairs; each reply block starts with
 * ";; Got answer:"); a block whose question does not match falls back to its own dig run
 */
export async function digMany(port: number, questions: Array<{ name: string; type: string }>): Promise<DigResult[]> {
  const args = ['@127.0.0.1', '-p', String(port), '+tries=1', '+time=3', '+nocookie', ...questions.flatMap((q) => [q.name, q.type])];
  const stdout = await new Promise<string>((resolve) => {
    execFile('dig', args, { timeout: 30_000, maxBuffer: 16 << 20 }, (_err, out) => resolve(out ?? ''));
  });
  const blocks = stdout.split(/^;; Got answer:$/m).slice(1);
  return Promise.all(questions.map(async (q, i) => {
    const block = blocks[i];
    const asked = block && /;; QUESTION SECTION:\n;(\S+)\s+IN\s+(\S+)/.exec(block);
    if (asked && asked[1]!.toLowerCase() === q.name.toLowerCase() && asked[2] === q.type) return parseDig(block);
    return dig(port, q.name, q.type);
  }));
}

/** wait (not a timed assertion: a readiness poll) until the server answers a name from the API */
// generous: on a starved 2-CPU machine five servers loading @kubernetes/client-node at once were
// seen to need more than 30 s before their first list request (they answer SERVFAIL meanwhile, K35)
export async function waitForAnswer(port: number, proc: ServerProcess, name: string, type = 'A', limitMs = 90_000): Promise<void> {
  let last = '';
  await waitFor(async () => {
    const r = await dig(port, name, type, ['+time=1']);
    last = r.raw;
    return r.status === 'NOERROR' && r.answer.length > 0;
  }, { what: `dns-server on port ${port} to answer ${name}`, timeout: limitMs, interval: 200,
    show: () => `last reply:\n${last}\nserver output:\n${proc.output()}`,
    failIf: () => proc.child.exitCode !== null && `dns-server exited with ${proc.child.exitCode}:\n${proc.output()}`,
  });
}

/** 32 reversed nibbles + ip6.arpa for an IPv6 address (K9) */
export function ip6arpa(ip: string): string {
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const hex = groups.map((g) => g.padStart(4, '0')).join('');
  return `${[...hex].reverse().join('.')}.ip6.arpa.`;
}

export function inaddr(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
}
