// Where a packet or connection from inside a pod really goes. Pods live on the emulated cluster
// network only: Service VIPs (through the service proxy; the `kubernetes` Service's port 443 is
// the API server), pod IPs (the ports their runtimes registered), the pod's own loopback, and
// the node's resolver (the VPC resolver its resolv.conf names). Any other address is a
// blackhole: nothing is sent, and the sender times out as it would on a real node.
import type { Protocol, RealAddress } from '../proxy/index.ts';
import { serviceVIP } from '../proxy/service-endpoints.ts';
import type { PodView } from './pod-spec.ts';
import type { RuntimeContext } from './runtime-context.ts';

/** an address that answers; 'refused': something is there but not that port (an RST or ICMP port unreachable); 'unreachable': a blackhole */
export type PodRoute = RealAddress | 'refused' | 'unreachable';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function podRoute(ctx: RuntimeContext, pod: PodView, ip: string, port: number, protocol: Protocol): PodRoute {
  const { proxy } = ctx;
  if (LOOPBACK.has(ip) || ip.startsWith('127.') || (pod.podIP && ip === pod.podIP)) {
    return (pod.podIP && proxy.backends.lookup(pod.podIP, port, protocol)) || 'refused';
  }
  if (proxy.isServiceIP(ip)) {
    if (ctx.credentials && protocol === 'TCP' && port === 443 && ip === serviceVIP(ctx.store, 'default', 'kubernetes')) return ctx.credentials.apiServer();
    // kube-proxy rejects connections to a Service without ready endpoints
    return proxy.resolve(ip, port, protocol) ?? 'refused';
  }
  const direct = proxy.backends.lookup(ip, port, protocol);
  if (direct) return direct;
  if (port === 53 && ctx.dns.nodeResolvConf(pod).nameservers.includes(ip)) return ctx.nodeResolver() ?? 'unreachable';
  // a pod that exists answers with a refusal; anything else is off the cluster network
  const isPod = proxy.backends.entriesFor(ip).length > 0 || ctx.store.list('pods').items.some((p) => (p.status as { podIP?: string } | undefined)?.podIP === ip);
  return isPod ? 'refused' : 'unreachable';
}
