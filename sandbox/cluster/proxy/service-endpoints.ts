// Reads, from the store, what kube-proxy reads: the Service behind a virtual IP and the ready
// endpoints of one of its ports. EndpointSlices are the source of truth (as for kube-proxy since
// 1.19); the legacy Endpoints object is used only for a Service that has no slices at all.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import type { Protocol } from './backend-registry.ts';

export interface ServicePortRef {
  namespace: string;
  service: string;
  /** the Service port's name ('' when unnamed): endpoint ports are matched by it */
  portName: string;
  port: number;
  protocol: Protocol;
}

export interface EndpointAddress {
  ip: string;
  port: number;
}

interface ServiceSpecPort { name?: string; port: number; protocol?: string; targetPort?: number | string }

function servicePorts(svc: KubeObject): ServiceSpecPort[] {
  const spec = (svc.spec ?? {}) as { ports?: ServiceSpecPort[] };
  return spec.ports ?? [];
}

function clusterIPs(svc: KubeObject): string[] {
  const spec = (svc.spec ?? {}) as { clusterIP?: string; clusterIPs?: string[] };
  const ips = new Set<string>(spec.clusterIPs ?? []);
  if (spec.clusterIP && spec.clusterIP !== 'None') ips.add(spec.clusterIP);
  return [...ips];
}

/** the Service port answering vip:port/protocol, or undefined when no Service has it */
export function findServicePort(store: ClusterStore, vip: string, port: number, protocol: Protocol): ServicePortRef | undefined {
  for (const svc of store.list('services').items) {
    if (!clusterIPs(svc).includes(vip)) continue;
    const p = servicePorts(svc).find((sp) => sp.port === port && (sp.protocol ?? 'TCP') === protocol);
    if (!p) return undefined;
    return { namespace: svc.metadata.namespace ?? 'default', service: svc.metadata.name ?? '', portName: p.name ?? '', port, protocol };
  }
  return undefined;
}

/** the Service's ClusterIP, by name */
export function serviceVIP(store: ClusterStore, namespace: string, name: string): string | undefined {
  const svc = store.get('services', namespace, name);
  return svc ? clusterIPs(svc)[0] : undefined;
}

interface SliceEndpoint { addresses?: string[]; conditions?: { ready?: boolean } }
interface SlicePort { name?: string; port?: number; protocol?: string }

function fromSlices(store: ClusterStore, ref: ServicePortRef): EndpointAddress[] | undefined {
  const slices = store.list('endpointslices.discovery.k8s.io', {
    namespace: ref.namespace,
    labelSelector: `kubernetes.io/service-name=${ref.service}`,
  }).items;
  if (slices.length === 0) return undefined;
  const out: EndpointAddress[] = [];
  for (const slice of slices) {
    const ports = (slice.ports ?? []) as SlicePort[];
    const sp = ports.find((p) => (p.name ?? '') === ref.portName && (p.protocol ?? 'TCP') === ref.protocol);
    if (!sp || typeof sp.port !== 'number') continue;
    for (const ep of (slice.endpoints ?? []) as SliceEndpoint[]) {
      // a missing ready condition means ready (EndpointSlice API docs)
      if (ep.conditions?.ready === false) continue;
      const ip = ep.addresses?.[0];
      if (ip) out.push({ ip, port: sp.port });
    }
  }
  return out;
}

interface Subset { addresses?: Array<{ ip: string }>; ports?: Array<{ name?: string; port: number; protocol?: string }> }

function fromEndpoints(store: ClusterStore, ref: ServicePortRef): EndpointAddress[] {
  const eps = store.get('endpoints', ref.namespace, ref.service);
  const out: EndpointAddress[] = [];
  for (const subset of ((eps?.subsets ?? []) as Subset[])) {
    const sp = (subset.ports ?? []).find((p) => (p.name ?? '') === ref.portName && (p.protocol ?? 'TCP') === ref.protocol);
    if (!sp) continue;
    for (const a of subset.addresses ?? []) out.push({ ip: a.ip, port: sp.port });
  }
  return out;
}

/** ready endpoints of one Service port, deduplicated, in a stable order */
export function readyEndpoints(store: ClusterStore, ref: ServicePortRef): EndpointAddress[] {
  const list = fromSlices(store, ref) ?? fromEndpoints(store, ref);
  const seen = new Set<string>();
  return list
    .filter((e) => { const k = `${e.ip}:${e.port}`; if (seen.has(k)) return false; seen.add(k); return true; })
    .sort((a, b) => (a.ip === b.ip ? a.port - b.port : a.ip.localeCompare(b.ip, 'en', { numeric: true })));
}
