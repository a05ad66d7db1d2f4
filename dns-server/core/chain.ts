// One server block's handlers folded into a chain in plugin.cfg order, with the bookkeeping
// the answer cache needs: how deep a request went and whether anything made it unreusable.
import { Rcode, type DnsRequest, type Handler, type Next, type ResponseWriter } from './plugin.ts';
import type { FastClass } from './fast-path.ts';

export interface Tracker {
  deepest: number;
  /** name of the deepest plugin entered: the one that wrote the answer */
  writer: string;
  uncacheable: boolean;
  /** the writer's SERVFAIL depends only on its data (hosts has no SOA for an NXDOMAIN), so it may be reused */
  deterministicFailure: boolean;
}

const TRACK = Symbol.for('coredns-lab.track');
type Tracked = DnsRequest & { [TRACK]?: Tracker };

export function trackerOf(req: DnsRequest): Tracker | undefined {
  return (req as Tracked)[TRACK];
}

export function attachTracker(req: DnsRequest): Tracker {
  const t: Tracker = { deepest: -1, writer: '', uncacheable: false, deterministicFailure: false };
  // enumerable so that {...req} copies made by plugins keep reporting into the same tracker
  (req as Tracked)[TRACK] = t;
  return t;
}

export class Chain {
  private readonly nexts: Next[];
  constructor(
    readonly handlers: Handler[],
    readonly classes: FastClass[],
  ) {
    this.nexts = handlers.map((_h, i) => (req: DnsRequest, w: ResponseWriter) => this.step(i, req, w));
    this.nexts.push(async () => Rcode.SERVFAIL); // plugin.NextOrFailure at the end of the chain
  }

  run(req: DnsRequest, w: ResponseWriter): Promise<Rcode> {
    return this.nexts[0]!(req, w);
  }

  private step(i: number, req: DnsRequest, w: ResponseWriter): Promise<Rcode> {
    const t = (req as Tracked)[TRACK];
    if (t && i > t.deepest) {
      t.deepest = i;
      t.writer = this.handlers[i]!.name;
    }
    return this.handlers[i]!.serveDNS(req, w, this.nexts[i + 1]!);
  }

  /** a response whose path went through only these handlers may be reused */
  reusable(t: Tracker): boolean {
    if (t.uncacheable || t.deepest < 0 || t.deepest >= this.handlers.length) return false;
    if (this.classes[t.deepest] !== 'pure') return false;
    for (let i = 0; i < t.deepest; i++) if (this.classes[i] === 'volatile') return false;
    return true;
  }

  /** the plugin that wrote the answer, for coredns_dns_responses_total{plugin} */
  writer(t: Tracker): string {
    return this.handlers[t.deepest]?.name ?? '';
  }
}
