// W3C Baggage, rule by rule: each row is a `baggage` header as it arrives, the entries the
// registered propagator extracts (through `propagation.extract`), and the section of W3C Baggage
// (https://www.w3.org/TR/baggage/) it comes from. Each row also runs through OpenTelemetry's stock
// `W3CBaggagePropagator`, and says where that one departs from the text.
import type { Context, TextMapSetter } from '@opentelemetry/api';
import { baggageEntryMetadataFromString, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestTracing } from '../src/testing/index.js';
import { createTestTracing } from '../src/testing/index.js';
import type { Headers } from './support/carriers.js';
import { headerGetter } from './support/carriers.js';

/** `[key, value]`, or `[key, value, properties]` when the entry has metadata. */
type Entry = readonly [string, string] | readonly [string, string, string];

function entries(context: Context): Entry[] {
  const baggage = propagation.getBaggage(context);
  if (baggage === undefined) return [];
  return baggage
    .getAllEntries()
    .map(
      ([key, entry]): Entry =>
        entry.metadata === undefined
          ? [key, entry.value]
          : [key, entry.value, entry.metadata.toString()],
    );
}

interface Row {
  readonly rule: string;
  readonly clause: string;
  readonly headers: Headers;
  readonly expected: Entry[];
  readonly stockDiffers?: true;
}

