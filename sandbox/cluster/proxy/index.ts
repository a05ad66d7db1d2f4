// The embedded cluster's kube-proxy: Service VIP and port -> one ready endpoint (round-robin) ->
// the loopback address that really serves that pod's port. Pod runtimes register their ports
// here, and their client sockets (so the DNS server can log the pod IP of a client).
import type { ClusterStore } from '../contracts.ts';
import { BackendRegistry, type Protocol, type RealAddress } from './backend-registry.ts';
import { ClientIdentities } from './client-identity.ts';
import { findServicePort, readyEndpoints, serviceVIP, type EndpointAddress } from './service-endpoints.ts';
import { publishDns, type PublishedDns } from './dns-publisher.ts';

export type { Protocol, RealAddress } from './backend-registry.ts';
export type { PublishedDns } from './dns-publisher.ts';
export { PublishError } from './errors.ts';

export interface ServiceProxyOptions {
  store: ClusterStore;
  /** the Service publish() forwards to; kube-system/kube-dns by default */
  dnsService?: { namespace: string; name: string; port?: number };
}

export interface Resolved extends RealAddress {
  /** the endpoint chosen, as the cluster sees it */
  endpoint: EndpointAddress;
}

export interface ServiceProxy {
  /**
   * Where a connection to ip:port/protocol really goes. ip is a Service VIP (round-robin over its
   * ready endpoints that are listening) or a pod IP. undefined: nothing answers there (kube-proxy
   * would reject it), so the caller reports "connection refused" or a DNS timeout.
   */
  resolve(ip: string, port: number, protocol?: Protocol): Resolved | undefined;
  /** true when ip is a ClusterIP of some Service */
  isServiceIP(ip: string): boolean;
  readonly backends: BackendRegistry;
  readonly clients: ClientIdentities;
  /** forward UDP and TCP on host:dnsPort to the DNS Service; 0 picks a free port */
  publish(dnsPort: number, host?: string): Promise<PublishedDns>;
  close(): Promise<void>;
}

export function createServiceProxy(opts: ServiceProxyOptions): ServiceProxy {
  const { store } = opts;
  const given = opts.dnsService ?? { namespace: 'kube-system', name: 'kube-dns' };
  const dnsService = { ...given, port: given.port ?? 53 };
  const backends = new BackendRegistry();
  const clients = new ClientIdentities();
  const nextIndex = new Map<string, number>();
  const published = new Set<PublishedDns>();

  const resolve = (ip: string, port: number, protocol: Protocol = 'TCP'): Resolved | undefined => {
    const ref = findServicePort(store, ip, port, protocol);
    if (!ref) {
      const direct = backends.lookup(ip, port, protocol);
      return direct && { ...direct, endpoint: { ip, port } };
    }
    const live = readyEndpoints(store, ref)
      .map((endpoint) => ({ endpoint, real: backends.lookup(endpoint.ip, endpoint.port, protocol) }))
      .filter((c): c is { endpoint: EndpointAddress; real: RealAddress } => c.real !== undefined);
    if (live.length === 0) return undefined;
    const k = `${ip}:${port}/${protocol}`;
    const i = (nextIndex.get(k) ?? 0) % live.length;
    nextIndex.set(k, i + 1);
    return { ...live[i].real, endpoint: live[i].endpoint };
  };

  return {
    resolve,
    isServiceIP: (ip) => store.list('services').items.some((s) => {
      const spec = (s.spec ?? {}) as { clusterIP?: string; clusterIPs?: string[] };
      return spec.clusterIP === ip || (spec.clusterIPs ?? []).includes(ip);
    }),
    backends,
    clients,
    async publish(dnsPort, host) {
      const pick = (protocol: 'UDP' | 'TCP') => {
        const vip = serviceVIP(store, dnsService.namespace, dnsService.name);
        return vip ? resolve(vip, dnsService.port, protocol) : undefined;
      };
      const p = await publishDns(pick, dnsPort, host);
      published.add(p);
      return { ...p, close: async () => { published.delete(p); await p.close(); } };
    },
    async close() {
      await Promise.all([...published].map((p) => p.close()));
      published.clear();
    },
  };
}
