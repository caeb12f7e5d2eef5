import {
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COMMA,
  JsonWriter,
  OPEN_BRACKET,
  QUOTE,
  utf8,
} from './json-writer.js';

const stringify = JSON.stringify;

const STRING_VALUE = utf8('{"stringValue":');
const INT_VALUE = utf8('{"intValue":');
const DOUBLE_VALUE = utf8('{"doubleValue":');
const TRUE_VALUE = utf8('{"boolValue":true}');
const FALSE_VALUE = utf8('{"boolValue":false}');
const BYTES_VALUE = utf8('{"bytesValue":"');
const ARRAY_VALUE = utf8('{"arrayValue":{"values":[');
const KVLIST_VALUE = utf8('{"kvlistValue":{"values":');
const EMPTY_VALUE = utf8('{}');
const EMPTY_LIST = utf8('[]');
const KEY = utf8('{"key":');
const VALUE = utf8(',"value":');

/**
 * How many attribute keys a writer keeps the `{"key":…,"value":` of (a bound on its memory when
 * keys are unbounded); later keys are written each time.
 */
const MAX_CACHED_KEYS = 1024;
/** Longer keys are written each time. */
const MAX_CACHED_KEY_LENGTH = 256;

/**
 * The OTLP/JSON pieces on top of `JsonWriter`, written as `@opentelemetry/otlp-transformer`'s JSON
 * path writes them (its object tree through `JSON.stringify`). Attribute keys repeat from item to
 * item, so the text before each value, `{"key":"http.route","value":`, is made once per key and
 * copied in after that (for the first `MAX_CACHED_KEYS` keys).
 */
export class OtlpJsonWriter extends JsonWriter {
  private readonly keyPrefixes = new Map<string, Uint8Array>();

  /**
   * An `AnyValue` from an attribute or log body value, deciding as the transformer's JSON path
   * does: any integer is `intValue` (JSON has no int64 limit), other numbers `doubleValue` (NaN
   * and the infinities are written `null`, as `JSON.stringify` writes them), bytes base64, arrays
   * and objects nested, anything else (null, undefined, a bigint) `{}`.
   */
  anyValue(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.raw(STRING_VALUE);
        this.string(value);
        this.byte(CLOSE_BRACE);
        return;
      case 'number':
        this.raw(Number.isInteger(value) ? INT_VALUE : DOUBLE_VALUE);
        this.number(value);
        this.byte(CLOSE_BRACE);
        return;
      case 'boolean':
        this.raw(value ? TRUE_VALUE : FALSE_VALUE);
        return;
      case 'object':
        if (value === null) break;
        if (value instanceof Uint8Array) {
          this.raw(BYTES_VALUE);
          this.text(
            Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64'),
          );
          this.byte(QUOTE);
          this.byte(CLOSE_BRACE);
        } else if (Array.isArray(value)) {
          this.raw(ARRAY_VALUE);
          for (let i = 0; i < value.length; i++) {
            if (i > 0) this.byte(COMMA);
            this.anyValue(value[i]);
          }
          this.byte(CLOSE_BRACKET);
          this.byte(CLOSE_BRACE);
          this.byte(CLOSE_BRACE);
        } else {
          this.raw(KVLIST_VALUE);
          this.keyValues(value as Record<string, unknown>);
          this.byte(CLOSE_BRACE);
          this.byte(CLOSE_BRACE);
        }
        return;
    }
    this.raw(EMPTY_VALUE);
  }

  /** A JSON array of `KeyValue`s, one per own enumerable key; `[]` for none. */
  keyValues(values: Readonly<Record<string, unknown>> | undefined): void {
    if (!values) {
      this.raw(EMPTY_LIST);
      return;
    }
    this.byte(OPEN_BRACKET);
    let first = true;
    for (const key in values) {
      if (!Object.hasOwn(values, key)) continue;
      if (!first) this.byte(COMMA);
      first = false;
      this.keyPrefix(key);
      this.anyValue(values[key]);
      this.byte(CLOSE_BRACE);
    }
    this.byte(CLOSE_BRACKET);
  }

  /** How many keys' `{"key":…,"value":` are kept (at most `MAX_CACHED_KEYS`). */
  get cachedKeys(): number {
    return this.keyPrefixes.size;
  }

  /** `{"key":<key>,"value":`. */
  private keyPrefix(key: string): void {
    const cached = this.keyPrefixes.get(key);
    if (cached !== undefined) {
      this.raw(cached);
      return;
    }
    if (this.keyPrefixes.size < MAX_CACHED_KEYS && key.length <= MAX_CACHED_KEY_LENGTH) {
      const prefix = utf8(`{"key":${stringify(key)},"value":`);
      this.keyPrefixes.set(key, prefix);
      this.raw(prefix);
      return;
    }
    this.raw(KEY);
    this.string(key);
    this.raw(VALUE);
  }

  /**
   * HrTime as the transformer's JSON writes it: a string of whole nanoseconds. The usual case
   * (whole seconds and nanoseconds below 1e9) is two numbers side by side; anything else goes
   * through BigInt as in the transformer.
   */
  time(time: readonly [number, number]): void {
    const seconds = time[0];
    const nanos = time[1];
    if (
      Number.isSafeInteger(seconds) &&
      seconds > 0 &&
      Number.isInteger(nanos) &&
      nanos >= 0 &&
      nanos < 1e9
    ) {
      this.byte(QUOTE);
      this.unsigned(seconds);
      this.digits(nanos, 9);
      this.byte(QUOTE);
      return;
    }
    this.text(
      `"${(BigInt(Math.trunc(seconds)) * 1_000_000_000n + BigInt(Math.trunc(nanos))).toString()}"`,
    );
  }
}
