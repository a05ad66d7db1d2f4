// The slices of Kubernetes objects DNS answers need (CoreDNS's plugin/kubernetes/object), and
// the conversions from API objects to them. Keeping only these fields is what keeps memory near
// CoreDNS's at 10,000 objects.
import { canonicalIP } from './ip.ts';

export interface PortEntry {
  /** lower-cased port name, '' when unnamed */
  name: string;
  /** lower-cased: tcp, udp, sctp */
  protocol: string;
  /** -1 when the object declares no port (CoreDNS's sentinel) */
  port: number;
}

export interface ServiceEntry {
  name: string;
  namespace: string;
  type: string;
  headless: boolean;
  /** canonical ClusterIPs (both families for dual-stack), empty for headless/ExternalName */
  clusterIPs: string[];
  externalName: string;
  ports: PortEntry[];
}

export interface EndpointAddress {
  ip: string;
  hostname: string;
  targetRefName: string;
  nodeName: string;
}

export interface SliceEntry {
  name: string;
  namespace: string;
  /** the Service this slice belongs to (label kubernetes.io/service-name) */
  service: string;
  /** ready addresses only (conditions.ready unset counts as ready) */
  addresses: EndpointAddress[];
  ports: PortEntry[];
}

export interface PodEntry {
  name: string;
  namespace: string;
  ips: string[];
}

/** The API object shapes we read; typed client models and raw watch JSON both fit. */
export interface ObjectMeta { name?: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string; deletionTimestamp?: unknown }
export interface KubeObject { metadata?: ObjectMeta; [k: string]: unknown }

const NO_PORT: PortEntry = { name: '', protocol: 'tcp', port: -1 };

function ports(list: unknown): PortEntry[] {
  const out: PortEntry[] = [];
  if (Array.isArray(list)) {
    for (const p of list as Array<{ name?: string; protocol?: string; port?: number | null }>) {
      out.push({
        name: (p.name ?? '').toLowerCase(),
        protocol: (p.protocol ?? 'TCP').toLowerCase(),
        port: typeof p.port === 'number' ? p.port : -1,
      });
    }
  }
  return out.length > 0 ? out : [NO_PORT];
}

export function toService(obj: KubeObject): ServiceEntry {
  const spec = (obj.spec ?? {}) as { type?: string; clusterIP?: string; clusterIPs?: string[]; externalName?: string; ports?: unknown };
  const type = spec.type ?? 'ClusterIP';
  const raw = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const headless = type !== 'ExternalName' && (raw.length === 0 || raw[0] === 'None');
  const clusterIPs = headless ? [] : raw.map((ip) => canonicalIP(ip)).filter((ip): ip is string => ip !== undefined);
  return {
    name: (obj.metadata?.name ?? '').toLowerCase(),
    namespace: (obj.metadata?.namespace ?? '').toLowerCase(),
    type,
    headless,
    clusterIPs: type === 'ExternalName' ? [] : clusterIPs,
    externalName: type === 'ExternalName' ? (spec.externalName ?? '').toLowerCase().replace(/\.$/, '') : '',
    ports: ports(spec.ports),
  };
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

export function toSlice(obj: KubeObject): SliceEntry {
  const endpoints = (obj.endpoints ?? []) as Array<{
    addresses?: string[];
    conditions?: { ready?: boolean | null };
    hostname?: string;
    targetRef?: { kind?: string; name?: string };
    nodeName?: string;
  }>;
  const addresses: EndpointAddress[] = [];
  for (const ep of endpoints ?? []) {
    if (ep.conditions?.ready === false) continue;
    const targetRefName = ep.targetRef?.name && ep.targetRef.name.length < 64 ? ep.targetRef.name.toLowerCase() : '';
    for (const a of ep.addresses ?? []) {
      const ip = canonicalIP(a);
      if (!ip) continue;
      addresses.push({ ip, hostname: (ep.hostname ?? '').toLowerCase(), targetRefName, nodeName: ep.nodeName ?? '' });
    }
  }
  return {
    name: obj.metadata?.name ?? '',
    namespace: (obj.metadata?.namespace ?? '').toLowerCase(),
    service: (obj.metadata?.labels?.[SERVICE_NAME_LABEL] ?? '').toLowerCase(),
    addresses,
    ports: ports(obj.ports),
  };
}

export function toPod(obj: KubeObject): PodEntry {
  const status = (obj.status ?? {}) as { podIP?: string; podIPs?: Array<{ ip?: string }> };
  const raw = status.podIPs && status.podIPs.length > 0 ? status.podIPs.map((p) => p.ip ?? '') : status.podIP ? [status.podIP] : [];
  // a terminating pod's IP may already belong to its successor
  const ips = obj.metadata?.deletionTimestamp ? [] : raw.map((ip) => canonicalIP(ip)).filter((ip): ip is string => ip !== undefined);
  return { name: obj.metadata?.name ?? '', namespace: (obj.metadata?.namespace ?? '').toLowerCase(), ips };
}

/**
 * The informer keeps every object it saw; dropping what DNS never reads from its copy is the
 * difference between ~3 kB and ~0.3 kB per pod. Only identity and resourceVersion must stay.
 */
export function slimInPlace(obj: KubeObject): void {
  const meta = obj.metadata;
  if (meta) {
    for (const k of Object.keys(meta)) {
      if (k !== 'name' && k !== 'namespace' && k !== 'resourceVersion' && k !== 'uid') delete (meta as Record<string, unknown>)[k];
    }
  }
  for (const k of Object.keys(obj)) if (k !== 'metadata') delete obj[k];
}

/**
 * The fields DNS reads, copied out of a listed object before the next page is parsed, so a
 * 10,000-object list never holds 10,000 full objects at once. toService/toSlice/toPod accept it.
 */
export function compact(obj: KubeObject): KubeObject {
  const m = obj.metadata ?? {};
  const serviceName = m.labels?.[SERVICE_NAME_LABEL];
  const out: KubeObject = {
    metadata: {
      name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion,
      ...(serviceName !== undefined ? { labels: { [SERVICE_NAME_LABEL]: serviceName } } : {}),
      ...(m.deletionTimestamp ? { deletionTimestamp: m.deletionTimestamp } : {}),
    },
  };
  const spec = obj.spec as Record<string, unknown> | undefined;
  if (spec) out.spec = { type: spec.type, clusterIP: spec.clusterIP, clusterIPs: spec.clusterIPs, externalName: spec.externalName, ports: spec.ports };
  if (obj.endpoints) out.endpoints = obj.endpoints;
  if (obj.ports) out.ports = obj.ports;
  const status = obj.status as Record<string, unknown> | undefined;
  if (status && (status.podIP || status.podIPs)) out.status = { podIP: status.podIP, podIPs: status.podIPs };
  return out;
}

