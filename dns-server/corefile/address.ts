// Server block keys: "[dns://]zone[:port]" with the zone normalised to lower case and a
// trailing dot; an octet-aligned CIDR becomes its reverse zone, as CoreDNS does.
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

export function parseServerKey(text: string, defaultPort: number): ServerKey {
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
  if (rest.includes('/')) return { text, zone: cidrToReverseZone(rest, text), port };
  if (!/^[a-z0-9_.*-]+$/i.test(rest) || rest.includes('..')) throw new AddressError(`"${text}" is not a valid zone; write a domain such as cluster.local or . for every name`);
  return { text, zone: normalizeZone(rest), port };
}

function cidrToReverseZone(cidr: string, text: string): string {
  const [ip, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (ip!.includes('.')) {
    const octets = ip!.split('.').map(Number);
    if (
      octets.length !== 4 ||
      octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) ||
      !Number.isInteger(bits) ||
      bits < 0 ||
      bits > 32
    )
      throw new AddressError(`"${text}" is not a valid IPv4 CIDR`);
    if (bits % 8 !== 0) throw new AddressError(`"${text}": only CIDRs on an octet boundary (/8, /16, /24) are supported as reverse zones here`);
    return [...octets.slice(0, bits / 8).reverse(), 'in-addr', 'arpa', ''].join('.');
  }
  if (!Number.isInteger(bits) || bits % 4 !== 0 || bits > 128) throw new AddressError(`"${text}": IPv6 reverse zones need a prefix length that is a multiple of 4`);
  const full = expandIPv6(ip!, text);
  const nibbles = full.slice(0, bits / 4).split('').reverse();
  return [...nibbles, 'ip6', 'arpa', ''].join('.');
}

function expandIPv6(ip: string, text: string): string {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill('0');
  const groups = [...h, ...fill, ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) throw new AddressError(`"${text}" is not a valid IPv6 CIDR`);
  return groups.map((g) => g.toLowerCase().padStart(4, '0')).join('');
}
