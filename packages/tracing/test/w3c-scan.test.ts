// The W3C parsers read headers character by character over lookup tables, keep a valid
// `tracestate` as it came until a member is asked for, and remember the last `tracestate` read.
// Here they are held, on generated input that is mostly *invalid*, to the ABNF of W3C Trace
// Context and W3C Baggage written as regular expressions (the form the grammar is given in),
// member by member: whatever the scan accepts or refuses, the grammar does the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { W3CTraceState } from '../src/index.js';
import {
  decodeBaggageValue,
  encodeBaggageValue,
  isBaggageKey,
  parseBaggage,
} from '../src/w3c/baggage-codec.js';
import { trimOws } from '../src/w3c/ows.js';
import { formatTraceparent, parseTraceparent } from '../src/w3c/traceparent.js';
import { isTraceStateKey, isTraceStateValue } from '../src/w3c/tracestate-rules.js';

const RUNS = { numRuns: 2000 };

/** Strings over `alphabet` (characters picked one by one), up to `maxLength` long. */
function over(alphabet: string, maxLength: number): fc.Arbitrary<string> {
  return fc.array(fc.constantFrom(...alphabet), { maxLength }).map((chars) => chars.join(''));
}

// Trace Context Level 1 §3.2.2 / §3.2.4, as regular expressions.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/s;
const ALL_ZERO = /^0+$/;

function grammarTraceparent(header: string) {
  const match = TRACEPARENT.exec(trimOws(header));
  if (match === null) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZERO.test(traceId!) || ALL_ZERO.test(spanId!)) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags!, 16) & 0x03 };
}

const VALID_TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** A valid traceparent with a few characters replaced, inserted or cut, and whitespace around. */
const mutatedTraceparent = fc
  .tuple(
    fc.constantFrom(VALID_TP, `01${VALID_TP.slice(2)}`, `cc${VALID_TP.slice(2)}-what-follows`),
    fc.array(
      fc.tuple(
        fc.nat(60),
        fc.constantFrom('0', 'f', 'F', 'g', '-', ' ', '\t', 'é', ''),
        fc.boolean(),
      ),
      { maxLength: 3 },
    ),
    over(' \t', 2),
    over(' \t', 2),
  )
  .map(([base, edits, before, after]) => {
    let value = base;
    for (const [at, char, insert] of edits) {
      value = value.slice(0, at) + char + value.slice(insert ? at : at + 1);
    }
    return before + value + after;
  });

describe('traceparent, scanned', () => {
  it('accepts and reads exactly what the grammar does', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedTraceparent, over('0af-ABC 9\t', 70)), (header) => {
        expect(parseTraceparent(header)).toEqual(grammarTraceparent(header));
      }),
      RUNS,
    );
  });

  it('all-zero ids and version ff are refused, flags beyond the known bits dropped', () => {
    expect(parseTraceparent(`00-${'0'.repeat(32)}-b7ad6b7169203331-01`)).toBeUndefined();
    expect(parseTraceparent(`00-0af7651916cd43dd8448eb211c80319c-${'0'.repeat(16)}-01`)).toBe(
      undefined,
    );
    expect(parseTraceparent(`ff${VALID_TP.slice(2)}`)).toBeUndefined();
    expect(parseTraceparent(`${VALID_TP.slice(0, 53)}ff`)?.traceFlags).toBe(0x03);
    for (const flags of [0, 1, 2, 3, 0xff, 0x80]) {
      const written = formatTraceparent({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: flags,
      });
      expect(written).toBe(`${VALID_TP.slice(0, 53)}0${flags & 3}`);
    }
  });
});

// Trace Context Level 1 §3.3.1.3, as regular expressions.
const SIMPLE_KEY = /^[a-z][a-z0-9_\-*/]{0,255}$/;
const MULTI_TENANT_KEY = /^[a-z0-9][a-z0-9_\-*/]{0,240}@[a-z][a-z0-9_\-*/]{0,13}$/;
const STATE_VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/** The members the grammar reads (no truncation: the inputs stay under 512 characters). */
function grammarTracestate(header: string): [string, string][] | undefined {
  const members: [string, string][] = [];
  for (const part of header.split(',')) {
    const member = trimOws(part);
    if (member === '') continue;
    const equals = member.indexOf('=');
    if (equals === -1) return undefined;
    const key = member.slice(0, equals);
    const value = member.slice(equals + 1);
    if (!SIMPLE_KEY.test(key) && !MULTI_TENANT_KEY.test(key)) return undefined;
    if (!STATE_VALUE.test(value) || members.some(([k]) => k === key)) return undefined;
    members.push([key, value]);
  }
  return members.length > 32 ? undefined : members;
}

