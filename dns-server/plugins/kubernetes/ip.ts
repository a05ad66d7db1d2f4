// IP address forms the plugin needs: canonical text (so an address from the API and one decoded
// from a reverse name compare equal), reverse-zone names, and CoreDNS's dashed endpoint names.
import { isIP } from 'node:net';
import { ipv6Groups } from '../../corefile/address.ts';


/** RFC 5952 text: lower case, longest run (>1) of zero groups as "::". */
export function compressIPv6(groups: number[]): string {
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** One spelling per address, or undefined when the text is not an IP. */
export function canonicalIP(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return ip;
  if (family === 6) return compressIPv6(ipv6Groups(ip)!);
  return undefined;
}

export function ipFamily(ip: string): 4 | 6 | 0 {
  return isIP(ip) as 4 | 6 | 0;
}

/**
 * The address a reverse name spells, when it spells a whole one:
 * "10.0.96.10.in-addr.arpa." -> "10.96.0.10"; 32 nibbles + ".ip6.arpa." -> IPv6.
 */
export function addressFromReverse(name: string): string | undefined {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n.endsWith('.in-addr.arpa')) {
    const labels = n.slice(0, -'.in-addr.arpa'.length).split('.');
    if (labels.length !== 4 || !labels.every((l) => /^(0|[1-9]\d{0,2})$/.test(l) && Number(l) < 256)) return undefined;
    return labels.reverse().join('.');
  }
  if (n.endsWith('.ip6.arpa')) {
    const labels = n.slice(0, -'.ip6.arpa'.length).split('.');
    if (labels.length !== 32 || !labels.every((l) => /^[0-9a-f]$/.test(l))) return undefined;
    const hex = labels.reverse().join('');
    const groups: number[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(parseInt(hex.slice(i, i + 4), 16));
    return compressIPv6(groups);
  }
  return undefined;
}

/** "10.96.0.10" -> "10.0.96.10.in-addr.arpa." (and the nibble form for IPv6). */
export function reverseName(ip: string): string {
  if (isIP(ip) === 4) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  const hex = ipv6Groups(ip)!.map((g) => g.toString(16).padStart(4, '0')).join('');
  return `${hex.split('').reverse().join('.')}.ip6.arpa.`;
}

/**
 * CoreDNS's endpoint name for an address without a hostname (K40): dots or the colons of the
 * compressed form become dashes, and a trailing dash gets a "0" so the label is valid.
 */
export function dashedIP(ip: string): string {
  const d = (canonicalIP(ip) ?? ip).replace(/[.:]/g, '-');
  return d.endsWith('-') ? `${d}0` : d;
}

export { ipv6Groups, reverseZonesForCidr } from '../../corefile/address.ts';

export function isReverseZone(zone: string): boolean {
  return zone === 'in-addr.arpa.' || zone === 'ip6.arpa.' || zone.endsWith('.in-addr.arpa.') || zone.endsWith('.ip6.arpa.');
}
