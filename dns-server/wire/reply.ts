// Building response bytes: the request's own header and question, the records a plugin
// wrote, and the server's OPT; truncation for UDP; error replies for broken queries.
import * as dnsPacket from 'dns-packet';
import type { DnsMessage } from '../core/plugin.ts';
import { FLAG_QR, FLAG_RD, FLAG_CD, FLAG_TC, OPCODE_MASK, TYPE_OPT, EDNS_DO } from './constants.ts';
import { skipName } from './scan.ts';
import { compressNames } from './compress.ts';
import type { RrsetSpan } from '../core/fast-path.ts';

export interface EncodedBody {
  flags: number;
  an: number;
  ns: number;
  ar: number;
  /** everything after the question */
  tail: Buffer;
  /** size of header + question + tail, i.e. the message as the plugin wrote it */
  size: number;
  rrsets: RrsetSpan[];
}

/** Encodes a plugin's message (dropping any OPT it carried) and cuts off header and question. */
export function encodeBody(msg: DnsMessage): EncodedBody {
  const additionals = (msg.additionals ?? []).filter((r) => r.type !== 'OPT');
  const bytes = dnsPacket.encode({ ...msg, type: 'response', additionals } as DnsMessage);
  let p = 12;
  const qd = bytes.readUInt16BE(4);
  for (let i = 0; i < qd; i++) p = skipName(bytes, p) + 4;
  const tail = bytes.subarray(p);
  return {
    flags: bytes.readUInt16BE(2),
    an: bytes.readUInt16BE(6),
    ns: bytes.readUInt16BE(8),
    ar: bytes.readUInt16BE(10),
    tail,
    size: bytes.length,
    rrsets: findRrsets(tail, bytes.readUInt16BE(6)),
  };
}

/** Groups answer records of type A or AAAA (the ones loadbalance may shuffle). */
export function findRrsets(tail: Buffer, an: number): RrsetSpan[] {
  const a: number[] = [];
  const aaaa: number[] = [];
  let p = 0;
  for (let i = 0; i < an; i++) {
    p = skipName(tail, p);
    if (p < 0 || p + 10 > tail.length) return [];
    const type = tail.readUInt16BE(p);
    const rdlen = tail.readUInt16BE(p + 8);
    if (type === 1 && rdlen === 4) a.push(p + 10);
    if (type === 28 && rdlen === 16) aaaa.push(p + 10);
    p += 10 + rdlen;
  }
  const out: RrsetSpan[] = [];
  if (a.length > 1) out.push({ offsets: a, rdlen: 4 });
  if (aaaa.length > 1) out.push({ offsets: aaaa, rdlen: 16 });
  return out;
}

export interface ReplyParts {
  /** the request bytes (header and question are reused) */
  request: Buffer;
  qend: number;
  flags: number;
  an: number;
  ns: number;
  ar: number;
  tail: Buffer;
  /** undefined: the request had no EDNS0 */
  opt?: { size: number; do: boolean; extRcode?: number };
  /** most bytes the client accepts (512/EDNS size for UDP, 65535 for TCP) */
  limit: number;
  /** UDP: above this many bytes a reply that fits is compressed all the same (1480 IPv4, 1220 IPv6) */
  fragmentLimit?: number;
}

/** request.Scrub's limits above which a UDP reply is compressed to avoid IP fragmentation */
export const fragmentLimit = (ipv6: boolean): number => (ipv6 ? 1220 : 1480);

/**
 * Assembles a response as CoreDNS's request.Scrub and miekg/dns's Truncate do: a reply that fits
 * uncompressed goes out uncompressed (unless a UDP one passes fragmentLimit); otherwise names are
 * compressed and, if it still does not fit, records are kept in order while they fit and TC is
 * set when any record had to go (any section; a TC the plugin set stays).
 */
export function assemble(p: ReplyParts): Buffer {
  const optLen = p.opt ? 11 : 0;
  const count = p.an + p.ns + p.ar;
  let tail = p.tail;
  let total = p.qend + tail.length + optLen;
  let an = p.an;
  let ns = p.ns;
  let ar = p.ar;
  let dropped = false;
  if (total > p.limit || (p.fragmentLimit !== undefined && total > p.fragmentLimit)) {
    tail = compressNames(p.request, p.qend, tail, count);
    total = p.qend + tail.length + optLen;
  }
  let tailLen = tail.length;
  if (total > p.limit) {
    const room = p.limit - p.qend - optLen;
    const kept = fitRecords(tail, count, room);
    tailLen = kept.bytes;
    an = Math.min(p.an, kept.count);
    ns = Math.min(p.ns, Math.max(0, kept.count - p.an));
    ar = Math.max(0, kept.count - p.an - p.ns);
    dropped = kept.count < count;
    total = p.qend + tailLen + optLen;
  }
  const out = Buffer.allocUnsafe(total);
  p.request.copy(out, 0, 0, p.qend);
  const reqFlags = p.request.readUInt16BE(2);
  let flags = (p.flags & ~(FLAG_RD | FLAG_CD | OPCODE_MASK)) | FLAG_QR | (reqFlags & (FLAG_RD | FLAG_CD | OPCODE_MASK));
  if (dropped) flags |= FLAG_TC;
  out.writeUInt16BE(flags, 2);
  out.writeUInt16BE(1, 4);
  out.writeUInt16BE(an, 6);
  out.writeUInt16BE(ns, 8);
  out.writeUInt16BE(ar + (p.opt ? 1 : 0), 10);
  let o = p.qend;
  o += tail.copy(out, o, 0, tailLen);
  if (p.opt) writeOpt(out, o, p.opt.size, p.opt.do, p.opt.extRcode ?? 0);
  return out;
}

/** how many whole records from the start of tail fit in room bytes */
function fitRecords(tail: Buffer, count: number, room: number): { count: number; bytes: number } {
  let p = 0;
  let n = 0;
  while (n < count) {
    const nameEnd = skipName(tail, p);
    if (nameEnd < 0 || nameEnd + 10 > tail.length) break;
    const next = nameEnd + 10 + tail.readUInt16BE(nameEnd + 8);
    if (next > room) break;
    p = next;
    n++;
  }
  return { count: n, bytes: p };
}

function writeOpt(out: Buffer, o: number, size: number, dnssecOk: boolean, extRcode: number): void {
  out[o] = 0;
  out.writeUInt16BE(TYPE_OPT, o + 1);
  out.writeUInt16BE(size, o + 3);
  out[o + 5] = extRcode;
  out[o + 6] = 0;
  out.writeUInt16BE(dnssecOk ? EDNS_DO : 0, o + 7);
  out.writeUInt16BE(0, o + 9);
}

/** A header-only (plus question, if readable) error reply, e.g. FORMERR or NOTIMP. */
export function errorReply(request: Buffer, rcode: number, qend: number | undefined): Buffer {
  const withQuestion = qend !== undefined && qend <= request.length;
  const out = Buffer.alloc(withQuestion ? qend : 12);
  request.copy(out, 0, 0, withQuestion ? qend : 12);
  const reqFlags = request.readUInt16BE(2);
  out.writeUInt16BE(FLAG_QR | (reqFlags & (OPCODE_MASK | FLAG_RD | FLAG_CD)) | (rcode & 0xf), 2);
  out.writeUInt16BE(withQuestion ? 1 : 0, 4);
  out.writeUInt32BE(0, 6);
  out.writeUInt16BE(0, 10);
  return out;
}
