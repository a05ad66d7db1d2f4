// Reads just enough of a query to serve it from the answer cache, without decoding it:
// header checks, the end of the question, and the EDNS0 OPT if it is the only extra record.
// Anything unusual returns undefined and the full decoder takes over.
import { OPCODE_MASK, FLAG_QR, TYPE_OPT, EDNS_DO } from './constants.ts';

export interface QueryScan {
  /** offset just past qtype/qclass */
  qend: number;
  qtype: number;
  qclass: number;
  edns: boolean;
  /** the client's EDNS0 UDP size, or 0 without EDNS */
  ednsSize: number;
  do: boolean;
}

export function scanQuery(buf: Buffer): QueryScan | undefined {
  const len = buf.length;
  if (len < 17) return undefined;
  const flags = (buf[2]! << 8) | buf[3]!;
  if (flags & (FLAG_QR | OPCODE_MASK)) return undefined;
  // QDCOUNT 1, ANCOUNT 0, NSCOUNT 0, ARCOUNT 0 or 1
  if (buf[4] !== 0 || buf[5] !== 1 || buf[6] !== 0 || buf[7] !== 0 || buf[8] !== 0 || buf[9] !== 0 || buf[10] !== 0) return undefined;
  const ar = buf[11]!;
  if (ar > 1) return undefined;
  let p = 12;
  let nameLen = 0;
  for (;;) {
    if (p >= len) return undefined;
    const l = buf[p]!;
    if (l === 0) break;
    if (l > 63) return undefined; // compression pointer or bad label: the slow path decides
    nameLen += l + 1;
    if (nameLen > 254) return undefined;
    p += l + 1;
  }
  const qend = p + 5;
  if (qend > len) return undefined;
  const qtype = (buf[p + 1]! << 8) | buf[p + 2]!;
  const qclass = (buf[p + 3]! << 8) | buf[p + 4]!;
  if (ar === 0) {
    if (qend !== len) return undefined;
    return { qend, qtype, qclass, edns: false, ednsSize: 0, do: false };
  }
  // exactly one OPT: root name, type 41, class = size, ttl = ext-rcode|version|flags, rdlen
  if (qend + 11 > len || buf[qend] !== 0) return undefined;
  if (((buf[qend + 1]! << 8) | buf[qend + 2]!) !== TYPE_OPT) return undefined;
  if (buf[qend + 6] !== 0) return undefined; // EDNS version other than 0: BADVERS on the slow path
  const rdlen = (buf[qend + 9]! << 8) | buf[qend + 10]!;
  if (qend + 11 + rdlen !== len) return undefined;
  const ednsSize = (buf[qend + 3]! << 8) | buf[qend + 4]!;
  const optFlags = (buf[qend + 7]! << 8) | buf[qend + 8]!;
  return { qend, qtype, qclass, edns: true, ednsSize, do: (optFlags & EDNS_DO) !== 0 };
}

/** Skips one (possibly compressed) name starting at off; returns the offset after it, or -1. */
export function skipName(buf: Buffer, off: number): number {
  for (;;) {
    if (off >= buf.length) return -1;
    const l = buf[off]!;
    if (l === 0) return off + 1;
    if ((l & 0xc0) === 0xc0) return off + 2 <= buf.length ? off + 2 : -1;
    if (l > 63) return -1;
    off += l + 1;
  }
}
