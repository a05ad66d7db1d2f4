// Building the messages plugins write, the way miekg/dns's SetReply/SetRcode do.
import type { DnsMessage, DnsRecord, DnsRequest } from './plugin.ts';
import { FLAG_AA, FLAG_RA } from '../wire/constants.ts';

export interface ReplyOptions {
  rcode?: number;
  authoritative?: boolean;
  recursionAvailable?: boolean;
  answers?: DnsRecord[];
  authorities?: DnsRecord[];
  additionals?: DnsRecord[];
}

export function reply(req: DnsRequest, o: ReplyOptions = {}): DnsMessage {
  const flags = (o.rcode ?? 0) | (o.authoritative ? FLAG_AA : 0) | (o.recursionAvailable ? FLAG_RA : 0);
  return {
    id: req.msg.id,
    type: 'response',
    flags,
    questions: req.msg.questions,
    answers: o.answers ?? [],
    authorities: o.authorities ?? [],
    additionals: o.additionals ?? [],
  } as DnsMessage;
}

/** true when name equals zone or lies under it (both lower-case with trailing dots) */
export function inZone(name: string, zone: string): boolean {
  return zone === '.' || name === zone || name.endsWith('.' + zone);
}

/** the longest of zones that contains name, or undefined */
export function matchZone(name: string, zones: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const z of zones) if (inZone(name, z) && (best === undefined || z.length > best.length)) best = z;
  return best;
}

/** "example.org." -> "example.org" for dns-packet */
export const packetName = (name: string): string => (name === '.' ? '.' : name.replace(/\.$/, ''));
