/**
 * A minimal protobuf wire-format reader: enough to walk OTLP messages field by
 * field. Schemas live with the decoder that uses them (otlp-decode.ts).
 */
export type WireValue =
  | { readonly wire: 0; readonly value: bigint }
  | { readonly wire: 1; readonly bytes: Buffer }
  | { readonly wire: 2; readonly bytes: Buffer }
  | { readonly wire: 5; readonly bytes: Buffer };

export interface WireField {
  readonly field: number;
  readonly value: WireValue;
}

function readVarint(buf: Buffer, offset: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  let pos = offset;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
  }
}

/** Every field of one message, in wire order. */
export function readFields(buf: Buffer): WireField[] {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [tag, afterTag] = readVarint(buf, pos);
    pos = afterTag;
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) {
      const [value, next] = readVarint(buf, pos);
      fields.push({ field, value: { wire: 0, value } });
      pos = next;
    } else if (wire === 1) {
      fields.push({ field, value: { wire: 1, bytes: buf.subarray(pos, pos + 8) } });
      pos += 8;
    } else if (wire === 2) {
      const [length, next] = readVarint(buf, pos);
      const end = next + Number(length);
      if (end > buf.length) throw new Error('truncated length-delimited field');
      fields.push({ field, value: { wire: 2, bytes: buf.subarray(next, end) } });
      pos = end;
    } else if (wire === 5) {
      fields.push({ field, value: { wire: 5, bytes: buf.subarray(pos, pos + 4) } });
      pos += 4;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return fields;
}

export function asBytes(v: WireValue): Buffer {
  if (v.wire === 0) throw new Error('expected bytes, got varint');
  return v.bytes;
}

export function asString(v: WireValue): string {
  return asBytes(v).toString('utf8');
}

export function asVarint(v: WireValue): bigint {
  if (v.wire !== 0) throw new Error('expected varint');
  return v.value;
}

export function asFixed64(v: WireValue): bigint {
  return asBytes(v).readBigUInt64LE(0);
}

export function asDouble(v: WireValue): number {
  return asBytes(v).readDoubleLE(0);
}

/** int64 on the wire is two's complement in a varint. */
export function asInt64(v: WireValue): bigint {
  return BigInt.asIntN(64, asVarint(v));
}
