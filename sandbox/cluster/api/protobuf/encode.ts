// Writing protobuf messages from plain objects, by field name, with the descriptors read from
// kubectl: strings, booleans, varints, nested messages and repeated fields, which is all the
// lab writes (the /openapi/v2 document).
import { kubeDescriptors, type MessageDesc } from './descriptors.ts';

/** protobuf base-128 varint */
export function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

/** a length-delimited field (wire type 2): strings, bytes, nested messages */
export const lengthDelimited = (num: number, b: Buffer) => Buffer.concat([varint(num * 8 + 2), varint(b.length), b]);

export function encodeMessage(typeName: string, obj: Record<string, unknown>, all: Map<string, MessageDesc> = kubeDescriptors()): Buffer {
  const desc = all.get(typeName);
  if (!desc) throw new Error(`no protobuf schema for ${typeName}`);
  const byName = new Map([...desc.fields.values()].map((f) => [f.name, f]));
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const fd = byName.get(k);
    if (!fd || v === undefined) continue;
    for (const item of fd.repeated && Array.isArray(v) ? v : [v]) {
      if (fd.type === 11 && fd.typeName)
        parts.push(lengthDelimited(fd.number, encodeMessage(fd.typeName, item as Record<string, unknown>, all)));
      else if (fd.type === 9) parts.push(lengthDelimited(fd.number, Buffer.from(String(item))));
      else if (fd.type === 8) parts.push(Buffer.concat([varint(fd.number * 8), varint(item ? 1 : 0)]));
      else parts.push(Buffer.concat([varint(fd.number * 8), varint(Number(item))]));
    }
  }
  return Buffer.concat(parts);
}
