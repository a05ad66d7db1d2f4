// Header bit masks and type numbers the hot path needs without dns-packet.
export const FLAG_QR = 0x8000;
export const FLAG_AA = 0x0400;
export const FLAG_TC = 0x0200;
export const FLAG_RD = 0x0100;
export const FLAG_RA = 0x0080;
export const FLAG_Z = 0x0040;
export const FLAG_AD = 0x0020;
export const FLAG_CD = 0x0010;
export const OPCODE_MASK = 0x7800;
export const RCODE_MASK = 0x000f;
export const EDNS_DO = 0x8000;

export const TYPE_OPT = 41;
export const TYPE_ANY = 255;
export const TYPE_AXFR = 252;
export const TYPE_IXFR = 251;
export const CLASS_IN = 1;

/** Largest UDP answer without EDNS0 (RFC 1035). */
export const UDP_PLAIN_MAX = 512;
export const TCP_MAX = 65535;

/** The DNS response codes, declared once: plugins return them (core/plugin.ts), logs name them. */
export const Rcode = {
  NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5,
  YXDOMAIN: 6, YXRRSET: 7, NXRRSET: 8, NOTAUTH: 9, NOTZONE: 10, BADVERS: 16,
} as const;
export type Rcode = (typeof Rcode)[keyof typeof Rcode];
export type RcodeName = keyof typeof Rcode;

export const RCODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Rcode).map(([name, code]) => [code, name]));

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE${rcode}`;
}

/** "qr,aa,tc,rd,ra,z,ad,cd" in CoreDNS's order, only the set ones. */
export function flagsText(flags: number): string {
  const out: string[] = [];
  if (flags & FLAG_QR) out.push('qr');
  if (flags & FLAG_AA) out.push('aa');
  if (flags & FLAG_TC) out.push('tc');
  if (flags & FLAG_RD) out.push('rd');
  if (flags & FLAG_RA) out.push('ra');
  if (flags & FLAG_Z) out.push('z');
  if (flags & FLAG_AD) out.push('ad');
  if (flags & FLAG_CD) out.push('cd');
  return out.join(',');
}
