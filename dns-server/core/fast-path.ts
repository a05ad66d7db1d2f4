// How the server's answer cache talks to plugins that must see every query even when the
// chain does not run: log and prometheus replay their work from a HitEvent.
import type { ClientInfo } from './plugin.ts';

/** How a plugin behaves when the server answers from its answer cache (see plugins/order.ts). */
export type FastClass =
  /** does not take part in answering (health, ready, reload, cache, errors, loop) */
  | 'passthrough'
  /** must see every query: implements onFastHit (log, prometheus, loadbalance) */
  | 'observer'
  /** answers depend only on the question and on data it announces with ctx.dataChanged() */
  | 'pure'
  /** answers depend on time, the client or the network: never reuse (forward, whoami) */
  | 'volatile';

export interface HitEvent {
  client: ClientInfo;
  id: number;
  /** lower-cased, trailing dot */
  qname: string;
  qtype: string;
  qclass: string;
  size: number;
  do: boolean;
  /** what CoreDNS's log shows as {>bufsize}: EDNS size (at least 512), 512 without, 65535 on TCP */
  bufSize: number;
  rcode: number;
  /** the response header's flags word */
  flags: number;
  /** response size as the plugin wrote it (no OPT) */
  rsize: number;
  startNs: bigint;
  zone: string;
  /** the plugin that wrote the cached answer */
  plugin: string;
  /** size of the response on the wire */
  wireSize: number;
  /** the cached records about to be sent (shared by every hit); loadbalance reorders them in place */
  tail: Buffer;
  rrsets: RrsetSpan[];
}

/** Where same-size records of one type sit in a cached answer (for in-place shuffling). */
export interface RrsetSpan {
  /** offsets of each record's rdata, relative to the start of the answer section (the tail) */
  offsets: number[];
  rdlen: number;
}

export interface FastHitObserver {
  onFastHit(ev: HitEvent): void;
}

export function isObserver(h: unknown): h is FastHitObserver {
  return typeof (h as FastHitObserver).onFastHit === 'function';
}
