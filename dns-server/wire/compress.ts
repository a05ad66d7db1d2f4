// Name compression as miekg/dns (CoreDNS's DNS library) packs a message with Compress set:
// every name written so far, and each of its suffixes, is remembered by its exact bytes (so
// matching is case-sensitive and every record keeps its own letter case); a later owner name,
// or a name in CNAME/NS/PTR/MX/SOA data, becomes a pointer to the longest remembered suffix. SRV
// targets are remembered but never compressed (RFC 2782), so later names may point into them.
// CoreDNS sets Compress only when a reply would not fit uncompressed (request.Scrub).

/** miekg/dns maxCompressionOffset: a pointer has 14 bits */
const MAX_OFFSET = 0x3fff;

const TYPE_NS = 2;
const TYPE_CNAME = 5;
const TYPE_SOA = 6;
const TYPE_PTR = 12;
const TYPE_MX = 15;
const TYPE_SRV = 33;

class Unusual extends Error {}

class Packer {
  private readonly dict = new Map<string, number>();
  readonly out: Buffer;
  o = 0;

  constructor(
    size: number,
    /** offset of out[0] in the whole message */
    private readonly base: number,
  ) {
    this.out = Buffer.alloc(size);
  }

  /** remembers the suffixes of an uncompressed name at `off` of `src`, which sits at message offset `at` */
  remember(src: Buffer, off: number, at: number): void {
    const { starts, zero } = labelsOf(src, off);
    for (const s of starts) if (at + s - off < MAX_OFFSET) this.dict.set(src.toString('latin1', s, zero), at + s - off);
  }

  /** writes the name at src[off], as a pointer where allowed; returns the offset after it in src */
  name(src: Buffer, off: number, compress: boolean): number {
    const { starts, zero } = labelsOf(src, off);
    for (const s of starts) {
      const key = src.toString('latin1', s, zero);
      const known = this.dict.get(key);
      if (known !== undefined) {
        if (compress) {
          this.out[this.o++] = 0xc0 | (known >> 8);
          this.out[this.o++] = known & 0xff;
          return zero + 1;
        }
      } else if (this.base + this.o < MAX_OFFSET) this.dict.set(key, this.base + this.o);
      const len = src[s]! + 1;
      src.copy(this.out, this.o, s, s + len);
      this.o += len;
    }
    this.out[this.o++] = 0;
    return zero + 1;
  }

  copy(src: Buffer, from: number, to: number): void {
    if (to > src.length) throw new Unusual();
    src.copy(this.out, this.o, from, to);
    this.o += to - from;
  }
}

function labelsOf(buf: Buffer, off: number): { starts: number[]; zero: number } {
  const starts: number[] = [];
  for (;;) {
    if (off >= buf.length) throw new Unusual();
    const l = buf[off]!;
    if (l === 0) return { starts, zero: off };
    if (l > 63) throw new Unusual();
    starts.push(off);
    off += l + 1;
  }
}

/**
 * Rewrites tail (the `count` records after the question, names uncompressed) compressed against
 * the question of `head` (header at 0, question name at 12, tail to follow at `qend`) and against
 * each other. Returns the tail unchanged when anything looks unusual.
 */
export function compressNames(head: Buffer, qend: number, tail: Buffer, count: number): Buffer {
  try {
    const p = new Packer(tail.length, qend);
    p.remember(head, 12, 12);
    let i = 0;
    for (let r = 0; r < count; r++) {
      i = p.name(tail, i, true);
      if (i + 10 > tail.length) throw new Unusual();
      const type = tail.readUInt16BE(i);
      const rdlen = tail.readUInt16BE(i + 8);
      const rdEnd = i + 10 + rdlen;
      p.copy(tail, i, i + 8);
      const rdlenAt = p.o;
      p.o += 2;
      let d = i + 10;
      switch (type) {
        case TYPE_NS:
        case TYPE_CNAME:
        case TYPE_PTR:
          d = p.name(tail, d, true);
          break;
        case TYPE_MX:
          p.copy(tail, d, d + 2);
          d = p.name(tail, d + 2, true);
          break;
        case TYPE_SOA:
          d = p.name(tail, d, true);
          d = p.name(tail, d, true);
          p.copy(tail, d, d + 20);
          d += 20;
          break;
        case TYPE_SRV:
          p.copy(tail, d, d + 6);
          d = p.name(tail, d + 6, false);
          break;
        default:
          p.copy(tail, d, rdEnd);
          d = rdEnd;
      }
      if (d !== rdEnd) throw new Unusual();
      p.out.writeUInt16BE(p.o - rdlenAt - 2, rdlenAt);
      i = rdEnd;
    }
    if (i !== tail.length) return tail;
    return p.out.subarray(0, p.o);
  } catch (err) {
    if (err instanceof Unusual || err instanceof RangeError) return tail;
    throw err;
  }
}

/**
 * A whole message (header, one question, records with uncompressed names) with its record names
 * compressed as compressNames does; the message unchanged when it is not of that shape. For an
 * embedder whose stand-in server compressed every reply (kube-dns behind dnsmasq), unlike CoreDNS.
 */
export function compressMessage(msg: Buffer): Buffer {
  if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return msg;
  let q = 12;
  while (q < msg.length && msg[q] !== 0) {
    if (msg[q]! > 63) return msg;
    q += msg[q]! + 1;
  }
  const qend = q + 5;
  if (qend > msg.length) return msg;
  const count = msg.readUInt16BE(6) + msg.readUInt16BE(8) + msg.readUInt16BE(10);
  const tail = msg.subarray(qend);
  const packed = compressNames(msg, qend, tail, count);
  return packed === tail ? msg : Buffer.concat([msg.subarray(0, qend), packed]);
}
