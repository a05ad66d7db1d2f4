// Type/class names as dns-packet spells them, and a qname reader for the cache-hit path.
// imported, not required: a bundle (build.mjs) must see them
import types from 'dns-packet/types.js';
import classes from 'dns-packet/classes.js';

const typeNames = new Map<number, string>();
export function typeName(n: number): string {
  let s = typeNames.get(n);
  if (s === undefined) {
    s = types.toString(n);
    typeNames.set(n, s);
  }
  return s;
}
export const typeNumber = (s: string): number => types.toType(s);
export const className = (n: number): string => classes.toString(n);

/** The uncompressed qname at offset 12, lower-cased, with a trailing dot. */
export function readQname(buf: Buffer): string {
  let p = 12;
  let out = '';
  for (;;) {
    const l = buf[p]!;
    if (l === 0) break;
    out += buf.toString('latin1', p + 1, p + 1 + l).toLowerCase() + '.';
    p += l + 1;
  }
  return out === '' ? '.' : out;
}

/** dns-packet names have no trailing dot; ours do. */
export function fqdn(name: string): string {
  if (name === '' || name === '.') return '.';
  return name.endsWith('.') ? name : name + '.';
}
