// The server-level answer cache: raw question bytes (+ EDNS/DO) -> the encoded records that
// follow the question. Cleared whenever a plugin says its data changed; bounded because
// NXDOMAIN names are unbounded.
import type { RrsetSpan } from './fast-path.ts';

export interface CachedAnswer {
  /** response flags without RD and CD (those come from each request) */
  flags: number;
  an: number;
  ns: number;
  /** additional records, not counting the OPT the server adds */
  ar: number;
  /** answer + authority + additional sections, names uncompressed */
  tail: Buffer;
  rcode: number;
  plugin: string;
  zone: string;
  /** index of the zone chain that produced it */
  chain: number;
  rrsets: RrsetSpan[];
}

export class AnswerCache {
  private map = new Map<string, CachedAnswer>();
  /** bumped on every clear, so an answer computed before a change is never stored after it */
  generation = 0;
  constructor(readonly maxEntries = 100_000) {}

  get(key: string): CachedAnswer | undefined {
    return this.map.get(key);
  }

  set(key: string, entry: CachedAnswer, generation: number): void {
    if (generation !== this.generation) return;
    if (this.map.size >= this.maxEntries) this.map.clear();
    this.map.set(key, entry);
  }

  clear(): void {
    this.generation++;
    if (this.map.size) this.map = new Map();
  }

  get size(): number {
    return this.map.size;
  }
}

// Buffer#latin1Slice is public in Node but missing from @types/node; it skips toString's checks.
type LatinSliceable = Buffer & { latin1Slice(start: number, end: number): string };

/** The cache key: question bytes as latin1 plus N (no EDNS), E (EDNS) or D (EDNS with DO). */
export function answerKey(buf: Buffer, qend: number, edns: boolean, dnssecOk: boolean): string {
  return (buf as LatinSliceable).latin1Slice(12, qend) + (edns ? (dnssecOk ? 'D' : 'E') : 'N');
}
