// Serves one DNS message from one port: the answer cache first, then the plugin chain of the
// zone the name falls in. Everything here must survive any bytes a client can send.
import * as dnsPacket from 'dns-packet';
import { Rcode, type DnsRequest, type ServerHooks, type DnsMessage } from './plugin.ts';
import type { Chain } from './chain.ts';
import { attachTracker } from './chain.ts';
import { AnswerCache, ednsKind, type CachedAnswer } from './answer-cache.ts';
import { isObserver, type FastHitObserver, type HitEvent } from './fast-path.ts';
import { ServerWriter } from './writer.ts';
import { scanQuery, skipName, type QueryScan } from '../wire/scan.ts';
import { assemble, encodeBody, errorReply, fragmentLimit } from '../wire/reply.ts';
import { compressMessage } from '../wire/compress.ts';
import { FLAG_QR, FLAG_TC, FLAG_RD, FLAG_CD, OPCODE_MASK, UDP_PLAIN_MAX, TCP_MAX } from '../wire/constants.ts';
import { typeName, className, readQname, fqdn } from '../wire/names.ts';

export interface ZoneRoute {
  /** "cluster.local." or "." */
  zone: string;
  chain: Chain;
  /** the server label of metrics, e.g. "dns://:53" */
  server: string;
}

interface Route extends ZoneRoute {
  observers: FastHitObserver[];
}

export interface DroppedQuery {
  transport: 'udp' | 'tcp';
  ipv6: boolean;
  qtype: string;
  size: number;
  startNs: bigint;
}

/**
 * Sends a reply made of up to three parts (header+question, records, OPT) to the client that
 * asked. One function per socket or connection, not per query: the client's address and port
 * come with each call (a TCP connection ignores them).
 */
export type Send = (head: Buffer, tail: Buffer | undefined, opt: Buffer | undefined, address: string, port: number) => void;

const EMPTY = Buffer.alloc(0);
const BADVERS = 16;

export class Dispatcher {
  readonly cache = new AnswerCache();
  private routes: Route[] = [];

  constructor(
    private readonly hooks: ServerHooks,
    private readonly onError: (err: unknown) => void,
    /** a query for a name in no zone of this port (REFUSED); prometheus counts it under zone "dropped" */
    private readonly onDropped?: (d: DroppedQuery) => void,
  ) {}

  setRoutes(routes: ZoneRoute[]): void {
    // most specific zone first
    this.routes = routes
      .map((r) => ({ ...r, observers: r.chain.handlers.filter((h): h is typeof h & FastHitObserver => isObserver(h)) }))
      .sort((a, b) => b.zone.length - a.zone.length);
    this.cache.clear();
  }

  handle(buf: Buffer, address: string, port: number, transport: 'udp' | 'tcp', send: Send): void {
    const mapReply = this.hooks.mapReply;
    const compressAll = this.hooks.compressAll === true;
    if (mapReply !== undefined || compressAll) {
      const inner = send;
      send = (head, tail, opt, a, p) => {
        const parts = tail === undefined ? [head] : opt === undefined ? [head, tail] : [head, tail, opt];
        const whole = Buffer.concat(parts);
        const packed = compressAll ? compressMessage(whole) : whole;
        inner(mapReply !== undefined ? mapReply(packed) : packed, undefined, undefined, a, p);
      };
    }
    const s = scanQuery(buf);
    if (s !== undefined) {
      const e = this.cache.get(buf, s.qend, ednsKind(s.edns, s.do));
      if (e !== undefined) {
        const limit = transport === 'tcp' ? TCP_MAX : s.edns ? Math.max(UDP_PLAIN_MAX, s.ednsSize) : UDP_PLAIN_MAX;
        const size = s.qend + e.tail.length + (s.edns ? 11 : 0);
        // cached tails are uncompressed: a reply that needs compressing takes the slow path
        if (size <= limit && (transport === 'tcp' || size <= fragmentLimit(true))) {
          this.sendHit(buf, s, e, size, address, port, transport, send);
          return;
        }
      }
    }
    this.slow(buf, s, address, port, transport, send).catch((err) => this.onError(err));
  }

