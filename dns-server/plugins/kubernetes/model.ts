// The plugin's live view of the cluster, indexed the ways queries ask: services by namespace/name,
// ClusterIPs and endpoint IPs for PTR, slices by service, pods by IP. Informers write it;
// lookups read it. Every write bumps the SOA serial and tells the listener (answer cache).
import type { EndpointAddress, PodEntry, ServiceEntry, SliceEntry } from './objects.ts';

const key = (namespace: string, name: string): string => `${namespace}/${name}`;

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}
function removeFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}

export class ClusterModel {
  private readonly services = new Map<string, ServiceEntry>();
  private readonly servicesByIP = new Map<string, Set<ServiceEntry>>();
  private readonly slices = new Map<string, SliceEntry>();
  private readonly slicesByService = new Map<string, Set<SliceEntry>>();
  private readonly slicesByIP = new Map<string, Set<SliceEntry>>();
  private readonly pods = new Map<string, PodEntry>();
  private readonly podsByIP = new Map<string, Set<PodEntry>>();
  private readonly namespaces = new Set<string>();
  /** Unix seconds of the last change: the SOA serial (K28) */
  serial = Math.floor(Date.now() / 1000);
  onChange: () => void = () => {};

  private changed(): void {
    this.serial = Math.floor(Date.now() / 1000);
    this.onChange();
  }

  // --- writes ---

  putService(s: ServiceEntry): void {
    this.dropService(s.namespace, s.name, false);
    this.services.set(key(s.namespace, s.name), s);
    for (const ip of s.clusterIPs) addTo(this.servicesByIP, ip, s);
    this.changed();
  }

  deleteService(namespace: string, name: string): void {
    this.dropService(namespace.toLowerCase(), name.toLowerCase(), true);
  }

  private dropService(namespace: string, name: string, notify: boolean): void {
    const old = this.services.get(key(namespace, name));
    if (!old) return;
    this.services.delete(key(namespace, name));
    for (const ip of old.clusterIPs) removeFrom(this.servicesByIP, ip, old);
    if (notify) this.changed();
  }

  putSlice(s: SliceEntry): void {
    this.dropSlice(s.namespace, s.name, false);
    this.slices.set(key(s.namespace, s.name), s);
    addTo(this.slicesByService, key(s.namespace, s.service), s);
    for (const a of s.addresses) addTo(this.slicesByIP, a.ip, s);
    this.changed();
  }

  deleteSlice(namespace: string, name: string): void {
    this.dropSlice(namespace.toLowerCase(), name, true);
  }

  private dropSlice(namespace: string, name: string, notify: boolean): void {
    const old = this.slices.get(key(namespace, name));
    if (!old) return;
    this.slices.delete(key(namespace, name));
    removeFrom(this.slicesByService, key(old.namespace, old.service), old);
    for (const a of old.addresses) removeFrom(this.slicesByIP, a.ip, old);
    if (notify) this.changed();
  }

  putPod(p: PodEntry): void {
    this.dropPod(p.namespace, p.name, false);
    this.pods.set(key(p.namespace, p.name), p);
    for (const ip of p.ips) addTo(this.podsByIP, ip, p);
    this.changed();
  }

  deletePod(namespace: string, name: string): void {
    this.dropPod(namespace.toLowerCase(), name, true);
  }

  private dropPod(namespace: string, name: string, notify: boolean): void {
    const old = this.pods.get(key(namespace, name));
    if (!old) return;
    this.pods.delete(key(namespace, name));
    for (const ip of old.ips) removeFrom(this.podsByIP, ip, old);
    if (notify) this.changed();
  }

  putNamespace(name: string): void {
    this.namespaces.add(name.toLowerCase());
    this.changed();
  }

  deleteNamespace(name: string): void {
    if (this.namespaces.delete(name.toLowerCase())) this.changed();
  }

  // --- reads ---

  hasNamespace(name: string): boolean {
    return this.namespaces.has(name);
  }

  service(namespace: string, name: string): ServiceEntry | undefined {
    return this.services.get(key(namespace, name));
  }

  /** every slice of a service; one endpoint may be in several */
  slicesOf(namespace: string, service: string): Iterable<SliceEntry> {
    return this.slicesByService.get(key(namespace, service)) ?? [];
  }

  readyAddressCount(namespace: string, service: string): number {
    let n = 0;
    for (const s of this.slicesOf(namespace, service)) n += s.addresses.length;
    return n;
  }

  servicesWithClusterIP(ip: string): Iterable<ServiceEntry> {
    return this.servicesByIP.get(ip) ?? [];
  }

  /** (slice, address) pairs whose address is ip */
  *endpointsWithIP(ip: string): Iterable<{ slice: SliceEntry; address: EndpointAddress }> {
    for (const slice of this.slicesByIP.get(ip) ?? []) {
      for (const address of slice.addresses) if (address.ip === ip) yield { slice, address };
    }
  }

  podsWithIP(ip: string): Iterable<PodEntry> {
    return this.podsByIP.get(ip) ?? [];
  }

  counts(): { services: number; slices: number; pods: number; namespaces: number } {
    return { services: this.services.size, slices: this.slices.size, pods: this.pods.size, namespaces: this.namespaces.size };
  }
}
