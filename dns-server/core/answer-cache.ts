// The server-level answer cache: raw question bytes (+ EDNS/DO) -> the encoded records that
// follow the question. Cleared whenever a plugin says its data changed; bounded because
// NXDOMAIN names are unbounded. Keys are a 30-bit hash of the bytes, checked byte for byte,
// so a hit allocates nothing.
import type { RrsetSpan } from './fast-path.ts';

export interface CachedAnswer {
  /** question bytes (name, type, class) this entry answers, and N/E/D for no EDNS/EDNS/DO */
  question: Buffer;
  kind: number;
  /** response flags without RD and CD (those come from each request) */
  flags: number;
  an: number;
  ns: number;
  /** additional records, not counting the OPT the server adds */
  ar: number;
  /** answer + authority + additional sections, names uncompressed */
  tail: Buffer;
  rcode: number;
  /** size of the message as the plugin wrote it, uncompressed and without OPT (what log shows) */
  rsize: number;
  plugin: string;
  zone: string;
  /** index of the zone chain that produced it */
  chain: number;
  /** A/AAAA rdata offsets within tail (loadbalance shuffles them in place) */
  rrsets: RrsetSpan[];
}

export const KIND_PLAIN = 0;
export const KIND_EDNS = 1;
export const KIND_DO = 2;

/**
 * Two generations of at most maxEntries/2 each: new answers go into the young one; when it is
 * full it becomes the old one (the previous old one is dropped) and a hit in the old one moves
 * the entry back. A flood of one-off names (random case, NXDOMAIN scans) so turns over only
 * entries nobody asked for again, where dropping everything at the cap also dropped the hot set
 * and sent it all down the slow path at once. The default bound (20,000, about 20 MB of entries)
 * is twice CoreDNS's cache plugin default of 9,984 per kind; 100,000 held ~100 MB after a flood.
 */
export class AnswerCache {
  private young = new Map<number, CachedAnswer>();
  private old = new Map<number, CachedAnswer>();
  /** bumped on every clear, so an answer computed before a change is never stored after it */
  generation = 0;
  constructor(readonly maxEntries = 20_000) {}

  /** the entry for request bytes [12, qend) with this EDNS kind, if any */
  get(buf: Buffer, qend: number, kind: number): CachedAnswer | undefined {
    const h = hashQuestion(buf, qend, kind);
    let e = this.young.get(h);
    if (e === undefined) {
      e = this.old.get(h);
      if (e === undefined || !matches(e, buf, qend, kind)) return undefined;
      this.old.delete(h);
      this.put(h, e);
      return e;
    }
    return matches(e, buf, qend, kind) ? e : undefined;
  }

  set(buf: Buffer, qend: number, entry: CachedAnswer, generation: number): void {
    if (generation !== this.generation) return;
    const h = hashQuestion(buf, qend, entry.kind);
    this.old.delete(h);
    this.put(h, entry);
  }

  private put(h: number, entry: CachedAnswer): void {
    if (this.young.size >= this.maxEntries / 2 && !this.young.has(h)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(h, entry);
  }

  clear(): void {
    this.generation++;
    if (this.young.size) this.young = new Map();
    if (this.old.size) this.old = new Map();
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

function matches(e: CachedAnswer, buf: Buffer, qend: number, kind: number): boolean {
  if (e.kind !== kind) return false;
  const q = e.question;
  const n = qend - 12;
  if (q.length !== n) return false;
  for (let i = 0; i < n; i++) if (q[i] !== buf[12 + i]) return false;
  return true;
}

/**
 * FNV-1a over the question bytes and the EDNS kind, cut to 30 bits so the Map key is always a
 * small integer (a Smi): an unsigned 32-bit key above 2^31 would be a heap number, allocated on
 * every lookup and hashed more slowly.
 */
export function hashQuestion(buf: Buffer, qend: number, kind: number): number {
  let h = 0x811c9dc5 ^ kind;
  for (let i = 12; i < qend; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h & 0x3fffffff;
}

export function ednsKind(edns: boolean, dnssecOk: boolean): number {
  return edns ? (dnssecOk ? KIND_DO : KIND_EDNS) : KIND_PLAIN;
}