const stateHeader = fc.oneof(
  over('ab0@_-*/=, \t', 40),
  over('ab=,1 \t', 30),
  fc
    .array(
      fc.tuple(
        over(' \t', 1),
        fc.constantFrom('a', 'b', 'rojo', '0t@s', 't@0s', 'a@b@c', 'A', 'k=', '', 'a b'),
        fc.constantFrom('=', '', '=='),
        fc.constantFrom('1', 'x y', 'x ', ' x', 'x\ty', '', '~!', 'é', 'a=b', '\t'),
        over(' \t', 1),
      ),
      { maxLength: 5 },
    )
    .map((members) => members.map((parts) => parts.join('')).join(',')),
);

describe('tracestate, scanned', () => {
  it('accepts, reads and writes back exactly what the grammar does', () => {
    fc.assert(
      fc.property(stateHeader, (header) => {
        const expected = grammarTracestate(header);
        const state = W3CTraceState.parse(header);
        if (expected === undefined) {
          expect(state).toBeUndefined();
          return;
        }
        expect(state?.size).toBe(expected.length);
        expect(state?.serialize()).toBe(expected.map(([k, v]) => `${k}=${v}`).join(','));
        for (const [key, value] of expected) expect(state?.get(key)).toBe(value);
        expect(state?.get('absent')).toBeUndefined();
      }),
      RUNS,
    );
  });

  it('keys and values on their own, as set() checks them', () => {
    fc.assert(
      fc.property(over('ab0@_-*/= \tA,~', 20), (text) => {
        expect(isTraceStateKey(text)).toBe(SIMPLE_KEY.test(text) || MULTI_TENANT_KEY.test(text));
        expect(isTraceStateValue(text)).toBe(STATE_VALUE.test(text));
      }),
      RUNS,
    );
    // At the length limits of §3.3.1.3.
    for (const [key, valid] of [
      [`a${'b'.repeat(255)}`, true],
      [`a${'b'.repeat(256)}`, false],
      [`${'t'.repeat(241)}@${'s'.repeat(14)}`, true],
      [`${'t'.repeat(242)}@s`, false],
      [`t@${'s'.repeat(15)}`, false],
    ] as const) {
      expect(isTraceStateKey(key), key.length.toString()).toBe(valid);
    }
    expect(isTraceStateValue('v'.repeat(256))).toBe(true);
    expect(isTraceStateValue('v'.repeat(257))).toBe(false);
  });

  it('a list kept as received answers get, set and unset as one read member by member', () => {
    const received = W3CTraceState.parse('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')!;
    const padded = W3CTraceState.parse(' rojo=00f067aa0ba902b7 ,, congo=t61rcWkgMzE\t')!;
    for (const state of [received, padded]) {
      expect(state.size).toBe(2);
      expect(state.get('congo')).toBe('t61rcWkgMzE');
      expect(state.set('congo', 'x').serialize()).toBe('congo=x,rojo=00f067aa0ba902b7');
      expect(state.unset('rojo').serialize()).toBe('congo=t61rcWkgMzE');
      expect(state.unset('absent')).toBe(state);
      expect(state.serialize()).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    }
  });

  it('the same header read twice gives the same answer, also after a different one', () => {
    const header = 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE';
    const first = W3CTraceState.parse(header);
    expect(W3CTraceState.parse('a=1')?.serialize()).toBe('a=1');
    expect(W3CTraceState.parse(header)?.serialize()).toBe(first?.serialize());
    expect(W3CTraceState.parse('a=1,a=2')).toBeUndefined();
    expect(W3CTraceState.parse('a=1,a=2')).toBeUndefined();
    // Repeated fields are combined first: the same text as one header reads the same.
    expect(W3CTraceState.parse(['rojo=00f067aa0ba902b7', 'congo=t61rcWkgMzE'])).toBe(
      W3CTraceState.parse(header),
    );
  });
});

