// A container's environment as the kubelet builds it: the image's PATH, HOSTNAME, the Docker-link
// style variables of every Service in the pod's namespace (plus `kubernetes` from default), then
// the container's own env.
import type { ClusterStore, KubeObject } from '../contracts.ts';
import type { ContainerSpec, PodView } from './pod-spec.ts';

export const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface SvcPort { name?: string; port: number; protocol?: string }

function serviceVars(svc: KubeObject): Array<[string, string]> {
  const spec = (svc.spec ?? {}) as { clusterIP?: string; ports?: SvcPort[] };
  const ip = spec.clusterIP;
  const ports = spec.ports ?? [];
  if (!ip || ip === 'None' || ports.length === 0) return [];
  const prefix = (svc.metadata.name ?? '').toUpperCase().replace(/-/g, '_');
  const out: Array<[string, string]> = [[`${prefix}_SERVICE_HOST`, ip], [`${prefix}_SERVICE_PORT`, String(ports[0].port)]];
  for (const p of ports) if (p.name) out.push([`${prefix}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
  const first = ports[0];
  out.push([`${prefix}_PORT`, `${(first.protocol ?? 'TCP').toLowerCase()}://${ip}:${first.port}`]);
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    const base = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push([base, `${proto}://${ip}:${p.port}`], [`${base}_PROTO`, proto], [`${base}_PORT`, String(p.port)], [`${base}_ADDR`, ip]);
  }
  return out;
}

export function containerEnv(pod: PodView, container: ContainerSpec, store: ClusterStore): Map<string, string> {
  const env = new Map<string, string>([['PATH', IMAGE_PATH], ['HOSTNAME', pod.spec.hostname ?? pod.name]]);
  if (pod.spec.enableServiceLinks !== false) {
    const services = store.list('services', { namespace: pod.namespace }).items;
    if (pod.namespace !== 'default') {
      const k = store.get('services', 'default', 'kubernetes');
      if (k) services.push(k);
    }
    for (const svc of services) {
      if (pod.namespace !== 'default' && svc.metadata.namespace === 'default' && svc.metadata.name !== 'kubernetes') continue;
      for (const [k, v] of serviceVars(svc)) env.set(k, v);
    }
  }
  for (const e of container.env ?? []) env.set(e.name, e.value ?? '');
  env.set('HOME', '/root');
  return env;
}