const many = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=v${i}`);

const ROWS: Row[] = [
  {
    rule: 'percent-encoded values are decoded',
    clause: '§Examples of HTTP headers; §value ("percent-encoded" UTF-8)',
    headers: { baggage: 'userId=alice,serverNode=DF%2028,isProduction=false' },
    expected: [
      ['userId', 'alice'],
      ['serverNode', 'DF 28'],
      ['isProduction', 'false'],
    ],
  },
  {
    rule: 'repeated fields are combined',
    clause: '§Baggage HTTP Header Format ("Multiple baggage headers are allowed")',
    headers: { baggage: ['userId=alice', 'serverNode=DF%2028,isProduction=false'] },
    expected: [
      ['userId', 'alice'],
      ['serverNode', 'DF 28'],
      ['isProduction', 'false'],
    ],
  },
  {
    rule: 'whitespace around keys and values is not part of them',
    clause: '§key, §value ("Leading and trailing whitespaces (OWS) ... not ... part")',
    headers: { baggage: ['userId =   alice', 'serverNode = DF%2028, isProduction = false'] },
    expected: [
      ['userId', 'alice'],
      ['serverNode', 'DF 28'],
      ['isProduction', 'false'],
    ],
  },
  {
    rule: 'the header name is matched in any case',
    clause: '§Header Name',
    headers: { BaGgAgE: 'k=v' },
    expected: [['k', 'v']],
  },
  {
    rule: 'properties are kept, without their optional whitespace',
    clause: '§property ("Leading and trailing OWS ... not ... part of the property key or value")',
    headers: {
      baggage:
        'key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey = propertyValue',
    },
    expected: [
      ['key1', 'value1', 'property1;property2'],
      ['key2', 'value2'],
      ['key3', 'value3', 'propertyKey=propertyValue'],
    ],
    stockDiffers: true,
  },
  {
    rule: 'property values are opaque: not percent-decoded',
    clause: '§property ("given no specific meaning by this specification")',
    headers: { baggage: 'k=v;p=a%20b' },
    expected: [['k', 'v', 'p=a%20b']],
  },
  {
    rule: 'a value may contain "="',
    clause: '§value ("MAY contain any number of the equal sign")',
    headers: { baggage: 'k=a=b' },
    expected: [['k', 'a=b']],
  },
  {
    rule: 'percent-encoded octets that are not UTF-8 become U+FFFD',
    clause: '§value ("MUST be replaced with the replacement code point (U+FFFD)")',
    headers: { baggage: 'k=a%FFb,j=1' },
    expected: [
      ['k', 'a\uFFFDb'],
      ['j', '1'],
    ],
    stockDiffers: true,
  },
  {
    rule: 'a "%" not followed by two hex digits is a literal "%"',
    clause: '§Definition (baggage-octet includes %x25); §value',
    headers: { baggage: 'k=100%,j=1' },
    expected: [
      ['k', '100%'],
      ['j', '1'],
    ],
    stockDiffers: true,
  },
  {
    rule: 'an empty value is a value',
    clause: '§Definition (value = *baggage-octet)',
    headers: { baggage: 'k=,j=1' },
    expected: [
      ['k', ''],
      ['j', '1'],
    ],
    stockDiffers: true,
  },
  {
    rule: 'keys are tokens, taken as written (not percent-decoded)',
    clause: '§key (key = token, RFC 7230 §3.2.6)',
    headers: { baggage: 'k%41=v' },
    expected: [['k%41', 'v']],
    stockDiffers: true,
  },
  ...['k(y=v', 'k y=v', '=v', 'k', 'k=a b', 'k=a"b', 'k=a\\b', 'k=é', 'k=v;p(=1', 'k=v;p=a b'].map(
    (bad): Row => ({
      rule: `a malformed member (${JSON.stringify(bad)}) is dropped, the others kept`,
      clause: '§Definition; §Mutating baggage ("MAY remove that entry")',
      headers: { baggage: `${bad},j=1` },
      expected: [['j', '1']],
      ...(['=v', 'k'].includes(bad) ? {} : { stockDiffers: true as const }),
    }),
  ),
  {
    rule: 'members keep the order of the header, integer-like keys too',
    clause: '§baggage-string ("The order of duplicate entries SHOULD be preserved")',
    headers: { baggage: 'b=1,0=2' },
    expected: [
      ['b', '1'],
      ['0', '2'],
    ],
    stockDiffers: true,
  },
  {
    rule: 'a repeated key: the last member wins',
    clause: '§baggage-string ("Uniqueness of keys ... is not guaranteed"); §Mutating baggage',
    headers: { baggage: 'k=1,k=2' },
    expected: [['k', '2']],
  },
  {
    rule: '__proto__ is an ordinary key',
    clause: '§key (any token)',
    headers: { baggage: '__proto__=v,j=1' },
    expected: [
      ['__proto__', 'v'],
      ['j', '1'],
    ],
    stockDiffers: true,
  },
  {
    rule: '64 members are all kept',
    clause: '§Limits ("MUST propagate all list-members up to at least 64")',
    headers: { baggage: many(64).join(',') },
    expected: many(64).map((m) => m.split('=') as [string, string]),
  },
  {
    rule: 'past 180 members the rest is dropped',
    clause: '§Definition (0*179 more list-members); §Mutating baggage',
    headers: { baggage: many(181).join(',') },
    expected: many(180).map((m) => m.split('=') as [string, string]),
  },
  {
    rule: 'a baggage-string of 8192 bytes is kept whole, one member or many',
    clause:
      '§Limits ("MUST propagate ... if the resulting baggage-string would be 8192 bytes or less")',
    headers: { baggage: `a=${'x'.repeat(8190)}` },
    expected: [['a', 'x'.repeat(8190)]],
    stockDiffers: true,
  },
  {
    rule: 'members past 8192 bytes are dropped',
    clause: '§Limits ("some list-members MAY be dropped")',
    headers: { baggage: `a=${'x'.repeat(8190)},b=1` },
    expected: [['a', 'x'.repeat(8190)]],
    stockDiffers: true,
  },
];

let tracing: TestTracing;
beforeAll(() => {
  tracing = createTestTracing();
});
afterAll(async () => {
  await tracing.shutdown();
});

const stock = new W3CBaggagePropagator();

describe('baggage, rule by rule', () => {
  it.each(ROWS.map((row) => [row.rule, row] as const))('%s', (_rule, row) => {
    const ours = entries(propagation.extract(ROOT_CONTEXT, row.headers, headerGetter));
    expect(ours, row.clause).toEqual(row.expected);
    const theirs = entries(stock.extract(ROOT_CONTEXT, row.headers, headerGetter));
    if (row.stockDiffers) expect(theirs).not.toEqual(row.expected);
    else expect(theirs).toEqual(row.expected);
  });
});

describe('what is injected on outgoing calls', () => {
  const setter: TextMapSetter<Record<string, string>> = {
    set: (carrier, key, value) => {
      carrier[key] = value;
    },
  };
  function injected(values: Record<string, string | { value: string; metadata: string }>) {
    const baggage = propagation.createBaggage(
      Object.fromEntries(
        Object.entries(values).map(([key, v]) => [
          key,
          typeof v === 'string'
            ? { value: v }
            : { value: v.value, metadata: baggageEntryMetadataFromString(v.metadata) },
        ]),
      ),
    );
    const headers: Record<string, string> = {};
    propagation.inject(propagation.setBaggage(ROOT_CONTEXT, baggage), headers, setter);
    return headers.baggage;
  }

  it('characters outside baggage-octet, and "%", are percent-encoded as UTF-8 (§value)', () => {
    expect(injected({ serverNode: 'DF 28', name: 'é', ratio: '100%', odd: 'a,b;c"d\\e' })).toBe(
      'serverNode=DF%2028,name=%C3%A9,ratio=100%25,odd=a%2Cb%3Bc%22d%5Ce',
    );
  });

  it('a key that is not a token is left out, not rewritten (§key)', () => {
    expect(injected({ 'a b': '1', ok: '2' })).toBe('ok=2');
  });

  it('properties go out after the value; malformed ones are left off (§property)', () => {
    expect(injected({ k: { value: 'v', metadata: 'p1; p2 = x' } })).toBe('k=v;p1;p2=x');
    expect(injected({ k: { value: 'v', metadata: 'p(1' } })).toBe('k=v');
  });

  it('8192 bytes go out whole; a member that would pass them is left out (§Limits)', () => {
    expect(injected({ a: 'x'.repeat(8190) })).toHaveLength(8192);
    const header = injected({ a: 'x'.repeat(8190), b: '1' })!;
    expect(header).toBe(`a=${'x'.repeat(8190)}`);
  });

  it('at least 64 members go out, at most 180 (§Limits, §Definition)', () => {
    const values = (n: number) => Object.fromEntries(many(n).map((m) => m.split('=')));
    expect(injected(values(64))!.split(',')).toHaveLength(64);
    expect(injected(values(200))!.split(',')).toHaveLength(180);
  });

  it('an empty baggage sends no header', () => {
    expect(injected({})).toBeUndefined();
  });
});
