// Serves one DNS message from one port: the answer cache first, then the plugin chain of the
// zone the name falls in. Everything here must survive any bytes a client can send.
import * as dnsPacket from 'dns-packet';
import { Rcode, type DnsRequest, type ServerHooks, type DnsMessage } from './plugin.ts';
import type { Chain } from './chain.ts';
import { attachTracker } from './chain.ts';
import { AnswerCache, answerKey } from './answer-cache.ts';
import { isObserver, type FastHitObserver, type HitEvent } from './fast-path.ts';
import { ServerWriter } from './writer.ts';
import { scanQuery, skipName, type QueryScan } from '../wire/scan.ts';
import { assemble, encodeBody, errorReply } from '../wire/reply.ts';
import { FLAG_QR, FLAG_TC, OPCODE_MASK, UDP_PLAIN_MAX, TCP_MAX } from '../wire/constants.ts';
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

export type Send = (wire: Buffer) => void;

const EMPTY = Buffer.alloc(0);
const BADVERS = 16;

export class Dispatcher {
  readonly cache = new AnswerCache();
  private routes: Route[] = [];

  constructor(
    private readonly hooks: ServerHooks,
    private readonly onError: (err: unknown) => void,
  ) {}

  setRoutes(routes: ZoneRoute[]): void {
    // most specific zone first
    this.routes = routes
      .map((r) => ({ ...r, observers: r.chain.handlers.filter((h): h is typeof h & FastHitObserver => isObserver(h)) }))
      .sort((a, b) => b.zone.length - a.zone.length);
    this.cache.clear();
  }

  handle(buf: Buffer, address: string, port: number, transport: 'udp' | 'tcp', send: Send): void {
    const s = scanQuery(buf);
    if (s !== undefined) {
      const e = this.cache.get(answerKey(buf, s.qend, s.edns, s.do));
      if (e !== undefined) {
        const limit = transport === 'tcp' ? TCP_MAX : s.edns ? Math.max(UDP_PLAIN_MAX, s.ednsSize) : UDP_PLAIN_MAX;
        if (s.qend + e.tail.length + (s.edns ? 11 : 0) <= limit) {
          const wire = assemble({
            request: buf, qend: s.qend, flags: e.flags, an: e.an, ns: e.ns, ar: e.ar, tail: e.tail, limit,
            opt: s.edns ? { size: Math.max(UDP_PLAIN_MAX, s.ednsSize), do: s.do } : undefined,
          });
          const route = this.routes[e.chain];
          if (route !== undefined && route.observers.length > 0) {
            const client = this.client(address, port, transport);
            const ev: HitEvent = {
              client, id: buf.readUInt16BE(0), qname: readQname(buf), qtype: typeName(s.qtype), qclass: className(s.qclass),
              size: buf.length, do: s.do, bufSize: bufSizeOf(transport, s.edns ? s.ednsSize : 0),
              rcode: e.rcode, flags: wire.readUInt16BE(2), rsize: s.qend + e.tail.length, startNs: process.hrtime.bigint(),
              zone: e.zone, plugin: e.plugin, wire, rrsets: e.rrsets.map((r) => ({ rdlen: r.rdlen, offsets: r.offsets.map((o) => o + s.qend) })),
            };
            for (const o of route.observers) o.onFastHit(ev);
          }
          send(wire);
          return;
        }
      }
    }
    this.slow(buf, s, address, port, transport, send).catch((err) => this.onError(err));
  }

  private client(address: string, port: number, transport: 'udp' | 'tcp') {
    const a = address.startsWith('::ffff:') ? address.slice(7) : address;
    const mapped = this.hooks.mapClient?.(a, port, transport);
    return { address: mapped?.address ?? a, port: mapped?.port ?? port, transport };
  }

  private async slow(buf: Buffer, s: QueryScan | undefined, address: string, port: number, transport: 'udp' | 'tcp', send: Send): Promise<void> {
    const startNs = process.hrtime.bigint();
    if (buf.length < 12) return; // not even a header: nothing to answer
    const reqFlags = buf.readUInt16BE(2);
    if (reqFlags & FLAG_QR) return; // a response: answering could start a loop between servers
    let msg: DnsMessage;
    try {
      msg = dnsPacket.decode(buf);
    } catch {
      send(errorReply(buf, Rcode.FORMERR, undefined));
      return;
    }
    const opcode = (reqFlags & OPCODE_MASK) >> 11;
    const questions = msg.questions ?? [];
    if (questions.length !== 1) {
      send(errorReply(buf, opcode !== 0 ? Rcode.NOTIMP : Rcode.FORMERR, undefined));
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
      send(errorReply(request, Rcode.NOTIMP, qend));
      return;
    }
    const opts = (msg.additionals ?? []).filter((r) => r.type === 'OPT') as Array<{ udpPayloadSize?: number; flags?: number; ednsVersion?: number }>;
    if (opts.length > 1) {
      send(errorReply(request, Rcode.FORMERR, qend));
      return;
    }
    const opt = opts[0];
    const ednsSize = opt ? opt.udpPayloadSize ?? 0 : 0;
    const dnssecOk = opt ? ((opt.flags ?? 0) & 0x8000) !== 0 : false;
    const limit = transport === 'tcp' ? TCP_MAX : opt ? Math.max(UDP_PLAIN_MAX, ednsSize) : UDP_PLAIN_MAX;
    const optOut = opt ? { size: Math.max(UDP_PLAIN_MAX, ednsSize), do: dnssecOk } : undefined;
    const replyRcode = (rcode: number, aa = false) => {
      const ext = rcode >> 4;
      send(assemble({ request, qend, flags: (rcode & 0xf) | (aa ? 0x0400 : 0), an: 0, ns: 0, ar: 0, tail: EMPTY, limit, opt: optOut && { ...optOut, extRcode: ext } }));
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
    send(assemble({ request, qend, flags: body.flags, an: body.an, ns: body.ns, ar: body.ar, tail: body.tail, limit, opt: optOut }));
    const respRcode = body.flags & 0xf;
    if (s !== undefined && respRcode !== Rcode.SERVFAIL && !(body.flags & FLAG_TC) && route.chain.reusable(tracker)) {
      this.cache.set(answerKey(buf, s.qend, s.edns, s.do), {
        flags: body.flags, an: body.an, ns: body.ns, ar: body.ar, tail: Buffer.from(body.tail), rcode: respRcode,
        plugin: route.chain.writer(tracker), zone: route.zone, chain: routeIndex, rrsets: body.rrsets,
      }, generation);
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
