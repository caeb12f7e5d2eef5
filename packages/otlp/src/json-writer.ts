const stringify = JSON.stringify;

/** Character codes of the JSON punctuation written by `byte`. */
export const QUOTE = 0x22;
export const COMMA = 0x2c;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const CLOSE_BRACE = 0x7d;
const BACKSLASH = 0x5c;
const INT32_LIMIT = 2 ** 31;

const encoder = new TextEncoder();

/**
 * Text as UTF-8 bytes, made once and then copied in by `raw`: the fixed parts of a document
 * (names, punctuation) and JSON that repeats (a resource, an attribute key).
 */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * A JSON writer over one growing buffer that is kept from one document to the next (as
 * `ProtobufWriter` is): `reset()` starts a new document at offset 0, `copy()` takes out only the
 * bytes written. It writes UTF-8 straight into the buffer, with no string built in between: fixed
 * text is copied from bytes made once (`utf8`), and a string value is copied a character at a
 * time while it is ASCII that JSON does not escape; any other string goes through
 * `JSON.stringify`. So the output is the text `JSON.stringify` gives (lone surrogates escaped as
 * `\udXXX`), byte for byte. Faster than `JSON.stringify` of an object tree, and than building
 * the text as a string (whose many pieces cost a flattening copy before the UTF-8 one): see the
 * OTLP/JSON cases of bench/src/micro.mjs.
 */
export class JsonWriter {
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

  /** The bytes written since `reset()`, a view that the next document overwrites. */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  private grow(bytes: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** One ASCII character, by its code. */
  byte(code: number): void {
    if (this.pos >= this.buf.length) this.grow(1);
    this.buf[this.pos++] = code;
  }

  /** Bytes as they are: fixed text or JSON made once by `utf8`. */
  raw(bytes: Uint8Array): void {
    const length = bytes.length;
    if (this.pos + length > this.buf.length) this.grow(length);
    this.buf.set(bytes, this.pos);
    this.pos += length;
  }

  /**
   * A JSON string: ASCII with no control character, `"` or `\` is copied as it is (the usual
   * attribute key or value); anything else (a control character, a quote, non-ASCII, a lone
   * surrogate) is written as `JSON.stringify` writes it.
   */
  string(value: string): void {
    const length = value.length;
    if (this.pos + length + 2 > this.buf.length) this.grow(length + 2);
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    buf[p++] = QUOTE;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code < 0x20 || code > 0x7f || code === QUOTE || code === BACKSLASH) {
        this.pos = start;
        this.text(stringify(value));
        return;
      }
      buf[p++] = code;
    }
    buf[p++] = QUOTE;
    this.pos = p;
  }

  /** A JSON number as `JSON.stringify` writes it: `null` for NaN and the infinities. */
  number(value: number): void {
    // Small non-negative integers (counts, enums, flags, most integer attributes) digit by digit.
    if (value >>> 0 === value) {
      this.unsigned(value);
      return;
    }
    this.text(Number.isFinite(value) ? String(value) : 'null');
  }

  /** Any JSON value as `JSON.stringify` writes it; `null` for what it leaves out (`undefined`). */
  value(value: unknown): void {
    if (typeof value === 'string') this.string(value);
    else if (typeof value === 'number') this.number(value);
    else this.text(stringify(value) ?? 'null');
  }

  /**
   * A field that is not the object's first: `name` is its `,"name":` (made by `utf8`), written
   * with the value unless the value is `undefined` (a key `JSON.stringify` leaves out).
   */
  field(name: Uint8Array, value: unknown): void {
    if (value === undefined) return;
    this.raw(name);
    this.value(value);
  }

  /** JSON text made elsewhere (by `JSON.stringify`), written as UTF-8. */
  text(json: string): void {
    const max = json.length * 3;
    if (this.pos + max > this.buf.length) this.grow(max);
    this.pos += this.buf.write(json, this.pos, 'utf8');
  }

  /** `value` (an integer from 0 below 2^53) in decimal. */
  unsigned(value: number): void {
    if (value < INT32_LIMIT) {
      let count = 1;
      for (let rest = value; rest >= 10; rest = (rest / 10) | 0) count++;
      this.digits(value, count);
      return;
    }
    // Nine digits at a time, so that each part is in 32-bit integer range.
    const high = Math.floor(value / 1e9);
    this.unsigned(high);
    // Exact: below 2^53, value / 1e9 never rounds up to the next whole number.
    this.digits(value - high * 1e9, 9);
  }

  /**
   * `value` (an integer from 0 below 2^31) as exactly `count` decimal digits, zero-padded on the
   * left: the nanoseconds of a timestamp.
   */
  digits(value: number, count: number): void {
    if (this.pos + count > this.buf.length) this.grow(count);
    const buf = this.buf;
    let rest = value;
    for (let p = this.pos + count - 1; p >= this.pos; p--) {
      const next = (rest / 10) | 0;
      buf[p] = 0x30 + rest - next * 10;
      rest = next;
    }
    this.pos += count;
  }
}
