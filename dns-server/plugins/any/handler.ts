// RFC 8482: an ANY query gets one synthesized HINFO record instead of everything we have.
import type { DnsRequest, Handler, Next, ResponseWriter, DnsRecord } from '../../core/plugin.ts';
import { reply, packetName } from '../../core/respond.ts';

export class AnyHandler implements Handler {
  readonly name = 'any';
  async serveDNS(req: DnsRequest, w: ResponseWriter, next: Next) {
    if (req.qtype !== 'ANY') return next(req, w);
    const hinfo = { name: packetName(req.qnameOriginal), type: 'HINFO', class: 'IN', ttl: 8482, data: { cpu: 'RFC8482', os: '' } } as DnsRecord;
    w.write(reply(req, { authoritative: true, answers: [hinfo] }));
    return 0 as const;
  }
}
