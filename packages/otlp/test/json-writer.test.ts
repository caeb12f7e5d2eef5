// JsonWriter against the oracle it stands in for: what JSON.stringify writes for the same value,
// as UTF-8 (Buffer.from). Every writer here starts with a 1-byte buffer, so each write also
// exercises growing it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtlpJsonWriter } from '../src/json-common.js';
import { JsonWriter, utf8 } from '../src/json-writer.js';
import { anyNumber, anyText } from './support/arbitraries.js';

function written(write: (w: JsonWriter) => void): string {
  const w = new JsonWriter(1);
  write(w);
  return w.copy().toString('latin1');
}

const expected = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('latin1');

describe('JsonWriter', () => {
  it('string: the bytes of JSON.stringify for any text (control characters, quotes, non-ASCII, lone surrogates)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(written((w) => w.string(text))).toBe(expected(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('string: every UTF-16 code unit alone and between ASCII letters', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const text = `a${String.fromCharCode(code)}b`;
      expect(written((w) => w.string(text))).toBe(expected(text));
    }
  });

  it('number: the text of JSON.stringify for any number (-0 is 0; NaN and the infinities are null)', () => {
    fc.assert(
      fc.property(fc.oneof(anyNumber, fc.integer({ min: 0, max: 2 ** 32 - 1 })), (value) => {
        expect(written((w) => w.number(value))).toBe(expected(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('unsigned and digits: decimal integers up to 2^53 - 1, and zero-padded nanoseconds', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          fc.maxSafeNat(),
          fc.constantFrom(0, 9, 10, 2 ** 31 - 1, 2 ** 31, 1e9 - 1, 1e9, 2 ** 53 - 1),
        ),
        fc.integer({ min: 0, max: 999_999_999 }),
        (value, nanos) => {
          expect(written((w) => w.unsigned(value))).toBe(String(value));
          expect(written((w) => w.digits(nanos, 9))).toBe(String(nanos).padStart(9, '0'));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('value: any JSON value as JSON.stringify writes it, null for undefined; field leaves undefined out', () => {
    const values = ['text', 'é\u0000"', 42, -1.5, true, null, [1, 'a'], { a: 1 }, Number.NaN];
    for (const value of values) expect(written((w) => w.value(value))).toBe(expected(value));
    expect(written((w) => w.value(undefined))).toBe('null');
    const name = utf8(',"n":');
    expect(written((w) => w.field(name, undefined))).toBe('');
    expect(written((w) => w.field(name, 'x'))).toBe(',"n":"x"');
  });

  it('raw, byte and text: bytes as given, and copy() or view() give only what was written since reset()', () => {
    const w = new JsonWriter(1);
    w.text('["ignored"]');
    w.reset();
    w.byte(0x5b);
    w.raw(utf8('"ü",'));
    w.text(JSON.stringify('𝄞'));
    w.byte(0x5d);
    expect(JSON.parse(w.copy().toString('utf8'))).toEqual(['ü', '𝄞']);
    expect(w.view().toString('utf8')).toBe('["ü","𝄞"]');
  });
});

describe('OtlpJsonWriter attribute keys', () => {
  it('keeps the text of at most 1024 keys, none longer than 256 characters; the JSON is the same either way', () => {
    const w = new OtlpJsonWriter(1);
    const long = 'k'.repeat(257);
    const attributes: Record<string, unknown> = { [long]: 1 };
    for (let i = 0; i < 3000; i++) attributes[`key.${i}`] = i;
    const expectedJson = JSON.stringify(
      Object.entries(attributes).map(([key, value]) => ({ key, value: { intValue: value } })),
    );
    for (let round = 0; round < 2; round++) {
      w.reset();
      w.keyValues(attributes);
      expect(w.view().toString('utf8')).toBe(expectedJson);
      expect(w.cachedKeys).toBe(1024);
    }
    const few = new OtlpJsonWriter(1);
    few.keyValues({ [long]: 'not kept', [long.slice(1)]: 'kept', short: 'kept' });
    expect(few.cachedKeys).toBe(2);
  });
});
