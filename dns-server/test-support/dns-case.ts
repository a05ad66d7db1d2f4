// The DnsCase row: a question and the expected answer, records written as zone-file text
// ("web.example.org. 3600 IN A 10.0.0.1"), compared order-insensitively (loadbalance shuffles).
import type { DnsMessage, DnsRecord } from '../core/plugin.ts';
import { rcodeName } from '../wire/constants.ts';

export interface DnsCase {
  name: string;
  qname: string;
  qtype: string;
  rcode: string;
  /** expected header flags that must be set or clear, e.g. { aa: true } */
  flags?: { aa?: boolean; ra?: boolean; tc?: boolean };
  answer?: string[];
  ns?: string[];
  extra?: string[];
}

function rdataText(r: DnsRecord): string {
  const d = (r as { data: unknown }).data;
  switch (r.type) {
    case 'A': case 'AAAA': case 'CNAME': case 'PTR': case 'NS': return `${d}`.replace(/\.?$/, r.type === 'A' || r.type === 'AAAA' ? '' : '.');
    case 'SRV': { const s = d as { priority: number; weight: number; port: number; target: string }; return `${s.priority} ${s.weight} ${s.port} ${s.target.replace(/\.?$/, '.')}`; }
    case 'SOA': { const s = d as { mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number }; return `${s.mname}. ${s.rname}. ${s.serial} ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`; }
    case 'TXT': return (Array.isArray(d) ? d : [d]).map((x) => `"${String(x)}"`).join(' ');
    case 'HINFO': { const h = d as { cpu: string; os: string }; return `"${h.cpu}" "${h.os}"`; }
    default: return JSON.stringify(d);
  }
}

export function recordText(r: DnsRecord): string {
  const name = r.name === '.' ? '.' : r.name.replace(/\.?$/, '.');
  return `${name} ${(r as { ttl?: number }).ttl ?? 0} ${(r as { class?: string }).class ?? 'IN'} ${r.type} ${rdataText(r)}`;
}

const sortText = (rs: DnsRecord[] | undefined) => (rs ?? []).filter((r) => r.type !== 'OPT').map(recordText).sort();

/** returns a list of differences (empty when the message matches the case) */
export function diffCase(msg: DnsMessage, c: DnsCase): string[] {
  const out: string[] = [];
  const rcode = rcodeName((msg.flags ?? 0) & 0xf);
  if (rcode !== c.rcode) out.push(`rcode: want ${c.rcode}, got ${rcode}`);
  const f = msg.flags ?? 0;
  if (c.flags?.aa !== undefined && Boolean(f & 0x400) !== c.flags.aa) out.push(`aa: want ${c.flags.aa}`);
  if (c.flags?.ra !== undefined && Boolean(f & 0x80) !== c.flags.ra) out.push(`ra: want ${c.flags.ra}`);
  if (c.flags?.tc !== undefined && Boolean(f & 0x200) !== c.flags.tc) out.push(`tc: want ${c.flags.tc}`);
  for (const [label, want, got] of [['answer', c.answer, msg.answers], ['ns', c.ns, msg.authorities], ['extra', c.extra, msg.additionals]] as const) {
    if (want === undefined) continue;
    const g = sortText(got as DnsRecord[]);
    const w = [...want].map((s) => s.replace(/\s+/g, ' ').trim()).sort();
    if (JSON.stringify(g) !== JSON.stringify(w)) out.push(`${label}: want\n  ${w.join('\n  ')}\ngot\n  ${g.join('\n  ')}`);
  }
  return out;
}
