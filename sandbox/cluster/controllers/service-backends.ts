// The pods behind a Service, with each one's resolved ports (targetPort by number or by
// container port name) and readiness: what both the Endpoints and EndpointSlice controllers publish.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import { isReady, isTerminal } from './pod-status.ts';
import { serviceSelects } from './selector.ts';

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  appProtocol?: string;
}

export interface BackendPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface Backend {
  pod: KubeObject;
  ip: string;
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
  ports: BackendPort[];
  /** the pod's spec.hostname, published only when its spec.subdomain names this Service */
  hostname?: string;
}

export interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: ServicePort[];
  publishNotReadyAddresses?: boolean;
  type?: string;
  clusterIP?: string;
}

// Both controllers label the objects of a Service without a cluster IP (kubernetes
// pkg/controller/endpoint and endpointslice/reconciler: v1.IsHeadlessService).
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export function isHeadless(svc: KubeObject): boolean {
  return ((svc.spec ?? {}) as ServiceSpec).clusterIP === 'None';
}

/** the Service manages endpoints only when it has a selector (and is not ExternalName) */
export function managesEndpoints(svc: KubeObject): boolean {
  const spec = (svc.spec ?? {}) as ServiceSpec;
  return spec.type !== 'ExternalName' && !!spec.selector && Object.keys(spec.selector).length > 0;
}

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export function resolvePort(pod: KubeObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const containers = ((pod.spec as { containers?: Array<{ ports?: ContainerPort[] }> }).containers) ?? [];
  for (const c of containers)
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  return undefined;
}

export function serviceBackends(store: ClusterStore, svc: KubeObject): Backend[] {
  const spec = (svc.spec ?? {}) as ServiceSpec;
  // read only: the backends read their pods and copy nothing out of them but strings, and a copy
  // of every pod of the namespace on each Service's reconcile was the store's most copied list
  const pods = store.list('pods', { namespace: svc.metadata.namespace }, true).items;
  const out: Backend[] = [];
  for (const pod of pods) {
    if (!serviceSelects(spec.selector, pod.metadata.labels)) continue;
    const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
    if (!ip || isTerminal(pod)) continue;
    const ports: BackendPort[] = [];
    for (const sp of spec.ports ?? []) {
      const port = resolvePort(pod, sp);
      if (port === undefined) continue;
      ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const terminating = !!pod.metadata.deletionTimestamp;
    // as the controllers' podToEndpoint: hostname only when subdomain is this Service's name
    const podSpec = pod.spec as { hostname?: string; subdomain?: string };
    const hostname = podSpec.hostname && podSpec.subdomain === svc.metadata.name ? podSpec.hostname : undefined;
    const podReady = isReady(pod);
    out.push({
      pod,
      ip,
      nodeName: (pod.spec as { nodeName?: string }).nodeName,
      ready: (podReady || !!spec.publishNotReadyAddresses) && !terminating,
      serving: podReady || !!spec.publishNotReadyAddresses,
      terminating,
      ports,
      ...(hostname ? { hostname } : {}),
    });
  }
  return out.sort((a, b) => compareIp(a.ip, b.ip));
}

export function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export function targetRef(pod: KubeObject): Record<string, string> {
  return { kind: 'Pod', namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid! };
}