// W3C Baggage §key, §value, §property, as regular expressions.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const OCTETS = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** What the grammar reads, value still percent-encoded, properties with whitespace removed. */
function grammarBaggage(header: string): [string, string, string | undefined][] {
  const members: [string, string, string | undefined][] = [];
  for (const part of header.split(',')) {
    const [pair = '', ...properties] = trimOws(part).split(';');
    const equals = pair.indexOf('=');
    if (equals === -1) continue;
    const key = trimOws(pair.slice(0, equals));
    const raw = trimOws(pair.slice(equals + 1));
    if (!TOKEN.test(key) || !OCTETS.test(raw)) continue;
    const props: string[] = [];
    let valid = true;
    for (const property of properties) {
      const eq = property.indexOf('=');
      const pk = trimOws(eq === -1 ? property : property.slice(0, eq));
      const pv = eq === -1 ? undefined : trimOws(property.slice(eq + 1));
      if (!TOKEN.test(pk) || (pv !== undefined && !OCTETS.test(pv))) valid = false;
      props.push(pv === undefined ? pk : `${pk}=${pv}`);
    }
    if (valid) members.push([key, raw, properties.length === 0 ? undefined : props.join(';')]);
  }
  return members;
}

const baggageHeader = fc.oneof(
  over('aB1=,; \t%2F"é\\', 40),
  fc
    .array(
      fc.tuple(
        over(' \t', 1),
        fc.constantFrom('userId', 'a b', '', 'k"', 'é', '1', '__proto__', '!#$'),
        over(' \t', 1),
        fc.constantFrom('=', '', '=='),
        over(' \t', 1),
        fc.constantFrom('alice', 'DF%2028', '%E2%82%AC', '%FF', '%2', '%zz', 'a b', '"', ''),
        fc.constantFrom('', ';p', ';p=1', '; p = 1 ;q', ';', ';p=a b', ';=1'),
      ),
      { maxLength: 5 },
    )
    .map((members) => members.map((parts) => parts.join('')).join(',')),
);

describe('baggage, scanned', () => {
  it('reads exactly the members the grammar does', () => {
    fc.assert(
      fc.property(baggageHeader, (header) => {
        const read = parseBaggage(header).map((m) => [m.key, m.value, m.properties]);
        const expected = grammarBaggage(header).map(([key, raw, properties]) => [
          key,
          decodeBaggageValue(raw),
          properties,
        ]);
        expect(read).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('decodes percent-encoded UTF-8 as TextDecoder does, invalid sequences as U+FFFD', () => {
    const decoder = new TextDecoder();
    const hex = /^[0-9A-Fa-f]{2}$/;
    fc.assert(
      fc.property(over('%2Ffa0E8C3x', 24), (raw) => {
        const bytes: number[] = [];
        for (let i = 0; i < raw.length; i++) {
          if (raw[i] === '%' && hex.test(raw.slice(i + 1, i + 3))) {
            bytes.push(Number.parseInt(raw.slice(i + 1, i + 3), 16));
            i += 2;
          } else {
            bytes.push(raw.charCodeAt(i));
          }
        }
        expect(decodeBaggageValue(raw)).toBe(decoder.decode(Uint8Array.from(bytes)));
      }),
      RUNS,
    );
    expect(decodeBaggageValue('DF%2028')).toBe('DF 28');
    expect(decodeBaggageValue('%E2%82%AC%ff')).toBe('€\uFFFD');
  });

  it('encodes every character outside baggage-octet, and % itself, as UTF-8', () => {
    const octet = /^[\x21\x23-\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]$/;
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (value) => {
        let expected = '';
        for (const char of value) {
          expected += octet.test(char)
            ? char
            : [...encoder.encode(char)]
                .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
                .join('');
        }
        expect(encodeBaggageValue(value)).toBe(expected);
      }),
      RUNS,
    );
    expect(isBaggageKey('')).toBe(false);
    expect(isBaggageKey('k"')).toBe(false);
    expect(isBaggageKey("!#$%&'*+-.^_`|~09AZaz")).toBe(true);
  });
});
