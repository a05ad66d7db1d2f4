// Answers with the client's address and port in the additional section, as CoreDNS's whoami.
import { isIPv6 } from 'node:net';
import type { DnsRequest, Handler, Next, ResponseWriter, DnsRecord } from '../../core/plugin.ts';
import { reply, packetName } from '../../core/respond.ts';

export class WhoamiHandler implements Handler {
  readonly name = 'whoami';
  async serveDNS(req: DnsRequest, w: ResponseWriter, _next: Next) {
    const name = packetName(req.qnameOriginal);
    const ip = req.client.address;
    const additionals: DnsRecord[] = [
      { name, type: isIPv6(ip) ? 'AAAA' : 'A', class: 'IN', ttl: 0, data: ip } as DnsRecord,
      { name: `_${req.client.transport}.${name}`, type: 'SRV', class: 'IN', ttl: 0, data: { priority: 0, weight: 0, port: req.client.port, target: '.' } } as DnsRecord,
    ];
    w.write(reply(req, { authoritative: true, additionals }));
    return 0 as const;
  }
}
