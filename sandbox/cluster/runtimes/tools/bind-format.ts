// How bind9's tools print a DNS message (lib/dns/masterdump.c's style for dig): records in
// tab-stop columns (TTL at 24, class at 32, type at 40, data at 48; a field past its column gets
// one space), names absolute with their final dot, the header and flag lines of dig.
import type * as packet from 'dns-packet';

export const QR_AA_TC_RD_RA_AD_CD: Array<[string, number]> = [
  ['qr', 0x8000], ['aa', 0x0400], ['tc', 0x0200], ['rd', 0x0100], ['ra', 0x0080], ['ad', 0x0020], ['cd', 0x0010],
];

export const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

/** the record types the tools accept by name */
export const TYPES = ['A', 'AAAA', 'ANY', 'CNAME', 'MX', 'NS', 'PTR', 'SOA', 'SRV', 'TXT', 'CAA', 'DS', 'DNSKEY', 'NAPTR', 'HINFO', 'AXFR'];

export function absolute(name: string): string {
  if (name === '' || name === '.') return '.';
  return name.endsWith('.') ? name : `${name}.`;
}

/**
 * lays fields out at tab stops as masterdump.c's indent() does: tabs, then spaces, up to the
 * column; a field already past its column gets one column more (a tab when that is a tab stop).
 * `skip` leading characters of the first field do not count (the ";" of a question line).
 */
export function tabbed(fields: string[], stops: number[], skip = 0): string {
  let line = fields[0] ?? '';
  let col = line.length - skip;
  for (let i = 1; i < fields.length; i++) {
    const to = Math.max(stops[i - 1] ?? 0, col + 1);
    const tabs = Math.floor(to / 8) - Math.floor(col / 8);
    if (tabs > 0) {
      line += '\t'.repeat(tabs);
      col = Math.floor(to / 8) * 8;
    }
    line += ' '.repeat(to - col) + fields[i];
    col = to + fields[i].length;
  }
  return line;
}

function txtData(data: unknown): string {
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((p) => `"${Buffer.isBuffer(p) ? p.toString() : String(p)}"`).join(' ');
}

/** a record's data in presentation format */
export function rdata(a: packet.Answer): string {
  const d = (a as { data?: unknown }).data;
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return String(d);
    case 'CNAME':
    case 'PTR':
    case 'NS':
    case 'DNAME':
      return absolute(String(d));
    case 'SRV': {
      const s = d as { priority?: number; weight?: number; port?: number; target: string };
      return `${s.priority ?? 0} ${s.weight ?? 0} ${s.port ?? 0} ${absolute(s.target)}`;
    }
    case 'MX': {
      const m = d as { preference?: number; exchange: string };
      return `${m.preference ?? 0} ${absolute(m.exchange)}`;
    }
    case 'SOA': {
      const s = d as { mname: string; rname: string; serial?: number; refresh?: number; retry?: number; expire?: number; minimum?: number };
      return `${absolute(s.mname)} ${absolute(s.rname)} ${s.serial ?? 0} ${s.refresh ?? 0} ${s.retry ?? 0} ${s.expire ?? 0} ${s.minimum ?? 0}`;
    }
    case 'TXT':
      return txtData(d);
    default:
      return Buffer.isBuffer(d) ? `\\# ${d.length} ${d.toString('hex').toUpperCase()}` : String(d);
  }
}

export function recordLine(a: packet.Answer): string {
  const ttl = (a as { ttl?: number }).ttl ?? 0;
  return tabbed([absolute(a.name), String(ttl), (a as { class?: string }).class ?? 'IN', a.type, rdata(a)], [24, 32, 40, 48]);
}

export function questionLine(q: packet.Question): string {
  return tabbed([`;${absolute(q.name)}`, q.class ?? 'IN', q.type], [32, 40], 1);
}

export function rcodeOf(p: packet.Packet): string {
  return (p as { rcode?: string }).rcode ?? RCODES[(p.flags ?? 0) & 0xf] ?? `RESERVED${(p.flags ?? 0) & 0xf}`;
}

export function flagWords(p: packet.Packet): string[] {
  const flags = p.flags ?? 0;
  const words = QR_AA_TC_RD_RA_AD_CD.filter(([, bit]) => (flags & bit) !== 0).map(([w]) => w);
  // dns-packet keeps QR apart from the flags it decodes
  if (p.type === 'response' && !words.includes('qr')) words.unshift('qr');
  return words;
}

/** the records of a section, the OPT pseudo-record left out */
export function records(list: packet.Answer[] | undefined): packet.Answer[] {
  return (list ?? []).filter((a) => a.type !== 'OPT');
}

export function optRecord(p: packet.Packet): { udpPayloadSize?: number } | undefined {
  return (p.additionals ?? []).find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
}

/** date(1)'s default format, which dig's WHEN line uses: Sun Dec 06 03:25:33 UTC 2026 */
export function whenLine(d = new Date()): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
