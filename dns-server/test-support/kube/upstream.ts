// The "internet" behind `forward` in kubernetes-plugin tests: a real UDP DNS server on 127.0.0.1
// that knows a few external names and answers NXDOMAIN (not authoritative, RA set) for the rest.
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import type { DnsRecord } from '../../core/plugin.ts';

export const UPSTREAM_RECORDS: DnsRecord[] = [
  { name: 'www.example.org', type: 'A', class: 'IN', ttl: 300, data: '93.184.216.34' },
  { name: 'www.example.org', type: 'AAAA', class: 'IN', ttl: 300, data: '2606:2800:220:1:248:1893:25c8:1946' },
];

/** what the upstream answers for a question: the records and the rcode */
export function upstreamAnswer(
  name: string,
  type: string,
  records: DnsRecord[] = UPSTREAM_RECORDS,
): { rcode: number; answers: DnsRecord[] } {
  const n = name.toLowerCase().replace(/\.$/, '');
  const known = records.filter((r) => r.name === n);
  return { rcode: known.length > 0 ? 0 : 3, answers: known.filter((r) => r.type === type) };
}

export interface Upstream {
  address: string;
  port: number;
  queries: number;
  close(): Promise<void>;
}

/** a UDP server on 127.0.0.1 answering from `records` (names lower case, without trailing dot) */
export async function startUpstream(records: DnsRecord[] = UPSTREAM_RECORDS): Promise<Upstream> {
  const sock: Socket = createSocket('udp4');
  const state = { queries: 0 };
  sock.on('message', (buf, rinfo) => {
    let q: dnsPacket.Packet;
    try {
      q = dnsPacket.decode(buf);
    } catch {
      return;
    }
    state.queries++;
    const question = q.questions?.[0];
    if (!question) return;
    const { rcode, answers } = upstreamAnswer(question.name, question.type, records);
    const out = dnsPacket.encode({
      id: q.id,
      type: 'response',
      flags: 0x0100 | 0x0080 | rcode,
      questions: q.questions,
      answers: answers.map((a) => ({ ...a, name: question.name })) as dnsPacket.Answer[],
    });
    sock.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  const port = sock.address().port;
  return {
    address: '127.0.0.1',
    port,
    get queries() {
      return state.queries;
    },
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}
