// The server-level answer cache: raw question bytes (+ EDNS/DO) -> the encoded records that
// follow the question. Cleared whenever a plugin says its data changed; bounded because
// NXDOMAIN names are unbounded. Keys are a 32-bit hash of the bytes, checked byte for byte,
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

export class AnswerCache {
  private map = new Map<number, CachedAnswer>();
  /** bumped on every clear, so an answer computed before a change is never stored after it */
  generation = 0;
  constructor(readonly maxEntries = 100_000) {}

  /** the entry for request bytes [12, qend) with this EDNS kind, if any */
  get(buf: Buffer, qend: number, kind: number): CachedAnswer | undefined {
    const e = this.map.get(hashQuestion(buf, qend, kind));
    if (e === undefined || e.kind !== kind) return undefined;
    const q = e.question;
    const n = qend - 12;
    if (q.length !== n) return undefined;
    for (let i = 0; i < n; i++) if (q[i] !== buf[12 + i]) return undefined;
    return e;
  }

  set(buf: Buffer, qend: number, entry: CachedAnswer, generation: number): void {
    if (generation !== this.generation) return;
    if (this.map.size >= this.maxEntries) this.map.clear();
    this.map.set(hashQuestion(buf, qend, entry.kind), entry);
  }

  clear(): void {
    this.generation++;
    if (this.map.size) this.map = new Map();
  }

  get size(): number {
    return this.map.size;
  }
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
