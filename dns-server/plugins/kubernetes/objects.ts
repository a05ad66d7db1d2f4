// The slices of Kubernetes objects DNS answers need (CoreDNS's plugin/kubernetes/object), and
// the conversions from API objects to them. Keeping only these fields is what keeps memory near
// CoreDNS's at 10,000 objects: an API object is converted as soon as it is parsed (a list page
// or a watch event) and the entry is the only copy kept, shared by client-node's informer cache
// and the model's indexes. Entries are class instances built in one go (one hidden class per
// kind, fast properties), and values many objects repeat (namespaces, port lists, service
// types, protocols) are shared instead of held once per object.
import { canonicalIP } from './ip.ts';

export interface PortEntry {
  /** lower-cased port name, '' when unnamed */
  readonly name: string;
  /** lower-cased: tcp, udp, sctp */
  readonly protocol: string;
  /** -1 when the object declares no port (CoreDNS's sentinel) */
  readonly port: number;
}

export interface EndpointAddress {
  readonly ip: string;
  readonly hostname: string;
  /** the Pod's name, kept only for `endpoint_pod_names` ('' otherwise) */
  readonly targetRefName: string;
}

/** The API object shapes we read; typed client models and raw watch JSON both fit. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  resourceVersion?: string;
  deletionTimestamp?: unknown;
}
export interface KubeObject { metadata?: ObjectMeta; [k: string]: unknown }

/** What client-node's ListWatch reads from the objects it caches: the key and the version. */
export interface CachedMeta { name: string; namespace: string; resourceVersion: string }

/**
 * An entry as the informer caches it. `metadata` is computed when asked for (the informer reads
 * it once per event), so it costs no memory per object.
 */
export abstract class Entry {
  /** a decimal resourceVersion (etcd's revision, as every API server sends) is held as a number */
  private readonly version: string | number;

  constructor(
    /** lower-cased, as queries compare it (API names are lower case already) */
    readonly name: string,
    /** lower-cased; '' for cluster-scoped objects */
    readonly namespace: string,
    resourceVersion: string,
  ) {
    this.version = /^[1-9]\d{0,14}$/.test(resourceVersion) ? Number(resourceVersion) : resourceVersion;
  }

  get resourceVersion(): string {
    return String(this.version);
  }

  get metadata(): CachedMeta {
    return { name: this.name, namespace: this.namespace, resourceVersion: this.resourceVersion };
  }
}

export class NamespaceEntry extends Entry {}

export class ServiceEntry extends Entry {
  constructor(
    name: string,
    namespace: string,
    resourceVersion: string,
    readonly type: string,
    readonly headless: boolean,
    /** canonical ClusterIPs (both families for dual-stack), empty for headless/ExternalName */
    readonly clusterIPs: readonly string[],
    readonly externalName: string,
    readonly ports: readonly PortEntry[],
  ) {
    super(name, namespace, resourceVersion);
  }
}

export class SliceEntry extends Entry {
  constructor(
    name: string,
    namespace: string,
    resourceVersion: string,
    /** the Service this slice belongs to (label kubernetes.io/service-name) */
    readonly service: string,
    /** ready addresses only (conditions.ready unset counts as ready) */
    readonly addresses: readonly EndpointAddress[],
    readonly ports: readonly PortEntry[],
  ) {
    super(name, namespace, resourceVersion);
  }
}

export class PodEntry extends Entry {
  /** most pods have one IP: held alone, the list only for dual-stack */
  private readonly ipOrIPs: string | readonly string[] | undefined;

  constructor(name: string, namespace: string, resourceVersion: string, ips: readonly string[]) {
    super(name, namespace, resourceVersion);
    this.ipOrIPs = ips.length === 0 ? undefined : ips.length === 1 ? ips[0] : ips;
  }

