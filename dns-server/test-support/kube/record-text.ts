// One text form for records, whether they come from dns-packet objects or from dig's output, so
// conformance vectors compare the same way in-process and over the wire.
import type { DnsRecord } from '../../core/plugin.ts';

const fq = (n: string): string => (n === '' || n === '.' ? '.' : n.endsWith('.') ? n : `${n}.`);

/** "name. ttl IN TYPE rdata", SOA serial as SERIAL */
export function recordText(r: DnsRecord): string {
  const rec = r as { name: string; ttl?: number; type: string; class?: string; data: unknown };
  const d = rec.data as Record<string, unknown> | string | Array<string | Buffer> | Buffer;
  let rdata: string;
  switch (rec.type) {
    case 'SRV': {
      const s = d as { priority: number; weight: number; port: number; target: string };
      rdata = `${s.priority} ${s.weight} ${s.port} ${fq(s.target)}`;
      break;
    }
    case 'SOA': {
      const s = d as { mname: string; rname: string; refresh: number; retry: number; expire: number; minimum: number };
      rdata = `${fq(s.mname)} ${fq(s.rname)} SERIAL ${s.refresh} ${s.retry} ${s.expire} ${s.minimum}`;
      break;
    }
    case 'TXT': {
      const parts = Array.isArray(d) ? d : [d as string | Buffer];
      rdata = parts.map((p) => `"${Buffer.isBuffer(p) ? p.toString() : p}"`).join(' ');
      break;
    }
    case 'CNAME':
    case 'PTR':
    case 'NS':
      rdata = fq(d as string);
      break;
    default:
      rdata = String(d);
  }
  return `${fq(rec.name)} ${rec.ttl ?? 0} ${rec.class ?? 'IN'} ${rec.type} ${rdata}`;
}

/** a dig answer line, whitespace collapsed and SOA serial replaced */
export function digLineText(line: string): string {
  const f = line.trim().split(/\s+/);
  if (f[3] === 'SOA' && f.length >= 11) f[6] = 'SERIAL';
  return f.join(' ');
}

export interface DigResult {
  rcode: string;
  flags: string[];
  answer: string[];
  authority: string[];
  additional: string[];
}

/** parse `dig +noall +comments +answer +authority +additional` output */
export function parseDig(out: string): DigResult {
  const res: DigResult = { rcode: '', flags: [], answer: [], authority: [], additional: [] };
  let section: 'answer' | 'authority' | 'additional' | undefined;
  for (const line of out.split('\n')) {
    const status = /status: ([A-Z]+)/.exec(line);
    if (status) res.rcode = status[1]!;
    const flags = /^;; flags: ([a-z ]*);/.exec(line);
    if (flags) res.flags = flags[1]!.trim().split(/\s+/).filter(Boolean);
    if (line.startsWith(';; ANSWER SECTION')) section = 'answer';
    else if (line.startsWith(';; AUTHORITY SECTION')) section = 'authority';
    else if (line.startsWith(';; ADDITIONAL SECTION')) section = 'additional';
    else if (line.startsWith(';')) { if (line.startsWith(';; ')) section = line.includes('SECTION') ? section : undefined; }
    else if (line.trim() === '') section = undefined;
    else if (section) res[section].push(digLineText(line));
  }
  return res;
}

export const sorted = (xs: string[]): string[] => [...xs].sort();
