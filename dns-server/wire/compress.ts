// Owner names in the records we send are compressed against the question (as CoreDNS's
// replies are): "web.example.org." after a question for it becomes a 2-byte pointer to offset 12,
// and "example.org." a pointer into its middle. Record data is left as written.

/** label start offsets of the uncompressed name at off, and the offset after it; undefined if not plain */
function labels(buf: Buffer, off: number): { starts: number[]; end: number } | undefined {
  const starts: number[] = [];
  for (;;) {
    if (off >= buf.length) return undefined;
    const l = buf[off]!;
    if (l === 0) return { starts, end: off + 1 };
    if (l > 63) return undefined;
    starts.push(off);
    off += l + 1;
  }
}

/** bytes [a, aEnd) equal bytes [b, bEnd) of another buffer, ASCII case-insensitively */
function sameName(x: Buffer, a: number, aEnd: number, y: Buffer, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < aEnd - a; i++) {
    let c = x[a + i]!;
    let d = y[b + i]!;
    if (c >= 65 && c <= 90) c += 32;
    if (d >= 65 && d <= 90) d += 32;
    if (c !== d) return false;
  }
  return true;
}

/**
 * Rewrites tail (answer, authority, additional sections of `count` records, names uncompressed)
 * with owner names pointing into the question name of `head` (which starts at offset 12).
 * Returns the tail unchanged when anything looks unusual.
 */
export function compressOwners(head: Buffer, tail: Buffer, count: number): Buffer {
  const q = labels(head, 12);
  if (!q || q.starts.length === 0) return tail;
  const out: Buffer[] = [];
  let p = 0;
  for (let r = 0; r < count; r++) {
    const owner = labels(tail, p);
    if (!owner || owner.end + 10 > tail.length) return tail;
    const rdlen = tail.readUInt16BE(owner.end + 8);
    const next = owner.end + 10 + rdlen;
    if (next > tail.length) return tail;
    // the longest owner suffix equal to a question suffix, both on label boundaries
    let written = false;
    for (let i = 0; i < owner.starts.length && !written; i++) {
      const os = owner.starts[i]!;
      for (const qs of q.starts) {
        if (sameName(tail, os, owner.end, head, qs, q.end)) {
          out.push(tail.subarray(p, os), Buffer.from([0xc0 | (qs >> 8), qs & 0xff]), tail.subarray(owner.end, next));
          written = true;
          break;
        }
      }
    }
    if (!written) out.push(tail.subarray(p, next));
    p = next;
  }
  if (p !== tail.length) return tail;
  return Buffer.concat(out);
}
