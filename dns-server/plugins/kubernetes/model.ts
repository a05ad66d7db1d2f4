// The plugin's live view of the cluster, indexed the ways queries ask: services by namespace/name,
// ClusterIPs and endpoint IPs for PTR, slices by service, pods by IP. Informers write it;
// lookups read it. Every write bumps the SOA serial and tells the listener (answer cache).
// Memory: names are nested maps (namespace -> name), so no "ns/name" key string is built per
// object or per query, and an index slot holds the entry itself until a second one shares the
// key (an IP seldom has two owners), instead of a Set per key.
import type { EndpointAddress, PodEntry, ServiceEntry, SliceEntry } from './objects.ts';

type Slot<V> = V | V[];

/** entries keyed by one string; a key with one entry holds it directly */
class MultiIndex<K, V extends object> {
  private readonly slots = new Map<K, Slot<V>>();

  add(k: K, v: V): void {
    const s = this.slots.get(k);
    if (s === undefined) this.slots.set(k, v);
    else if (Array.isArray(s)) {
      if (!s.includes(v)) s.push(v);
    } else if (s !== v) this.slots.set(k, [s, v]);
  }

  remove(k: K, v: V): void {
    const s = this.slots.get(k);
    if (s === undefined) return;
    if (!Array.isArray(s)) {
      if (s === v) this.slots.delete(k);
      return;
    }
    const i = s.indexOf(v);
    if (i < 0) return;
    s.splice(i, 1);
    if (s.length === 1) this.slots.set(k, s[0]!);
  }

  get(k: K): readonly V[] {
    const s = this.slots.get(k);
    return s === undefined ? [] : Array.isArray(s) ? s : [s];
  }
}

/** namespace -> name -> entry */
class NamedMap<V> {
  private readonly byNamespace = new Map<string, Map<string, V>>();
  size = 0;

  get(namespace: string, name: string): V | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  set(namespace: string, name: string, v: V): void {
    let m = this.byNamespace.get(namespace);
    if (!m) this.byNamespace.set(namespace, (m = new Map()));
    if (!m.has(name)) this.size++;
    m.set(name, v);
  }

  delete(namespace: string, name: string): void {
    const m = this.byNamespace.get(namespace);
    if (!m?.delete(name)) return;
    this.size--;
    if (m.size === 0) this.byNamespace.delete(namespace);
  }
}

export class ClusterModel {
  private readonly services = new NamedMap<ServiceEntry>();
  private readonly servicesByIP = new MultiIndex<string, ServiceEntry>();
  private readonly slices = new NamedMap<SliceEntry>();
  /** namespace -> service name -> slices */
  private readonly slicesByService = new Map<string, MultiIndex<string, SliceEntry>>();
  private readonly slicesByIP = new MultiIndex<string, SliceEntry>();
  private readonly pods = new NamedMap<PodEntry>();
  private readonly podsByIP = new MultiIndex<string, PodEntry>();
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
    this.services.set(s.namespace, s.name, s);
    for (const ip of s.clusterIPs) this.servicesByIP.add(ip, s);
    this.changed();
  }

  deleteService(namespace: string, name: string): void {
    this.dropService(namespace.toLowerCase(), name.toLowerCase(), true);
  }

  private dropService(namespace: string, name: string, notify: boolean): void {
    const old = this.services.get(namespace, name);
    if (!old) return;
    this.services.delete(namespace, name);
    for (const ip of old.clusterIPs) this.servicesByIP.remove(ip, old);
    if (notify) this.changed();
  }

  putSlice(s: SliceEntry): void {
    this.dropSlice(s.namespace, s.name, false);
    this.slices.set(s.namespace, s.name, s);
    let bySvc = this.slicesByService.get(s.namespace);
    if (!bySvc) this.slicesByService.set(s.namespace, (bySvc = new MultiIndex()));
    bySvc.add(s.service, s);
    for (const a of s.addresses) this.slicesByIP.add(a.ip, s);
    this.changed();
  }

  deleteSlice(namespace: string, name: string): void {
    this.dropSlice(namespace.toLowerCase(), name, true);
  }

  private dropSlice(namespace: string, name: string, notify: boolean): void {
    const old = this.slices.get(namespace, name);
    if (!old) return;
    this.slices.delete(namespace, name);
    this.slicesByService.get(old.namespace)?.remove(old.service, old);
    for (const a of old.addresses) this.slicesByIP.remove(a.ip, old);
    if (notify) this.changed();
  }

  putPod(p: PodEntry): void {
    this.dropPod(p.namespace, p.name, false);
    this.pods.set(p.namespace, p.name, p);
    for (const ip of p.ips) this.podsByIP.add(ip, p);
    this.changed();
  }

  deletePod(namespace: string, name: string): void {
    this.dropPod(namespace.toLowerCase(), name, true);
  }

  private dropPod(namespace: string, name: string, notify: boolean): void {
    const old = this.pods.get(namespace, name);
    if (!old) return;
    this.pods.delete(namespace, name);
    for (const ip of old.ips) this.podsByIP.remove(ip, old);
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
    return this.services.get(namespace, name);
  }

  /** every slice of a service; one endpoint may be in several */
  slicesOf(namespace: string, service: string): Iterable<SliceEntry> {
    return this.slicesByService.get(namespace)?.get(service) ?? [];
  }

  readyAddressCount(namespace: string, service: string): number {
    let n = 0;
    for (const s of this.slicesOf(namespace, service)) n += s.addresses.length;
    return n;
  }

  servicesWithClusterIP(ip: string): Iterable<ServiceEntry> {
    return this.servicesByIP.get(ip);
  }

  /** (slice, address) pairs whose address is ip */
  *endpointsWithIP(ip: string): Iterable<{ slice: SliceEntry; address: EndpointAddress }> {
    for (const slice of this.slicesByIP.get(ip)) {
      for (const address of slice.addresses) if (address.ip === ip) yield { slice, address };
    }
  }

  podsWithIP(ip: string): Iterable<PodEntry> {
    return this.podsByIP.get(ip);
  }

  counts(): { services: number; slices: number; pods: number; namespaces: number } {
    return { services: this.services.size, slices: this.slices.size, pods: this.pods.size, namespaces: this.namespaces.size };
  }
}
