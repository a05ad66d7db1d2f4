// /etc/hosts text -> forward (name -> addresses) and reverse (PTR name -> names) maps.
import { isIP } from 'node:net';
import { normalizeZone } from '../../corefile/address.ts';
import { inZone } from '../../core/respond.ts';

export interface HostsTable {
  v4: Map<string, string[]>;
  v6: Map<string, string[]>;
  ptr: Map<string, string[]>;
}

export function emptyTable(): HostsTable {
  return { v4: new Map(), v6: new Map(), ptr: new Map() };
}

export function addHostsText(t: HostsTable, text: string, zones: string[]): void {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [ip, ...names] = line.split(/\s+/);
    const fam = isIP(ip!.replace(/%.*$/, ''));
    if (!fam || names.length === 0) continue;
    const addr = ip!.replace(/%.*$/, '');
    const map = fam === 4 ? t.v4 : t.v6;
    for (const n of names) {
      const name = normalizeZone(n);
      if (!zones.some((z) => inZone(name, z))) continue;
      const list = map.get(name) ?? [];
      if (!list.includes(addr)) list.push(addr);
      map.set(name, list);
      const rev = reverseName(addr);
      const back = t.ptr.get(rev) ?? [];
      if (!back.includes(name)) back.push(name);
      t.ptr.set(rev, back);
    }
  }
}

export function reverseName(ip: string): string {
  if (isIP(ip) === 4) return ip.split('.').reverse().join('.') + '.in-addr.arpa.';
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const tl = tail ? tail.split(':') : [];
  const groups = [...h, ...new Array(tail === undefined ? 0 : 8 - h.length - tl.length).fill('0'), ...tl];
  return groups.map((g) => g.padStart(4, '0')).join('').split('').reverse().join('.') + '.ip6.arpa.';
}
