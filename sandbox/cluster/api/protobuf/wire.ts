// Protobuf wire format reading: just enough to walk messages field by field.
export interface WireField {
  number: number;
  wireType: number;
  /** varint or fixed value (numbers beyond 2^53 lose precision, which no API field needs) */
  num?: number;
  bytes?: Uint8Array;
}

export class WireError extends Error {
  readonly code = 'LAB_ERR_PROTOBUF' as const;
  override readonly name = 'WireError';
}

export function readVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new WireError('truncated varint');
    const b = buf[pos++];
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return [result, pos];
    mul *= 128;
  }
  throw new WireError('varint too long');
}

export function* fields(buf: Uint8Array): Generator<WireField> {
  let pos = 0;
  while (pos < buf.length) {
    let tag: number;
    [tag, pos] = readVarint(buf, pos);
    const number = Math.floor(tag / 8);
    const wireType = tag & 7;
    if (wireType === 0) {
      let v: number;
      [v, pos] = readVarint(buf, pos);
      yield { number, wireType, num: v };
    } else if (wireType === 2) {
      let len: number;
      [len, pos] = readVarint(buf, pos);
      if (pos + len > buf.length) throw new WireError('truncated length-delimited field');
      yield { number, wireType, bytes: buf.subarray(pos, pos + len) };
      pos += len;
    } else if (wireType === 1) {
      const dv = new DataView(buf.buffer, buf.byteOffset + pos, 8);
      yield { number, wireType, num: Number(dv.getBigInt64(0, true)), bytes: buf.subarray(pos, pos + 8) };
      pos += 8;
    } else if (wireType === 5) {
      const dv = new DataView(buf.buffer, buf.byteOffset + pos, 4);
      yield { number, wireType, num: dv.getInt32(0, true), bytes: buf.subarray(pos, pos + 4) };
      pos += 4;
    } else throw new WireError(`unsupported wire type ${wireType}`);
  }
}

export const utf8 = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('utf8') : '');
