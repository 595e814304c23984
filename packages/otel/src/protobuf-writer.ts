/**
 * A protobuf wire-format writer for the OTLP encoders: one pass into one buffer
 * that is kept and reused from request to request. Strings go in as UTF-8
 * directly (an ASCII loop for short ones, Node's native encoder for the rest);
 * a length-delimited field reserves one length byte and moves its contents
 * only when the length needs more.
 */

const TWO_TO_32 = 4294967296;

/** Node's UTF-8 writer without the argument checks of `Buffer.write` (the arguments are ours). */
interface Utf8Writable {
  utf8Write(value: string, offset: number, length: number): number;
}

export class ProtobufWriter {
  private buffer: Buffer;
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Starts a new message in the same buffer. */
  reset(): void {
    this.pos = 0;
  }

  /** Appends what `other` holds, as it is (fields already encoded). */
  raw(other: ProtobufWriter): void {
    this.ensure(other.pos);
    this.buffer.set(other.buffer.subarray(0, other.pos), this.pos);
    this.pos += other.pos;
  }

  /** Appends bytes already encoded as fields. */
  rawBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Gives back a buffer grown past `bytes` by one large message; only while empty. */
  shrink(bytes: number): void {
    if (this.pos === 0 && this.buffer.length > bytes) this.buffer = Buffer.allocUnsafe(Math.min(bytes, 64 * 1024));
  }

  /** A copy of what was written: the buffer itself is reused by the next message. */
  finish(): Uint8Array {
    return Uint8Array.prototype.slice.call(this.buffer, 0, this.pos);
  }

  private ensure(bytes: number): void {
    const needed = this.pos + bytes;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    grown.set(this.buffer.subarray(0, this.pos));
    this.buffer = grown;
  }

  tag(field: number, wireType: number): void {
    const tag = (field << 3) | wireType;
    if (tag > 127) {
      this.varint(tag);
      return;
    }
    this.ensure(1);
    this.buffer[this.pos++] = tag;
  }

  /** A non-negative integer up to 2^53, or any integer as int64 (negative: ten bytes, two's complement). */
  varint(value: number): void {
    this.ensure(10);
    const buffer = this.buffer;
    if (value >= 0 && value < TWO_TO_32) {
      let v = value >>> 0;
      while (v > 127) {
        buffer[this.pos++] = (v & 127) | 128;
        v >>>= 7;
      }
      buffer[this.pos++] = v;
      return;
    }
    let low: number;
    let high: number;
    if (value >= 0) {
      low = value >>> 0;
      high = Math.floor(value / TWO_TO_32) >>> 0;
    } else {
      const magnitude = -value;
      low = ~(magnitude >>> 0) >>> 0;
      high = ~(Math.floor(magnitude / TWO_TO_32) >>> 0) >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 127) {
      buffer[this.pos++] = (low & 127) | 128;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buffer[this.pos++] = low;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.littleEndian32(value >>> 0);
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.littleEndian32(low >>> 0);
    this.littleEndian32(high >>> 0);
  }

  private littleEndian32(value: number): void {
    const buffer = this.buffer;
    buffer[this.pos++] = value & 255;
    buffer[this.pos++] = (value >>> 8) & 255;
    buffer[this.pos++] = (value >>> 16) & 255;
    buffer[this.pos++] = value >>> 24;
  }

  double(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** Nanoseconds since the epoch of an `[seconds, nanoseconds]` time, as fixed64, without 64-bit floats losing digits. */
  hrTimeFixed64(seconds: number, nanos: number): void {
    // seconds = high16 * 2^16 + low16; the total is high16 * 1e9 * 2^16 + (low16 * 1e9 + nanos).
    const low16 = seconds % 65536;
    const highPart = Math.floor(seconds / 65536) * 1e9;
    const highPartLow16 = highPart % 65536;
    const carried = highPartLow16 * 65536 + low16 * 1e9 + nanos;
    this.fixed64(carried >>> 0, Math.floor(highPart / 65536) + Math.floor(carried / TWO_TO_32));
  }

  string(value: string): void {
    const length = value.length;
    if (length < 128) {
      this.ensure(1 + length);
      const buffer = this.buffer;
      let p = this.pos + 1;
      let i = 0;
      for (; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code > 127) break;
        buffer[p++] = code;
      }
      if (i === length) {
        buffer[this.pos] = length;
        this.pos = p;
        return;
      }
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varint(bytes);
    this.ensure(bytes);
    (this.buffer as unknown as Utf8Writable).utf8Write(value, this.pos, bytes);
    this.pos += bytes;
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.pos);
    this.pos += value.length;
  }

  /** A hex id (trace, span) as bytes, decoded in place. */
  hexBytes(hex: string): void {
    const length = hex.length;
    this.ensure(1 + (length >>> 1));
    const buffer = this.buffer;
    buffer[this.pos++] = length >>> 1;
    for (let i = 0; i + 1 < length; i += 2) {
      const high = hex.charCodeAt(i);
      const low = hex.charCodeAt(i + 1);
      buffer[this.pos++] = ((high < 128 ? NIBBLES[high]! : 0) << 4) | (low < 128 ? NIBBLES[low]! : 0);
    }
  }

  /**
   * Reserves the length of a length-delimited field, `reserved` bytes (2 for
   * messages that are usually 128 bytes to 16 KiB long, such as spans); pass the
   * result and the same `reserved` to `end`.
   */
  begin(reserved = 1): number {
    this.ensure(reserved);
    const start = this.pos;
    this.pos += reserved;
    return start;
  }

  end(start: number, reserved = 1): void {
    const length = this.pos - start - reserved;
    if (length < 128 && reserved === 1) {
      this.buffer[start] = length;
      return;
    }
    const size = varintSize(length);
    if (size !== reserved) {
      this.ensure(size - reserved);
      this.buffer.copyWithin(start + size, start + reserved, this.pos);
      this.pos += size - reserved;
    }
    let v = length;
    let p = start;
    while (v > 127) {
      this.buffer[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buffer[p] = v;
  }
}

function varintSize(value: number): number {
  if (value < 128) return 1;
  if (value < 16384) return 2;
  if (value < 2097152) return 3;
  if (value < 268435456) return 4;
  return 5;
}

/** 0-9, a-f, A-F. Ids are validated hex before they reach a span; anything else reads as 0. */
/** The value of each ASCII hex digit; anything else reads as 0. */
const NIBBLES = new Uint8Array(128);
for (let c = 0; c < 10; c++) NIBBLES[48 + c] = c;
for (let c = 0; c < 6; c++) NIBBLES[97 + c] = NIBBLES[65 + c] = 10 + c;
