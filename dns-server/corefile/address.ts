// Server block keys: "[dns://]zone[:port]" with the zone normalised to lower case and a
// trailing dot; a CIDR becomes its reverse zones, as CoreDNS does.
import { isIP } from 'node:net';

export interface ServerKey {
  /** the key as written */
  text: string;
  /** "cluster.local." or "." */
  zone: string;
  port: number;
}

export class AddressError extends Error {
  readonly code = 'DNS_ERR_ADDRESS';
}

export function normalizeZone(z: string): string {
  let s = z.toLowerCase();
  if (!s.endsWith('.')) s += '.';
  return s === '..' ? '.' : s;
}

/**
 * One key as written; a classless reverse CIDR (100.64.0.0/13) stands for several zones, one
 * key each in order, as CoreDNS's plugin.SplitHostPort has expanded them since 1.8.4.
 */
export function parseServerKeys(text: string, defaultPort: number): ServerKey[] {
  let rest = text;
  const m = /^([a-z0-9+.-]+):\/\//i.exec(rest);
  if (m) {
    const scheme = m[1]!.toLowerCase();
    if (scheme !== 'dns') throw new AddressError(`scheme ${scheme}:// is not supported by this server (only dns://); use dns://${rest.slice(m[0].length)} or a bare zone`);
    rest = rest.slice(m[0].length);
  }
  let port = defaultPort;
  // a port follows the last ':' unless the zone is an IPv6 CIDR
  const colon = rest.lastIndexOf(':');
  if (colon >= 0 && !rest.includes('/')) {
    const p = rest.slice(colon + 1);
    if (!/^\d+$/.test(p) || Number(p) > 65535) throw new AddressError(`invalid port "${p}" in "${text}"; ports are numbers from 0 to 65535`);
    port = Number(p);
    rest = rest.slice(0, colon);
  } else if (colon >= 0 && rest.includes('/')) {
    const slash = rest.indexOf('/');
    const portColon = rest.indexOf(':', slash);
    if (portColon > 0) {
      const p = rest.slice(portColon + 1);
      if (!/^\d+$/.test(p) || Number(p) > 65535) throw new AddressError(`invalid port "${p}" in "${text}"`);
      port = Number(p);
      rest = rest.slice(0, portColon);
    }
  }
  if (rest === '') rest = '.';
  if (rest.includes('/')) {
    const zones = reverseZonesForCidr(rest);
    if (!zones) throw new AddressError(`"${text}" is not a valid CIDR; write a network such as 10.0.0.0/8 or 100.64.0.0/13`);
    return zones.map((zone) => ({ text, zone, port }));
  }
  if (!/^[a-z0-9_.*-]+$/i.test(rest) || rest.includes('..')) throw new AddressError(`"${text}" is not a valid zone; write a domain such as cluster.local or . for every name`);
  return [{ text, zone: normalizeZone(rest), port }];
}

/**
 * The reverse zones a CIDR stands for (CoreDNS's cidr.Split and cidr.Reverse): the prefix is
 * rounded up to the next label boundary (8 bits IPv4, 4 bits IPv6) and every zone under the
 * network at that length is listed, lowest first; host bits are ignored as net.ParseCIDR does.
 * Undefined when the text is not a CIDR.
 */
export function reverseZonesForCidr(cidr: string): string[] | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return undefined;
  const ip = m[1]!;
  const prefix = Number(m[2]);
  if (isIP(ip) === 4) {
    if (prefix > 32) return undefined;
    const value = ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const labels = Math.ceil(prefix / 8);
    const count = 2 ** (labels * 8 - prefix);
    const base = Math.floor(value / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const v = base + i * 2 ** (32 - labels * 8);
      const octets = [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].slice(0, labels);
      out.push(labels === 0 ? 'in-addr.arpa.' : `${octets.reverse().join('.')}.in-addr.arpa.`);
    }
    return out;
  }
  if (isIP(ip) === 6 && !ip.startsWith(':') && !(ip.startsWith('0') && ip.includes(':'))) {
    if (prefix > 128) return undefined;
    const nibbles = expandIPv6(ip).split('');
    const labels = Math.ceil(prefix / 4);
    const spare = labels * 4 - prefix;
    const out: string[] = [];
    const last = labels > 0 ? parseInt(nibbles[labels - 1]!, 16) & ~((1 << spare) - 1) : 0;
    for (let i = 0; i < 2 ** spare; i++) {
      const ns = nibbles.slice(0, labels);
      if (labels > 0) ns[labels - 1] = (last + i).toString(16);
      out.push(labels === 0 ? 'ip6.arpa.' : `${ns.reverse().join('.')}.ip6.arpa.`);
    }
    return out;
  }
  return undefined;
}

/** The 8 hextets of an IPv6 address, as numbers; undefined when it is not IPv6 text. */
export function ipv6Groups(ip: string): number[] | undefined {
  if (isIP(ip) !== 6) return undefined;
  let text = ip.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1]!.split('.').map(Number);
    text = text.slice(0, v4.index) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array(fill).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 ? groups : undefined;
}

/** 32 lower-case hex nibbles of an address isIP() accepted as IPv6 */
function expandIPv6(ip: string): string {
  return ipv6Groups(ip)!.map((g) => g.toString(16).padStart(4, '0')).join('');
}
