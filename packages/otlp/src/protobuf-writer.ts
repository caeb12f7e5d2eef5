/** Size of a varint of `value` (a non-negative length; negative numbers take 10 bytes). */
export function varintSize(value: number): number {
  if (value < 0) return 10;
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  if (value < 2 ** 35) return 5;
  if (value < 2 ** 42) return 6;
  if (value < 2 ** 49) return 7;
  if (value < 2 ** 56) return 8;
  return 9;
}

const TWO_32 = 4_294_967_296;

/** The hex digit's value as `@opentelemetry/otlp-transformer`'s `hexToBinary` reads it. */
function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  // Upper-case A-F, and (as the transformer does) anything else mapped the same way.
  return code - 55;
}

/**
 * A protobuf writer over one growing buffer that is kept from one message to the next: `reset()`
 * starts a new message at offset 0, `copy()` takes out only the bytes written. Nested messages
 * reserve room for their length (`begin`) and fill it in at the end (`end`), moving the body only
 * when the length needs more bytes than reserved: spans reserve 2 (up to 16 KiB), the batch's
 * containers 3 (up to 2 MiB), attributes 1.
 */
export class ProtobufWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  reset(): void {
    this.pos = 0;
  }

  /** The bytes written since `reset()`, copied out of the reused buffer. */
  copy(): Buffer {
    const out = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }

  /** The bytes written since `reset()`, a view that the next message overwrites. */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  ensure(bytes: number): void {
    if (this.pos + bytes > this.buf.length) this.grow(bytes);
  }

  private grow(bytes: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** One byte: a tag whose field number and wire type fit in 7 bits. */
  byte(value: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = value;
  }

  /** A varint, as the transformer writes one: two's complement in 10 bytes for negatives. */
  varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 127) {
        buf[this.pos++] = (v & 127) | 128;
        v >>>= 7;
      }
      buf[this.pos++] = v;
      return;
    }
    let low: number;
    let high: number;
    if (value >= 0) {
      low = value >>> 0;
      high = (value / TWO_32) >>> 0;
    } else {
      // Also NaN and undefined, which come out as 0, as in the transformer.
      const abs = Math.abs(value);
      low = ~(abs >>> 0) >>> 0;
      high = ~((abs / TWO_32) >>> 0) >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 127) {
      buf[this.pos++] = (low & 127) | 128;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buf[this.pos++] = low & 127;
  }

  fixed32(value: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    const buf = this.buf;
    buf.writeUInt32LE(low >>> 0, this.pos);
    buf.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  /**
   * A signed 64-bit integer as fixed64, two's complement for negatives, with the transformer's
   * arithmetic (so NaN and fractions come out as it writes them).
   */
  sfixed64(value: number): void {
    let low: number;
    let high: number;
    if (value >= 0) {
      low = value >>> 0;
      high = (value / TWO_32) >>> 0;
    } else {
      const abs = Math.abs(value);
      low = ~(abs >>> 0) >>> 0;
      high = ~((abs / TWO_32) >>> 0) >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    this.fixed64(low, high);
  }

  /** A zigzag-encoded sint32 (an exponential histogram's scale and bucket offset). */
  sint32(value: number): void {
    this.varint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  double(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /**
   * HrTime `[seconds, nanoseconds]` as fixed64 nanoseconds, computed in 32-bit halves without a
   * BigInt (the same arithmetic as the transformer's, so odd inputs give the same bytes).
   */
  hrTime(time: readonly [number, number]): void {
    const seconds = time[0];
    const nanos = time[1];
    const fromLow16 = (seconds & 0xffff) * 1e9;
    const fromHigh = ((seconds / 0x10000) >>> 0) * 1e9;
    const low = (fromLow16 >>> 0) + (((fromHigh & 0xffff) * 0x10000) >>> 0) + nanos;
    const high =
      Math.floor(fromLow16 / TWO_32) + ((fromHigh / 0x10000) >>> 0) + Math.floor(low / TWO_32);
    this.fixed64(low >>> 0, high >>> 0);
  }

  /**
   * A length-delimited UTF-8 string; lone surrogates become U+FFFD, as `TextEncoder` does. Written
   * by `Buffer#write`, the fastest way from a string to bytes (see bench/src/micro.mjs, OTLP cases):
   * a string of fewer than 128 UTF-16 units is written after a one-byte length, which is moved
   * in the rare case that its UTF-8 takes 128 bytes or more.
   */
  string(value: string): void {
    const length = value.length;
    if (length >= 128) {
      this.longString(value);
      return;
    }
    this.ensure(2 + length * 3);
    const start = this.pos;
    const written = this.buf.write(value, start + 1, 'utf8');
    if (written < 128) {
      this.buf[start] = written;
      this.pos = start + 1 + written;
      return;
    }
    this.buf.copyWithin(start + 2, start + 1, start + 1 + written);
    this.buf[start] = (written & 127) | 128;
    this.buf[start + 1] = written >>> 7;
    this.pos = start + 2 + written;
  }

  private longString(value: string): void {
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varint(bytes);
    this.ensure(bytes);
    this.buf.write(value, this.pos, bytes, 'utf8');
    this.pos += bytes;
  }

  /** Bytes as they are (a message encoded before). */
  raw(value: Uint8Array): void {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Length-delimited bytes. */
  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /**
   * Length-delimited bytes from a hex string (a trace or span id), written without a Buffer in
   * between: two characters per byte, an odd last character dropped, as the transformer does.
   */
  hex(value: string): void {
    const length = value.length >>> 1;
    this.varint(length);
    this.ensure(length);
    // Node's own hex decoding, for ids that are all hex digits; it stops at anything else, and
    // then the ids are written the transformer's way.
    if (this.buf.write(value, this.pos, length, 'hex') === length) {
      this.pos += length;
      return;
    }
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < length * 2; i += 2) {
      buf[p++] = (nibble(value.charCodeAt(i)) << 4) | nibble(value.charCodeAt(i + 1));
    }
    this.pos = p;
  }

  /** Starts a nested message; returns where its length goes. `reserve` bytes are kept for it. */
  begin(reserve: number): number {
    this.ensure(reserve);
    const start = this.pos;
    this.pos += reserve;
    return start;
  }

  /** Ends the nested message started at `start` with `reserve` bytes kept for its length. */
  end(start: number, reserve: number): void {
    const length = this.pos - start - reserve;
    if (reserve === 1 && length < 128) {
      this.buf[start] = length;
      return;
    }
    const size = varintSize(length);
    if (size !== reserve) {
      this.ensure(size - reserve);
      this.buf.copyWithin(start + size, start + reserve, this.pos);
      this.pos += size - reserve;
    }
    const buf = this.buf;
    let p = start;
    let v = length;
    while (v > 127) {
      buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[p] = v;
  }
}