  /** the reply is the request itself, patched in place: its header and question, the cached records, its OPT rewritten */
  private sendHit(buf: Buffer, s: QueryScan, e: CachedAnswer, size: number, address: string, port: number, transport: 'udp' | 'tcp', send: Send): void {
    const reqFlags = (buf[2]! << 8) | buf[3]!;
    const flags = (e.flags & ~(FLAG_RD | FLAG_CD | OPCODE_MASK)) | FLAG_QR | (reqFlags & (FLAG_RD | FLAG_CD));
    buf[2] = flags >> 8;
    buf[3] = flags & 0xff;
    buf[6] = e.an >> 8;
    buf[7] = e.an & 0xff;
    buf[8] = e.ns >> 8;
    buf[9] = e.ns & 0xff;
    const ar = e.ar + (s.edns ? 1 : 0);
    buf[10] = ar >> 8;
    buf[11] = ar & 0xff;
    let opt: Buffer | undefined;
    if (s.edns) {
      const o = s.qend;
      const sz = Math.max(UDP_PLAIN_MAX, s.ednsSize);
      buf[o + 3] = sz >> 8;
      buf[o + 4] = sz & 0xff;
      buf[o + 5] = 0; // extended rcode
      buf[o + 6] = 0; // version
      buf[o + 7] = s.do ? 0x80 : 0;
      buf[o + 8] = 0;
      buf[o + 9] = 0; // no options echoed
      buf[o + 10] = 0;
      opt = buf.subarray(o, o + 11);
    }
    const route = this.routes[e.chain];
    if (route !== undefined && route.observers.length > 0) {
      const ev: HitEvent = {
        client: this.client(address, port, transport),
        id: (buf[0]! << 8) | buf[1]!,
        qname: readQname(buf),
        qtype: typeName(s.qtype),
        qclass: className(s.qclass),
        size: buf.length,
        do: s.do,
        bufSize: bufSizeOf(transport, s.edns ? s.ednsSize : 0),
        rcode: e.rcode,
        flags,
        rsize: e.rsize,
        startNs: process.hrtime.bigint(),
        zone: e.zone,
        plugin: e.plugin,
        wireSize: size,
        tail: e.tail,
        rrsets: e.rrsets,
      };
      for (const o of route.observers) o.onFastHit(ev);
    }
    // without EDNS the request is exactly header + question (scanQuery): no view to make
    send(s.qend === buf.length ? buf : buf.subarray(0, s.qend), e.tail, opt, address, port);
  }

  private client(address: string, port: number, transport: 'udp' | 'tcp') {
    const a = address.startsWith('::ffff:') ? address.slice(7) : address;
    const mapped = this.hooks.mapClient?.(a, port, transport);
    return { address: mapped?.address ?? a, port: mapped?.port ?? port, transport };
  }

