// Groups queries into lookups, so that a resolver walking its search list reads as one lookup:
// `nslookup kubernetes.default` from a pod asks kubernetes.default.default.svc.cluster.local.,
// kubernetes.default.svc.cluster.local. (and the absolute name, in some order), each for A and
// AAAA, plus the PTRs nslookup prints next to addresses. The rule, from the data alone:
// - one client IP;
// - each query within GAP_MS of the lookup's previous one (resolvers retry the next suffix at once);
// - every forward name of a lookup starts with the same labels: the names' longest common label
//   prefix is the name that was looked up, so it must stay non-empty. Reverse (PTR) queries join
//   the lookup their client has open, since nslookup asks them around the forward ones;
// - no name asked twice for the same type: a resolver asks each name once per lookup, so a repeat
//   is the next lookup (a check running nslookup again at once, or a shell loop).
import type { DnsLookup, DnsQuery } from './protocol.ts';

export const GAP_MS = 2000;

const labels = (name: string): string[] => name.toLowerCase().replace(/\.$/, '').split('.').filter(Boolean);

function commonPrefix(a: string[], b: string[]): string[] {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

/** the lookup has this query's name and type already (names compare case-insensitively) */
const asked = (l: DnsLookup, q: DnsQuery) => l.queries.some((x) => x.type === q.type && x.name.toLowerCase() === q.name.toLowerCase());

const isReverse = (q: DnsQuery) => q.type === 'PTR' || /\.(in-addr|ip6)\.arpa\.?$/i.test(q.name);

interface Open {
  lookup: DnsLookup;
  prefix: string[] | null;
  last: number;
}

export class LookupGrouper {
  private nextId = 1;
  private readonly open = new Map<string, Open>();

  constructor(private readonly gapMs = GAP_MS) {}

  /** the lookup this query joined or started (the same object again when it grew) */
  add(q: DnsQuery): DnsLookup {
    const t = Date.parse(q.at);
    const cur = this.open.get(q.clientIp);
    const fresh = !cur || Math.abs(t - cur.last) > this.gapMs || asked(cur.lookup, q);
    let prefix: string[] | null = cur?.prefix ?? null;
    if (!fresh && !isReverse(q)) {
      prefix = prefix ? commonPrefix(prefix, labels(q.name)) : labels(q.name);
    }
    if (fresh || (prefix && prefix.length === 0)) return this.start(q, t);
    cur.prefix = prefix;
    cur.last = Math.max(cur.last, t);
    const list = cur.lookup.queries;
    // lines of two DNS pods arrive on two streams: keep the lookup in time order
    let i = list.length;
    while (i > 0 && Date.parse(list[i - 1].at) > t) i--;
    list.splice(i, 0, q);
    this.summarize(cur);
    return cur.lookup;
  }

  /** forget lookups whose clients have been quiet longer than the gap (they cannot grow) */
  prune(now: number): void {
    for (const [ip, o] of this.open) if (now - o.last > this.gapMs * 5) this.open.delete(ip);
  }

  private start(q: DnsQuery, t: number): DnsLookup {
    const o: Open = {
      lookup: { id: this.nextId++, clientIp: q.clientIp, client: q.client, name: null, answeredBy: null, queries: [q] },
      prefix: isReverse(q) ? null : labels(q.name),
      last: t,
    };
    this.open.set(q.clientIp, o);
    this.summarize(o);
    return o.lookup;
  }

  private summarize(o: Open): void {
    const l = o.lookup;
    l.name = o.prefix ? o.prefix.join('.') : null;
    l.client ??= l.queries.find((q) => q.client)?.client ?? null;
    const hit = l.queries.find((q) => !isReverse(q) && q.rcode === 'NOERROR');
    l.answeredBy = hit ? { name: hit.name, type: hit.type } : null;
  }
}
