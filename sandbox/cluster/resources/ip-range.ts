// IPv4 CIDR arithmetic for ClusterIP allocation.
export interface Cidr {
  base: number;
  size: number;
  text: string;
}

export function parseIPv4(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseCidr(text: string): Cidr {
  const [ip, bits] = text.split('/');
  const base = parseIPv4(ip);
  const b = Number(bits);
  if (base === undefined || !Number.isInteger(b) || b < 8 || b > 30) throw new Error(`invalid service CIDR ${JSON.stringify(text)}: use an IPv4 CIDR like 100.64.0.0/13`);
  const size = 2 ** (32 - b);
  return { base: base - (base % size), size, text };
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return ip > c.base && ip < c.base + c.size - 1;
}
