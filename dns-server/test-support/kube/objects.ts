// Builders for the API objects DNS tests need, shaped as the real API serves them.
import type { StubObject } from './stub-api.ts';

export interface PortSpec {
  name?: string;
  port: number;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export function namespace(name: string, labels?: Record<string, string>): StubObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } }, spec: {}, status: { phase: 'Active' } };
}

export interface ServiceSpec {
  namespace: string;
  name: string;
  /** one IP, several (dual-stack), 'None' for headless; omitted for ExternalName */
  clusterIP?: string | string[];
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  externalName?: string;
  ports?: PortSpec[];
  labels?: Record<string, string>;
}

export function service(s: ServiceSpec): StubObject {
  const ips = s.clusterIP === undefined ? [] : Array.isArray(s.clusterIP) ? s.clusterIP : [s.clusterIP];
  const spec: Record<string, unknown> = { type: s.type ?? 'ClusterIP' };
  if (s.type === 'ExternalName') spec.externalName = s.externalName;
  else {
    spec.clusterIP = ips[0] ?? 'None';
    spec.clusterIPs = ips.length ? ips : ['None'];
    spec.ipFamilies = ips.filter((ip) => ip !== 'None').map((ip) => (ip.includes(':') ? 'IPv6' : 'IPv4'));
  }
  if (s.ports) spec.ports = s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol ?? 'TCP', targetPort: p.port }));
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: s.namespace, labels: s.labels }, spec, status: {} };
}

export interface EndpointSpec {
  addresses: string[];
  ready?: boolean | null;
  hostname?: string;
  /** pod name for targetRef */
  pod?: string;
  nodeName?: string;
}

export interface SliceSpec {
  namespace: string;
  service: string;
  /** defaults to `<service>-<family>` */
  name?: string;
  endpoints: EndpointSpec[];
  ports?: Array<PortSpec | { name?: string; port?: null; protocol?: string }>;
}

export function endpointSlice(s: SliceSpec): StubObject {
  const family = s.endpoints.some((e) => e.addresses.some((a) => a.includes(':'))) ? 'IPv6' : 'IPv4';
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: s.name ?? `${s.service}-${family.toLowerCase()}`, namespace: s.namespace, labels: { 'kubernetes.io/service-name': s.service } },
    addressType: family,
    endpoints: s.endpoints.map((e) => ({
      addresses: e.addresses,
      conditions: e.ready === null ? {} : { ready: e.ready ?? true },
      ...(e.hostname ? { hostname: e.hostname } : {}),
      ...(e.pod ? { targetRef: { kind: 'Pod', name: e.pod, namespace: s.namespace } } : {}),
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
    })),
    ports: (s.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port ?? null, protocol: p.protocol ?? 'TCP' })),
  };
}

export function pod(namespace: string, name: string, ips: string | string[], extra: { deleting?: boolean } = {}): StubObject {
  const list = Array.isArray(ips) ? ips : [ips];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, ...(extra.deleting ? { deletionTimestamp: new Date().toISOString() } : {}) },
    spec: { containers: [{ name: 'c', image: 'busybox:1.28' }], nodeName: 'node-1' },
    status: { phase: 'Running', podIP: list[0], podIPs: list.map((ip) => ({ ip })) },
  };
}
