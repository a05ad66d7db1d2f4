// One "[INFO] ..." line per query, also for answers the server serves from its answer cache.
import * as dnsPacket from 'dns-packet';
import type { DnsMessage, DnsRequest, Handler, Next, ResponseWriter } from '../../core/plugin.ts';
import type { HitEvent, FastHitObserver } from '../../core/fast-path.ts';
import type { LogConfig, LogClass } from './parse.ts';
import { formatLine, type LogFacts } from './format.ts';
import { inZone, reply } from '../../core/respond.ts';

export function classify(rcode: number): LogClass {
  if (rcode === 0) return 'success';
  if (rcode === 3) return 'denial';
  return 'error';
}

export class LogHandler implements Handler, FastHitObserver {
  readonly name = 'log';
  constructor(private readonly cfg: LogConfig, private readonly log: (line: string) => void) {}

  private wants(qname: string, rcode: number): boolean {
    return this.cfg.names.some((n) => inZone(qname, n)) && this.cfg.classes.has(classify(rcode));
  }

  async serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    const rcode = await next(req, w);
    // an error further down with nothing written: write it here so the line shows what the client gets
    if (!w.response && rcode > 0) w.write(reply(req, { rcode }));
    const resp = w.response;
    const flags = resp ? ((resp.flags ?? 0) & 0x7fff) | 0x8000 : 0;
    const respRcode = resp ? flags & 0xf : rcode;
    if (!this.wants(req.qname, respRcode)) return rcode;
    const facts: LogFacts = {
      remote: req.client.address, port: req.client.port, id: req.msg.id ?? 0, opcode: ((req.msg.flags ?? 0) >> 11) & 0xf,
      type: req.qtype, class: req.qclass, name: req.qname, proto: req.client.transport, size: req.size, do: req.do,
      bufsize: req.bufSize, rcode: respRcode, flags, rsize: resp ? responseSize(resp) : 0,
      durationNs: process.hrtime.bigint() - req.startNs,
    };
    this.log('[INFO] ' + formatLine(this.cfg.format, facts));
    return rcode;
  }

  onFastHit(ev: HitEvent): void {
    if (!this.wants(ev.qname, ev.rcode)) return;
    this.log('[INFO] ' + formatLine(this.cfg.format, {
      remote: ev.client.address, port: ev.client.port, id: ev.id, opcode: 0, type: ev.qtype, class: ev.qclass, name: ev.qname,
      proto: ev.client.transport, size: ev.size, do: ev.do, bufsize: ev.bufSize, rcode: ev.rcode, flags: ev.flags, rsize: ev.rsize,
      durationNs: process.hrtime.bigint() - ev.startNs,
    }));
  }
}

/** the uncompressed size of the message as the plugin wrote it (without the server's OPT) */
function responseSize(msg: DnsMessage): number {
  try {
    const additionals = (msg.additionals ?? []).filter((r) => r.type !== 'OPT');
    return dnsPacket.encodingLength({ ...msg, additionals } as DnsMessage);
  } catch {
    return 0;
  }
}
