// Keeps answers for their TTL (capped and floored per class) and serves them with the TTL
// counted down. Success and denial (NXDOMAIN, NODATA) are separate, as in CoreDNS.
import type { DnsMessage, DnsRecord, DnsRequest, Handler, Next, ResponseWriter } from '../../core/plugin.ts';
import type { InstanceShared } from '../../core/shared.ts';
import { inZone, matchZone } from '../../core/respond.ts';
import { FLAG_TC, FLAG_AA } from '../../wire/constants.ts';
import type { CacheConfig, CacheClassConfig } from './parse.ts';

type Kind = 'success' | 'denial' | 'servfail';

interface Entry {
  msg: DnsMessage;
  storedMs: number;
  ttl: number;
}

export class CacheHandler implements Handler {
  readonly name = 'cache';
  private readonly stores: Record<'success' | 'denial', Map<string, Entry>> = { success: new Map(), denial: new Map() };
  private readonly labels: { server: string; zones: string; view: string };
  constructor(
    private readonly cfg: CacheConfig,
    private readonly shared: InstanceShared,
    port: number,
    private readonly now: () => number = Date.now,
  ) {
    this.labels = { server: `dns://:${port}`, zones: cfg.zones.join(','), view: '' };
  }

  async serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    if (!matchZone(req.qname, this.cfg.zones)) return next(req, w);
    const m = this.shared.metrics();
    m.cacheRequests.inc(this.labels);
    const key = `${req.qname}/${req.qtype}/${req.qclass}/${req.do ? 1 : 0}`;
    const now = this.now();
    for (const kind of ['success', 'denial'] as const) {
      const e = this.stores[kind].get(key);
      if (!e) continue;
      const left = e.ttl - Math.floor((now - e.storedMs) / 1000);
      if (left <= 0) {
        this.stores[kind].delete(key);
        continue;
      }
      m.cacheHits.inc({ ...this.labels, type: kind });
      w.write(this.fromEntry(e, left, req));
      return ((e.msg.flags ?? 0) & 0xf) as 0;
    }
    m.cacheMisses.inc(this.labels);
    const self = this;
    const wrapped: ResponseWriter = {
      write(msg: DnsMessage) {
        self.store(key, req.qname, msg);
        w.write(msg);
      },
      get response() {
        return w.response;
      },
    };
    return next(req, wrapped);
  }

  private fromEntry(e: Entry, ttl: number, req: DnsRequest): DnsMessage {
    const t = (r: DnsRecord) => (r.type === 'OPT' ? r : ({ ...r, ttl: this.cfg.keepTtl ? (r as { ttl?: number }).ttl : ttl } as DnsRecord));
    // clients drop non-authoritative answers for some names; CoreDNS marks cached answers authoritative
    return {
      ...e.msg,
      id: req.msg.id,
      questions: req.msg.questions,
      flags: (e.msg.flags ?? 0) | FLAG_AA,
      answers: (e.msg.answers ?? []).map(t),
      authorities: (e.msg.authorities ?? []).map(t),
      additionals: (e.msg.additionals ?? []).map(t),
    };
  }

  private store(key: string, qname: string, msg: DnsMessage): void {
    const flags = msg.flags ?? 0;
    if (flags & FLAG_TC) return;
    const rcode = flags & 0xf;
    const answers = msg.answers ?? [];
    let kind: Kind;
    if (rcode === 0 && answers.length > 0) kind = 'success';
    else if (rcode === 3 || (rcode === 0 && answers.length === 0)) kind = 'denial';
    else return; // SERVFAIL and the rest are not kept (servfail caching is accepted but not applied)
    const cls: CacheClassConfig = this.cfg[kind];
    if (cls.disabledZones.some((z) => inZone(qname, z))) return;
    const ttl = Math.max(cls.minTtl, Math.min(cls.maxTtl, minTtl(msg, kind)));
    if (ttl <= 0) return;
    const store = this.stores[kind];
    if (store.size >= cls.capacity) {
      const oldest = store.keys().next().value;
      if (oldest !== undefined) store.delete(oldest);
    }
    store.set(key, { msg, storedMs: this.now(), ttl });
    this.shared.metrics().cacheEntries.set({ ...this.labels, type: kind }, store.size);
  }

  /** entries held, per class (tests and metrics) */
  size(kind: 'success' | 'denial'): number {
    return this.stores[kind].size;
  }
}

function minTtl(msg: DnsMessage, kind: Kind): number {
  let min = Number.MAX_SAFE_INTEGER;
  const sections = kind === 'denial' ? [msg.authorities ?? []] : [msg.answers ?? [], msg.authorities ?? [], msg.additionals ?? []];
  for (const s of sections)
    for (const r of s) {
      if (r.type === 'OPT') continue;
      let ttl = (r as { ttl?: number }).ttl ?? 0;
      if (r.type === 'SOA' && kind === 'denial') ttl = Math.min(ttl, (r as { data: { minimum: number } }).data.minimum);
      if (ttl < min) min = ttl;
    }
  // a denial without SOA: nothing says how long it holds, keep it the minimum time
  return min === Number.MAX_SAFE_INTEGER ? 0 : min;
}