  private async slow(buf: Buffer, s: QueryScan | undefined, address: string, port: number, transport: 'udp' | 'tcp', send: Send): Promise<void> {
    const startNs = process.hrtime.bigint();
    const reply = (b: Buffer): void => send(b, undefined, undefined, address, port);
    if (buf.length < 12) return; // not even a header: nothing to answer
    const reqFlags = buf.readUInt16BE(2);
    if (reqFlags & FLAG_QR) return; // a response: answering could start a loop between servers
    let msg: DnsMessage;
    try {
      msg = dnsPacket.decode(buf);
    } catch {
      reply(errorReply(buf, Rcode.FORMERR, undefined));
      return;
    }
    const opcode = (reqFlags & OPCODE_MASK) >> 11;
    const questions = msg.questions ?? [];
    if (questions.length !== 1) {
      reply(errorReply(buf, opcode !== 0 ? Rcode.NOTIMP : Rcode.FORMERR, undefined));
      return;
    }
    // header + question as the reply will echo them
    let request = buf;
    let qend = s?.qend ?? -1;
    if (s === undefined) {
      const q = skipName(buf, 12);
      if (q > 0 && buf[12] !== undefined && !hasPointer(buf, 12)) qend = q + 4;
      else {
        const re = dnsPacket.encode({ id: msg.id, type: 'query', flags: reqFlags & 0x7fff, questions } as DnsMessage);
        re.writeUInt16BE(reqFlags, 2);
        request = re;
        qend = re.length;
      }
    }
    if (opcode !== 0) {
      reply(errorReply(request, Rcode.NOTIMP, qend));
      return;
    }
    const opts = (msg.additionals ?? []).filter((r) => r.type === 'OPT') as Array<{ udpPayloadSize?: number; flags?: number; ednsVersion?: number }>;
    if (opts.length > 1) {
      reply(errorReply(request, Rcode.FORMERR, qend));
      return;
    }
    const opt = opts[0];
    const ednsSize = opt ? opt.udpPayloadSize ?? 0 : 0;
    const dnssecOk = opt ? ((opt.flags ?? 0) & 0x8000) !== 0 : false;
    const limit = transport === 'tcp' ? TCP_MAX : opt ? Math.max(UDP_PLAIN_MAX, ednsSize) : UDP_PLAIN_MAX;
    const optOut = opt ? { size: Math.max(UDP_PLAIN_MAX, ednsSize), do: dnssecOk } : undefined;
    const replyRcode = (rcode: number, aa = false) => {
      const ext = rcode >> 4;
      reply(
        assemble({
          request,
          qend,
          flags: (rcode & 0xf) | (aa ? 0x0400 : 0),
          an: 0,
          ns: 0,
          ar: 0,
          tail: EMPTY,
          limit,
          opt: optOut && { ...optOut, extRcode: ext },
        }),
      );
    };
    if (opt && (opt.ednsVersion ?? 0) !== 0) {
      replyRcode(BADVERS);
      return;
    }
    const q = questions[0]!;
    const qnameOriginal = fqdn(q.name);
    const qname = qnameOriginal.toLowerCase();
    const routeIndex = this.match(qname);
    if (routeIndex < 0) {
      replyRcode(Rcode.REFUSED);
      this.onDropped?.({ transport, ipv6: address.includes(':') && !address.startsWith('::ffff:'), qtype: q.type, size: buf.length, startNs });
      return;
    }
    const route = this.routes[routeIndex]!;
    const req: DnsRequest = {
      msg, qname, qnameOriginal, qtype: q.type, qclass: q.class ?? 'IN',
      client: this.client(address, port, transport), size: buf.length,
      bufSize: bufSizeOf(transport, ednsSize), do: dnssecOk, zone: route.zone, startNs,
    };
    const tracker = attachTracker(req);
    const generation = this.cache.generation;
    const w = new ServerWriter(req);
    let rcode: number;
    try {
      rcode = await route.chain.run(req, w);
    } catch (err) {
      this.onError(err);
      rcode = Rcode.SERVFAIL;
    }
    const resp = w.response;
    if (!resp) {
      replyRcode(rcode === Rcode.NOERROR || rcode === Rcode.NXDOMAIN ? Rcode.SERVFAIL : rcode);
      return;
    }
    let body;
    try {
      body = encodeBody(resp);
    } catch (err) {
      this.onError(err);
      replyRcode(Rcode.SERVFAIL);
      return;
    }
    const tail = body.tail;
    const ipv6 = address.includes(':') && !address.startsWith('::ffff:');
    const udpFragment = transport === 'udp' ? fragmentLimit(ipv6) : undefined;
    const { flags, an, ns, ar } = body;
    reply(assemble({ request, qend, flags, an, ns, ar, tail, limit, fragmentLimit: udpFragment, opt: optOut }));
    const respRcode = body.flags & 0xf;
    if (
      s !== undefined &&
      (respRcode !== Rcode.SERVFAIL || tracker.deterministicFailure) &&
      !(body.flags & FLAG_TC) &&
      route.chain.reusable(tracker)
    ) {
      this.cache.set(
        buf,
        s.qend,
        {
          question: Buffer.from(buf.subarray(12, s.qend)),
          kind: ednsKind(s.edns, s.do),
          flags: body.flags,
          an: body.an,
          ns: body.ns,
          ar: body.ar,
          tail: Buffer.from(tail),
          rcode: respRcode,
          rsize: body.size,
          plugin: route.chain.writer(tracker),
          zone: route.zone,
          chain: routeIndex,
          rrsets: body.rrsets,
        },
        generation,
      );
    }
  }

  private match(qname: string): number {
    for (let i = 0; i < this.routes.length; i++) {
      const z = this.routes[i]!.zone;
      if (z === '.' || qname === z || qname.endsWith('.' + z)) return i;
    }
    return -1;
  }
}

function hasPointer(buf: Buffer, off: number): boolean {
  for (;;) {
    const l = buf[off];
    if (l === undefined || l === 0) return false;
    if (l > 63) return true;
    off += l + 1;
  }
}

/** CoreDNS's {>bufsize}: the EDNS size (at least 512), 512 without EDNS, 65535 over TCP. */
export function bufSizeOf(transport: 'udp' | 'tcp', ednsSize: number): number {
  if (transport === 'tcp') return TCP_MAX;
  return ednsSize < UDP_PLAIN_MAX ? UDP_PLAIN_MAX : ednsSize;
}
