// Where a packet or connection from inside a pod really goes. Pods live on the emulated cluster
// network only: Service VIPs (through the service proxy; the `kubernetes` Service's port 443 is
// the API server), pod IPs (the ports their runtimes registered), the pod's own loopback, and
// the node's resolver (the VPC resolver its resolv.conf names). Any other address is a
// blackhole: nothing is sent, and the sender times out as it would on a real node.
import type { Protocol, RealAddress } from '../proxy/index.ts';
import { cidrContains, parseCidr, parseIPv4 } from '../resources/ip-range.ts';
import { serviceVIP } from '../proxy/service-endpoints.ts';
import type { PodView } from './pod-spec.ts';
import type { RuntimeContext } from './runtime-context.ts';

/**
 * an address that answers; 'refused': something is there but not that port (an RST or ICMP port
 * unreachable); 'unreachable': a blackhole
 */
export type PodRoute = RealAddress | 'refused' | 'unreachable';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** the chapter's cluster: service CIDR 100.64.0.0/13, pod CIDR 100.96.0.0/11 */
export const DEFAULT_CLUSTER_CIDRS = ['100.64.0.0/13', '100.96.0.0/11'];

function onClusterNetwork(ctx: RuntimeContext, ip: string): boolean {
  const n = parseIPv4(ip);
  if (n === undefined) return false;
  if ((ctx.clusterCIDRs ?? DEFAULT_CLUSTER_CIDRS).some((c) => cidrContains(parseCidr(c), n))) return true;
  // the nodes themselves answer (with a refusal on a port nothing serves)
  return ctx.store.list('nodes').items.some((node) => ((node.status as { addresses?: Array<{ address: string }> } | undefined)?.addresses ?? []).some((a) => a.address === ip));
}

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
  // on the cluster network nothing serves that port: a refusal; anything else is a blackhole
  return onClusterNetwork(ctx, ip) ? 'refused' : 'unreachable';
}