  get ips(): readonly string[] {
    const v = this.ipOrIPs;
    return v === undefined ? NONE : typeof v === 'string' ? [v] : v;
  }
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * One copy of each value that many objects repeat. Bounded: past LIMIT distinct values a pool
 * stops adding and hands values back as they are, so hostile input cannot grow it without end.
 */
class Pool<T> {
  private static readonly LIMIT = 4096;
  private readonly values = new Map<string, T>();
  get(key: string, make: () => T): T {
    const found = this.values.get(key);
    if (found !== undefined) return found;
    const v = make();
    if (this.values.size < Pool.LIMIT) this.values.set(key, v);
    return v;
  }
}

const lower = (s: string | undefined): string => (typeof s === 'string' ? s.toLowerCase() : '');

const words = new Pool<string>();
/** the shared copy of a short repeated string (namespace, service type, port name, protocol) */
const shared = (s: string): string => words.get(s, () => s);

const portLists = new Pool<readonly PortEntry[]>();
const NO_PORT: readonly PortEntry[] = Object.freeze([Object.freeze({ name: '', protocol: 'tcp', port: -1 })]);

function ports(list: unknown): readonly PortEntry[] {
  if (!Array.isArray(list) || list.length === 0) return NO_PORT;
  const out: PortEntry[] = [];
  let key = '';
  for (const p of list as Array<{ name?: string; protocol?: string; port?: number | null }>) {
    const e: PortEntry = Object.freeze({
      name: shared(lower(p?.name)),
      protocol: shared(p?.protocol ? p.protocol.toLowerCase() : 'tcp'),
      port: typeof p?.port === 'number' ? p.port : -1,
    });
    out.push(e);
    key += `${e.name}/${e.protocol}/${e.port},`;
  }
  return portLists.get(key, () => Object.freeze(exact(out)));
}

const rv = (obj: KubeObject): string => obj.metadata?.resourceVersion ?? '';

function ips(raw: readonly string[]): readonly string[] {
  const out: string[] = [];
  for (const ip of raw) {
    const c = typeof ip === 'string' ? canonicalIP(ip) : undefined;
    if (c !== undefined) out.push(c);
  }
  return exact(out);
}

/** a copy without the spare capacity push() leaves (an array grown by push reserves ~17 slots) */
function exact<T>(xs: T[]): readonly T[] {
  return xs.length === 0 ? NONE as readonly T[] : xs.length === 1 ? [xs[0]!] : xs.slice();
}

export function toNamespace(obj: KubeObject): NamespaceEntry {
  return new NamespaceEntry(shared(lower(obj.metadata?.name)), '', rv(obj));
}

export function toService(obj: KubeObject): ServiceEntry {
  const spec = (obj.spec ?? {}) as { type?: string; clusterIP?: string; clusterIPs?: string[]; externalName?: string; ports?: unknown };
  const type = shared(spec.type ?? 'ClusterIP');
  const external = type === 'ExternalName';
  const raw = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const headless = !external && (raw.length === 0 || raw[0] === 'None');
  return new ServiceEntry(
    lower(obj.metadata?.name),
    shared(lower(obj.metadata?.namespace)),
    rv(obj),
    type,
    headless,
    headless || external ? NONE : ips(raw),
    external ? lower(spec.externalName).replace(/\.$/, '') : '',
    ports(spec.ports),
  );
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** `podNames`: keep each endpoint's Pod name (only `endpoint_pod_names` answers with it) */
export function toSlice(obj: KubeObject, podNames = true): SliceEntry {
  const endpoints = (Array.isArray(obj.endpoints) ? obj.endpoints : []) as Array<{
    addresses?: string[];
    conditions?: { ready?: boolean | null };
    hostname?: string;
    targetRef?: { kind?: string; name?: string };
  }>;
  const addresses: EndpointAddress[] = [];
  for (const ep of endpoints) {
    if (!ep || ep.conditions?.ready === false || !Array.isArray(ep.addresses)) continue;
    const targetRefName = podNames && ep.targetRef?.name && ep.targetRef.name.length < 64 ? ep.targetRef.name.toLowerCase() : '';
    const hostname = lower(ep.hostname);
    for (const a of ep.addresses) {
      const ip = typeof a === 'string' ? canonicalIP(a) : undefined;
      if (ip) addresses.push({ ip, hostname, targetRefName });
    }
  }
  return new SliceEntry(
    obj.metadata?.name ?? '',
    shared(lower(obj.metadata?.namespace)),
    rv(obj),
    lower(obj.metadata?.labels?.[SERVICE_NAME_LABEL]),
    exact(addresses),
    ports(obj.ports),
  );
}

export function toPod(obj: KubeObject): PodEntry {
  const status = (obj.status ?? {}) as { podIP?: string; podIPs?: Array<{ ip?: string }> };
  const raw = Array.isArray(status.podIPs) && status.podIPs.length > 0 ? status.podIPs.map((p) => p?.ip ?? '') : status.podIP ? [status.podIP] : [];
  // a terminating pod's IP may already belong to its successor
  return new PodEntry(obj.metadata?.name ?? '', shared(lower(obj.metadata?.namespace)), rv(obj), obj.metadata?.deletionTimestamp ? NONE : ips(raw));
}
