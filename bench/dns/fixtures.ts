// The benchmark's cluster and query mix, generated from a seed: Services spread over a few
// namespaces with ClusterIPs, the same names as a hosts file for dnsmasq, and a dnsperf query
// file: 60% A for existing names, 20% AAAA for them (NODATA), 20% names a pod's search list
// (ndots:5) makes up on the way to a real answer (NXDOMAIN).
import { endpointSlice, namespace, pod, service } from '../../dns-server/test-support/kube/objects.ts';
import type { StubObject } from '../../dns-server/test-support/kube/stub-api.ts';

export const NAMESPACES = ['default', 'kube-system', 'shop', 'payments', 'monitoring'];

/** xorshift32: a few lines, deterministic, good enough to shuffle queries */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

export interface BenchService { ns: string; name: string; ip: string }

export function benchServices(count: number): BenchService[] {
  const out: BenchService[] = [
    { ns: 'default', name: 'kubernetes', ip: '10.96.0.1' },
    { ns: 'kube-system', name: 'kube-dns', ip: '10.96.0.10' },
  ];
  for (let i = 0; out.length < count; i++) {
    const n = i + 16;
    out.push({ ns: NAMESPACES[i % NAMESPACES.length]!, name: `svc-${i}`, ip: `10.96.${(n >> 8) & 255}.${n & 255}` });
  }
  return out;
}

export function fqdn(s: BenchService): string {
  return `${s.name}.${s.ns}.svc.cluster.local`;
}

export function clusterObjects(services: BenchService[]): StubObject[] {
  return [
    ...NAMESPACES.map((n) => namespace(n)),
    ...services.map((s) => service({ namespace: s.ns, name: s.name, clusterIP: s.ip, ports: [{ name: 'http', port: 80 }] })),
  ];
}

/** services + one pod and one EndpointSlice per service: the memory test's "objects" */
export function memoryObjects(services: number, pods: number): StubObject[] {
  const svcs = benchServices(services);
  const out = clusterObjects(svcs);
  for (let i = 0; i < pods; i++) {
    const s = svcs[i % svcs.length]!;
    const ip = `10.${100 + ((i >> 16) & 15)}.${(i >> 8) & 255}.${i & 255}`;
    const podName = `${s.name}-${i.toString(36)}-x7k2p`;
    out.push(pod(s.ns, podName, ip));
    out.push(endpointSlice({ namespace: s.ns, service: s.name, name: `${s.name}-${i.toString(36)}`, endpoints: [{ addresses: [ip], pod: podName, nodeName: `node-${i % 5}` }], ports: [{ name: 'http', port: 8080 }] }));
  }
  return out;
}

export function hostsFile(services: BenchService[]): string {
  return services.map((s) => `${s.ip} ${fqdn(s)}`).join('\n') + '\n';
}

export function queryFile(services: BenchService[], lines: number, seed = 7): string {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const podNs = ['default', 'shop', 'payments'];
  const external = ['www.google.com', 'api.github.com', 'registry.npmjs.org', 'redis', 'db'];
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const r = rnd();
    const s = pick(services);
    if (r < 0.6) out.push(`${fqdn(s)} A`);
    else if (r < 0.8) out.push(`${fqdn(s)} AAAA`);
    else {
      const p = pick(podNs);
      const shape = Math.floor(rnd() * 4);
      const name =
        shape === 0 ? `${s.name}.${s.ns}.${p}.svc.cluster.local`
        : shape === 1 ? `${fqdn(s)}.${p}.svc.cluster.local`
        : shape === 2 ? `${fqdn(s)}.svc.cluster.local`
        : `${pick(external)}.${p}.svc.cluster.local`;
      out.push(`${name} ${rnd() < 0.5 ? 'A' : 'AAAA'}`);
    }
  }
  return out.join('\n') + '\n';
}

/**
 * The same mix with every letter's case drawn at random: DNS names are case-insensitive, so
 * answers do not change, but the server's answer cache (keyed on the question's bytes, which it
 * echoes) misses nearly every time, and each query runs the whole chain and the plugin's lookup.
 */
export function coldQueryFile(services: BenchService[], lines: number, seed = 11): string {
  const rnd = prng(seed);
  return queryFile(services, lines, seed)
    .split('\n')
    .map((l) => {
      const sp = l.lastIndexOf(' ');
      if (sp < 0) return l;
      let name = '';
      for (const ch of l.slice(0, sp)) name += rnd() < 0.5 ? ch.toUpperCase() : ch;
      return `${name}${l.slice(sp)}`;
    })
    .join('\n');
}

