/** Thrown for any body that is not a well-formed OTLP message; the sink answers it with 400. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

export const WireType = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  fixed32: 5,
} as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A cursor over one protobuf message: just the wire types proto3 uses (varint, fixed64,
 * length-delimited, fixed32). Every read checks its bounds so a truncated or hostile body becomes an
 * {@link OtlpDecodeError}, never an out-of-range read.
 */
export class ProtobufReader {
  private pos = 0;
  private readonly view: DataView;

  constructor(
    private readonly buf: Uint8Array,
    private readonly context: string,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Calls `onField` for every field in the message, in wire order. */
  forEachField(onField: (field: number, wireType: number) => void): void {
    while (this.pos < this.buf.length) {
      const tag = this.readVarintNumber('a field tag');
      const field = Math.floor(tag / 8);
      const wireType = tag % 8;
      if (field === 0) this.fail('field number 0 is not allowed');
      const before = this.pos;
      onField(field, wireType);
      // A handler that did not consume the field leaves it unknown: skip it, as proto3 requires.
      if (this.pos === before) this.skip(wireType, field);
    }
  }

  fail(reason: string): never {
    throw new OtlpDecodeError(`${this.context}: ${reason}`);
  }

  private expect(wireType: number, expected: number, what: string): void {
    if (wireType !== expected) {
      this.fail(`${what} has wire type ${wireType}, expected ${expected}`);
    }
  }

  private skip(wireType: number, field: number): void {
    switch (wireType) {
      case WireType.varint:
        this.readVarintBig(`field ${field}`);
        return;
      case WireType.fixed64:
        this.advance(8, `field ${field}`);
        return;
      case WireType.lengthDelimited:
        this.readLengthDelimited(`field ${field}`);
        return;
      case WireType.fixed32:
        this.advance(4, `field ${field}`);
        return;
      default:
        this.fail(`field ${field} has unsupported wire type ${wireType}`);
    }
  }

  private advance(bytes: number, what: string): number {
    const start = this.pos;
    if (start + bytes > this.buf.length) this.fail(`${what} is truncated`);
    this.pos += bytes;
    return start;
  }

  // Lengths, tags and enums fit in 2^53; anything larger is not a valid OTLP body.
  private readVarintNumber(what: string): number {
    // Fast path in plain numbers: up to 7 bytes (49 bits) cannot lose precision. Tags and lengths,
    // nearly every varint of a body, take it; BigInt only for the rare longer ones.
    const start = this.pos;
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 7 && this.pos < this.buf.length; i++) {
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
    this.pos = start;
    const value = this.readVarintBig(what);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) this.fail(`${what} is too large`);
    return Number(value);
  }

  private readVarintBig(what: string): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) this.fail(`${what} is a truncated varint`);
      const byte = this.buf[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    this.fail(`${what} is a varint longer than 10 bytes`);
  }

  private readLengthDelimited(what: string): Uint8Array {
    const length = this.readVarintNumber(`the length of ${what}`);
    const start = this.advance(length, what);
    return this.buf.subarray(start, start + length);
  }

  string(wireType: number, what: string): string {
    this.expect(wireType, WireType.lengthDelimited, what);
    try {
      return utf8.decode(this.readLengthDelimited(what));
    } catch (error) {
      if (error instanceof OtlpDecodeError) throw error;
      this.fail(`${what} is not valid UTF-8`);
    }
  }

  bytes(wireType: number, what: string): Uint8Array {
    this.expect(wireType, WireType.lengthDelimited, what);
    return this.readLengthDelimited(what);
  }

  /** A reader over an embedded message. */
  message(wireType: number, what: string): ProtobufReader {
    this.expect(wireType, WireType.lengthDelimited, what);
    return new ProtobufReader(this.readLengthDelimited(what), `${this.context}.${what}`);
  }

  /** uint32, uint64, int32 (as sent: negative int32 arrive as 10-byte varints), enums, bools. */
  varint(wireType: number, what: string): bigint {
    this.expect(wireType, WireType.varint, what);
    return this.readVarintBig(what);
  }

  int64(wireType: number, what: string): bigint {
    return BigInt.asIntN(64, this.varint(wireType, what));
  }

  /** An enum or int32 field, sign-corrected. */
  int32(wireType: number, what: string): number {
    this.expect(wireType, WireType.varint, what);
    const start = this.pos;
    const small = this.tryReadSmallVarint();
    if (small !== undefined) return small | 0;
    this.pos = start;
    return Number(BigInt.asIntN(32, this.readVarintBig(what)));
  }

  bool(wireType: number, what: string): boolean {
    this.expect(wireType, WireType.varint, what);
    const start = this.pos;
    const small = this.tryReadSmallVarint();
    if (small !== undefined) return small !== 0;
    this.pos = start;
    return this.readVarintBig(what) !== 0n;
  }

  /** A varint of at most 4 bytes (28 bits) as a number, or `undefined` to take the BigInt path. */
  private tryReadSmallVarint(): number | undefined {
    let result = 0;
    for (let i = 0; i < 4 && this.pos < this.buf.length; i++) {
      const byte = this.buf[this.pos++]!;
      result |= (byte & 0x7f) << (7 * i);
      if (byte < 0x80) return result;
    }
    return undefined;
  }

  sint32(wireType: number, what: string): number {
    const raw = Number(BigInt.asUintN(32, this.varint(wireType, what)));
    // Zigzag: 0, -1, 1, -2, ... are sent as 0, 1, 2, 3, ...
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  fixed64(wireType: number, what: string): bigint {
    this.expect(wireType, WireType.fixed64, what);
    return this.view.getBigUint64(this.advance(8, what), true);
  }

  sfixed64(wireType: number, what: string): bigint {
    this.expect(wireType, WireType.fixed64, what);
    return this.view.getBigInt64(this.advance(8, what), true);
  }

  fixed32(wireType: number, what: string): number {
    this.expect(wireType, WireType.fixed32, what);
    return this.view.getUint32(this.advance(4, what), true);
  }

  double(wireType: number, what: string): number {
    this.expect(wireType, WireType.fixed64, what);
    return this.view.getFloat64(this.advance(8, what), true);
  }

  /** A repeated fixed64 field, packed or not; appends to `out`. */
  repeatedFixed64(wireType: number, what: string, out: bigint[]): void {
    if (wireType !== WireType.lengthDelimited) {
      out.push(this.fixed64(wireType, what));
      return;
    }
    const packed = this.readLengthDelimited(what);
    if (packed.length % 8 !== 0) this.fail(`packed ${what} is not a multiple of 8 bytes`);
    const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    for (let at = 0; at < packed.length; at += 8) out.push(view.getBigUint64(at, true));
  }

  /** A repeated double field, packed or not; appends to `out`. */
  repeatedDouble(wireType: number, what: string, out: number[]): void {
    if (wireType !== WireType.lengthDelimited) {
      out.push(this.double(wireType, what));
      return;
    }
    const packed = this.readLengthDelimited(what);
    if (packed.length % 8 !== 0) this.fail(`packed ${what} is not a multiple of 8 bytes`);
    const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    for (let at = 0; at < packed.length; at += 8) out.push(view.getFloat64(at, true));
  }

  /** A repeated uint64 (varint) field, packed or not; appends to `out`. */
  repeatedVarint(wireType: number, what: string, out: bigint[]): void {
    if (wireType !== WireType.lengthDelimited) {
      out.push(this.varint(wireType, what));
      return;
    }
    const packed = new ProtobufReader(this.readLengthDelimited(what), `${this.context}.${what}`);
    while (packed.pos < packed.buf.length) out.push(packed.readVarintBig(what));
  }
}
