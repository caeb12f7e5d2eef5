// W3C Trace Context, rule by rule: each row is a header as it arrives, what the registered
// propagator extracts from it (through `propagation.extract`, as the middleware and `extractContext`
// do), and the clause of W3C Trace Context Level 1 (REC 2021-11-23, numbered as published) or
// Level 2 (CRD 2024-03-28) it comes from. Each row is also run through OpenTelemetry's stock
// `W3CTraceContextPropagator`: where it differs from the text, the row says so and checks that it
// does, so the table would fail against the parser we used before. Every case of the W3C
// conformance suite (test/test.py of w3c/trace-context, strict level 2) is a row, next to the rules
// it does not exercise.
import type { SpanContext, TextMapSetter, TraceState } from '@opentelemetry/api';
import {
  context,
  defaultTextMapGetter,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import { suppressTracing, W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { W3CTraceState } from '../src/index.js';
import type { TestTracing } from '../src/testing/index.js';
import { createTestTracing } from '../src/testing/index.js';
import type { Extracted, Headers } from './support/carriers.js';
import { extractWith, headerGetter, summarize } from './support/carriers.js';

const TID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SID = '00f067aa0ba902b7';
const TP = `00-${TID}-${SID}-01`;

function remote(tracestate: string | null = null, traceFlags = 1): Extracted {
  return { traceId: TID, spanId: SID, traceFlags, tracestate };
}

interface Row {
  readonly rule: string;
  readonly clause: string;
  readonly headers: Headers;
  /** The remote parent kept, or `null`: a new trace starts. */
  readonly expected: Extracted | null;
  /** OpenTelemetry's stock propagator gets this row wrong. */
  readonly stockDiffers?: true;
}

const members = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => `bar${String(i + from).padStart(2, '0')}=${i + from}`);
const sized = (i: number) => `m${String(i).padStart(2, '0')}=${'y'.repeat(36)}`; // 40 characters
const big = `big=${'x'.repeat(200)}`; // 204 characters, more than 128
const KEY_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_-*/';
const VALUE_CHARS = [
  [0x20, 0x2b],
  [0x2d, 0x3c],
  [0x3e, 0x7e],
]
  .flatMap(([from, to]) => Array.from({ length: to! - from! + 1 }, (_, i) => from! + i))
  .map((code) => String.fromCharCode(code))
  .join('');

const TRACEPARENT_ROWS: Row[] = [
  {
    rule: 'a sampled version-00 value is used',
    clause: 'L1 §3.2.3 Examples of HTTP traceparent Headers',
    headers: { traceparent: TP },
    expected: remote(),
  },
  {
    rule: 'an unsampled one too, flags 00',
    clause: 'L1 §3.2.3',
    headers: { traceparent: `00-${TID}-${SID}-00` },
    expected: remote(null, 0),
  },
  {
    rule: 'the header name is matched in any case',
    clause: 'L1 §3.2.1 Header Name ("MUST expect the header name in any case")',
    headers: { TrAcEpArEnT: TP },
    expected: remote(),
  },
  {
    rule: 'uppercase hex in trace-id is invalid',
    clause: 'L1 §3.2.2 (HEXDIGLC), §3.2.2.3 trace-id',
    headers: { traceparent: `00-${TID.toUpperCase()}-${SID}-01` },
    expected: null,
  },
  {
    rule: 'uppercase hex in parent-id is invalid',
    clause: 'L1 §3.2.2.4 parent-id ("non-lowercase hex characters")',
    headers: { traceparent: `00-${TID}-00F067AA0BA902B7-01` },
    expected: null,
  },
  {
    rule: 'uppercase hex in trace-flags is invalid',
    clause: 'L1 §3.2.2.2 version-format (trace-flags = 2HEXDIGLC)',
    headers: { traceparent: `00-${TID}-${SID}-0A` },
    expected: null,
  },
  {
    rule: 'version ff is invalid',
    clause: 'L1 §3.2.2.1 version ("Version ff is invalid")',
    headers: { traceparent: `ff-${TID}-${SID}-01` },
    expected: null,
  },
  {
    rule: 'version 00 with a fifth field is invalid',
    clause: 'L1 §3.2.2.2 version-format (exactly four fields for 00)',
    headers: { traceparent: `${TP}-what-the-future-will-be-like` },
    expected: null,
  },
  {
    rule: 'version 00 with a trailing character is invalid',
    clause: 'L1 §3.2.2.2',
    headers: { traceparent: `${TP}.` },
    expected: null,
  },
  {
    rule: 'a higher version is read by its first four fields',
    clause: 'L1 §3.2.4 Versioning of traceparent; §4.3 step 2.2',
    headers: { traceparent: `cc-${TID}-${SID}-01-what-the-future-will-be-like` },
    expected: remote(),
  },
  {
    rule: 'a higher version of exactly four fields',
    clause: 'L1 §3.2.4',
    headers: { traceparent: `cc-${TID}-${SID}-01` },
    expected: remote(),
  },
  {
    rule: 'a higher version whose flags are followed by neither end nor dash is invalid',
    clause: 'L1 §3.2.4 ("either the end of the string or a dash")',
    headers: { traceparent: `cc-${TID}-${SID}-01.what-the-future-will-be-like` },
    expected: null,
  },
  {
    rule: 'a higher version shorter than 55 characters is invalid',
    clause: 'L1 §3.2.4 ("shorter than 55 characters")',
    headers: { traceparent: `cc-${TID}-${SID}-1` },
    expected: null,
  },
  {
    rule: 'a version prefix that is not 2 hex characters and a dash restarts the trace',
    clause: 'L1 §3.2.4; §4.3 step 2.1',
    headers: { traceparent: `.0-${TID}-${SID}-01` },
    expected: null,
  },
  {
    rule: 'a 3-character version restarts the trace',
    clause: 'L1 §3.2.2.1 (version = 2HEXDIGLC)',
    headers: { traceparent: `000-${TID}-${SID}-01` },
    expected: null,
  },
  ...[
    ['0.', `0.-${TID}-${SID}-01`],
    ['0', `0-${TID}-${SID}-01`],
    ['0000', `0000-${TID}-${SID}-01`],
    ['trace-id .23…', `00-.${TID.slice(1)}-${SID}-01`],
    ['trace-id of 31', `00-${TID.slice(1)}-${SID}-01`],
    ['parent-id .23…', `00-${TID}-.${SID.slice(1)}-01`],
    ['parent-id of 17', `00-${TID}-${SID}7-01`],
    ['flags 0.', `00-${TID}-${SID}-0.`],
    ['flags 001', `00-${TID}-${SID}-001`],
    ['flags 1', `00-${TID}-${SID}-1`],
  ].map(
    ([what, value]): Row => ({
      rule: `a malformed field (${what}) restarts the trace`,
      clause: 'L1 §3.2.2.1-§3.2.2.5 (2HEXDIGLC, 32HEXDIGLC, 16HEXDIGLC, 2HEXDIGLC)',
      headers: { traceparent: value! },
      expected: null,
    }),
  ),
  {
    rule: 'a header named otherwise (trace-parent) is not read',
    clause: 'L1 §3.2.1 ("a single word without any delimiters")',
    headers: { 'trace-parent': TP, 'trace.parent': TP },
    expected: null,
  },
  {
    rule: 'an all-zero trace-id is invalid',
    clause: 'L1 §3.2.2.3 trace-id ("All bytes as zero ... invalid")',
    headers: { traceparent: `00-${'0'.repeat(32)}-${SID}-01` },
    expected: null,
  },
  {
    rule: 'an all-zero parent-id is invalid',
    clause: 'L1 §3.2.2.4 parent-id',
    headers: { traceparent: `00-${TID}-${'0'.repeat(16)}-01` },
    expected: null,
  },
  {
    rule: 'a trace-id of 33 characters is invalid',
    clause: 'L1 §3.2.2.2 (trace-id = 32HEXDIGLC)',
    headers: { traceparent: `00-${TID}3-${SID}-01` },
    expected: null,
  },
  {
    rule: 'a parent-id of 15 characters is invalid',
    clause: 'L1 §3.2.2.2 (parent-id = 16HEXDIGLC)',
    headers: { traceparent: `00-${TID}-${SID.slice(1)}-01` },
    expected: null,
  },
  {
    rule: 'non-hex trace-flags are invalid',
    clause: 'L1 §3.2.2.2 (trace-flags = 2HEXDIGLC)',
    headers: { traceparent: `00-${TID}-${SID}-.0` },
    expected: null,
  },
  {
    rule: 'flags other than sampled and random-trace-id are set to zero',
    clause:
      'L1 §3.2.2.5.2 Other Flags ("MUST set those to zero"); L2 §3.2.2.5.2 Random Trace ID Flag',
    headers: { traceparent: `00-${TID}-${SID}-ff` },
    expected: remote(null, 0x03),
    stockDiffers: true,
  },
  {
    rule: 'the Level 2 random-trace-id flag is kept',
    clause: 'L2 §3.2.2.5.2 Random Trace ID Flag',
    headers: { traceparent: `00-${TID}-${SID}-02` },
    expected: remote(null, 0x02),
  },
  {
    rule: 'spaces and tabs around the value are optional whitespace, not part of it',
    clause: 'RFC 7230 §3.2.3 (OWS) and §3.2.4 (field-value excludes it)',
    headers: { traceparent: `\t ${TP} \t` },
    expected: remote(),
    stockDiffers: true,
  },
  {
    rule: 'one leading space',
    clause: 'RFC 7230 §3.2.4',
    headers: { traceparent: ` ${TP}` },
    expected: remote(),
  },
  {
    rule: 'a newline is not optional whitespace',
    clause: 'RFC 7230 §3.2.3 (OWS = *( SP / HTAB ))',
    headers: { traceparent: `\n${TP}` },
    expected: null,
    stockDiffers: true,
  },
  {
    rule: 'whitespace inside the value is invalid',
    clause: 'L1 §3.2.2 (value = version "-" version-format)',
    headers: { traceparent: `00 -${TID}-${SID}-01` },
    expected: null,
  },
  {
    rule: 'two traceparent fields restart the trace',
    clause: 'L1 §3.2 (a single field) and RFC 7230 §3.2.2; §4.3 step 2',
    headers: { traceparent: [TP, `00-${TID.replace('4', '5')}-${SID}-01`] },
    expected: null,
    stockDiffers: true,
  },
  {
    rule: 'two traceparent fields joined by Node with ", " restart the trace',
    clause: 'L1 §3.2.2.2',
    headers: { traceparent: `${TP}, ${TP}` },
    expected: null,
  },
];

const TRACESTATE_ROWS: Row[] = [
  {
    rule: 'members are kept in order',
    clause: 'L1 §3.3.2 Examples of tracestate HTTP Headers',
    headers: { traceparent: TP, tracestate: 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE' },
    expected: remote('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE'),
  },
  {
    rule: 'the header name is matched in any case',
    clause: 'L1 §3.3.1 Header Name',
    headers: { traceparent: TP, TraceState: 'foo=1' },
    expected: remote('foo=1'),
  },
  {
    rule: 'a header named otherwise (trace-state) is not read',
    clause: 'L1 §3.3.1 Header Name',
    headers: { traceparent: TP, 'trace-state': 'foo=1', 'trace.state': 'foo=1' },
    expected: remote(),
  },
  {
    rule: 'repeated fields are combined in order',
    clause: 'L1 §3.3.1.1 ("MUST be combined into a single header according to RFC7230")',
    headers: { traceparent: TP, tracestate: ['foo=1,bar=2', 'rojo=1,congo=2', 'baz=3'] },
    expected: remote('foo=1,bar=2,rojo=1,congo=2,baz=3'),
  },
  {
    rule: 'spaces and tabs around members are ignored',
    clause: 'L1 §3.3.1.1 ("Spaces and horizontal tabs surrounding list-members are ignored")',
    headers: { traceparent: TP, tracestate: '\t foo=1 \t , \t bar=2,\t \tbaz=3 \t' },
    expected: remote('foo=1,bar=2,baz=3'),
  },
  {
    rule: 'an empty header is accepted (no tracestate)',
    clause: 'L1 §3.3.1.1 ("MUST accept empty tracestate headers")',
    headers: { traceparent: TP, tracestate: '' },
    expected: remote(),
  },
  {
    rule: 'empty and whitespace-only members are allowed',
    clause: 'L1 §3.3.1.1; §3.3.1.2 (list-member = (key "=" value) / OWS)',
    headers: { traceparent: TP, tracestate: ['', 'foo=1,,, \t ,bar=2', ' '] },
    expected: remote('foo=1,bar=2'),
  },
  {
    rule: 'every key and value character allowed is kept, leading spaces of a value too',
    clause: 'L1 §3.3.1.3.1 Key; §3.3.1.3.2 Value',
    headers: { traceparent: TP, tracestate: `${KEY_CHARS}=${VALUE_CHARS}` },
    expected: remote(`${KEY_CHARS}=${VALUE_CHARS}`),
  },
  {
    rule: 'a multi-tenant key with every allowed character',
    clause: 'L1 §3.3.1.3.1 (multi-tenant-key = tenant-id "@" system-id)',
    headers: { traceparent: TP, tracestate: `${KEY_CHARS}@a-z0-9_-*/=1` },
    expected: remote(`${KEY_CHARS}@a-z0-9_-*/=1`),
  },
  {
    rule: 'a simple key of 256 characters',
    clause: 'L1 §3.3.1.3.1 (simple-key = lcalpha 0*255(...))',
    headers: { traceparent: TP, tracestate: ['foo=1', `${'z'.repeat(256)}=1`] },
    expected: remote(`foo=1,${'z'.repeat(256)}=1`),
  },
  {
    rule: 'a simple key of 257 characters drops the whole header',
    clause: 'L1 §3.3.1.3.1; §4.3 step 3 ("MAY discard the entire header")',
    headers: { traceparent: TP, tracestate: ['foo=1', `${'z'.repeat(257)}=1`] },
    expected: remote(),
    stockDiffers: true,
  },
  {
    rule: 'a tenant-id of 241 and a system-id of 14 characters',
    clause: 'L1 §3.3.1.3.1 (tenant-id 0*240, system-id 0*13)',
    headers: { traceparent: TP, tracestate: ['foo=1', `${'t'.repeat(241)}@${'v'.repeat(14)}=1`] },
    expected: remote(`foo=1,${'t'.repeat(241)}@${'v'.repeat(14)}=1`),
  },
  {
    rule: 'a tenant-id of 242 characters drops the whole header',
    clause: 'L1 §3.3.1.3.1',
    headers: { traceparent: TP, tracestate: ['foo=1', `${'t'.repeat(242)}@v=1`] },
    expected: remote(),
    stockDiffers: true,
  },
  {
    rule: 'a system-id of 15 characters drops the whole header',
    clause: 'L1 §3.3.1.3.1',
    headers: { traceparent: TP, tracestate: ['foo=1', `t@${'v'.repeat(15)}=1`] },
    expected: remote(),
    stockDiffers: true,
  },
  {
    rule: 'a simple key starting with a digit is invalid (a tenant-id may)',
    clause: 'L1 §3.3.1.3.1 (simple-key starts with lcalpha)',
    headers: { traceparent: TP, tracestate: '1tenant@sys=1,1abc=1' },
    expected: remote(),
    stockDiffers: true,
  },
  {
    rule: 'a tenant-id starting with a digit',
    clause: 'L1 §3.3.1.3.1 (tenant-id = ( lcalpha / DIGIT ) ...)',
    headers: { traceparent: TP, tracestate: '1tenant@sys=1' },
    expected: remote('1tenant@sys=1'),
  },
  ...['foo@=1', '@foo=1', 'foo@@bar=1', 'foo@bar@baz=1', 'FOO=1', 'foo.bar=1', 'foo =1'].map(
    (bad): Row => ({
      rule: `an invalid key (${bad}) drops the whole header`,
      clause: 'L1 §3.3.1.3.1 Key; §4.3 step 3',
      headers: { traceparent: TP, tracestate: `${bad},bar=2` },
      expected: remote(),
      stockDiffers: true,
    }),
  ),
  {
    rule: 'a value of 256 characters',
    clause: 'L1 §3.3.1.3.2 (value = 0*255(chr) nblk-chr)',
    headers: { traceparent: TP, tracestate: `foo=${'v'.repeat(256)}` },
    expected: remote(`foo=${'v'.repeat(256)}`),
  },
  {
    rule: 'a value of 257 characters drops the whole header',
    clause: 'L1 §3.3.1.3.2',
    headers: { traceparent: TP, tracestate: `bar=1,foo=${'v'.repeat(257)}` },
    expected: remote(),
    stockDiffers: true,
  },
  ...['foo=bar=baz', 'foo=', 'foo=a\tb', 'foo=é', 'foo'].map(
    (bad): Row => ({
      rule: `an invalid member (${JSON.stringify(bad)}) drops the whole header`,
      clause: 'L1 §3.3.1.3.2 Value (printable ASCII but "," and "="); §3.3.1.2; §4.3 step 3',
      headers: { traceparent: TP, tracestate: `bar=1,${bad}` },
      expected: remote(),
      stockDiffers: true,
    }),
  ),
  {
    rule: 'leading spaces of a value are part of it, trailing ones are not',
    clause: 'L1 §3.3.1.3.2 (value ends with nblk-chr); §3.3.1.1 (OWS around members)',
    headers: { traceparent: TP, tracestate: 'foo=  1  ' },
    expected: remote('foo=  1'),
  },
  {
    rule: 'a repeated key drops the whole header',
    clause: 'L1 §3.3.1.4 Combined Header Value ("Only one entry per key is allowed")',
    headers: { traceparent: TP, tracestate: 'foo=1,foo=2' },
    expected: remote(),
    stockDiffers: true,
  },
  {
    rule: 'a key repeated across fields drops the whole header',
    clause: 'L1 §3.3.1.4; §3.3.1.1',
    headers: { traceparent: TP, tracestate: ['foo=1', 'foo=1'] },
    expected: remote(),
    stockDiffers: true,
  },
  {
    rule: '32 members are kept',
    clause: 'L1 §3.3.1.2 list ("a maximum of 32 list-members")',
    headers: { traceparent: TP, tracestate: members(32).join(',') },
    expected: remote(members(32).join(',')),
  },
  {
    rule: '33 members drop the whole header',
    clause: 'L1 §3.3.1.2; §4.3 step 3',
    headers: { traceparent: TP, tracestate: [members(30).join(','), members(3, 31).join(',')] },
    expected: remote(),
    stockDiffers: true,
  },
  {
    rule: 'over 512 characters, entries longer than 128 go first',
    clause:
      'L1 §3.3.1.5 tracestate Limits ("Entries larger than 128 characters ... removed first")',
    headers: {
      traceparent: TP,
      tracestate: [0, 1, 2, 3].map(sized).concat(big, [4, 5, 6, 7].map(sized)).join(','),
    },
    expected: remote([0, 1, 2, 3, 4, 5, 6, 7].map(sized).join(',')),
    stockDiffers: true,
  },
  {
    rule: 'over 512 characters with no large entry, entries go from the end',
    clause: 'L1 §3.3.1.5 ("Then entries SHOULD be removed starting from the end")',
    headers: {
      traceparent: TP,
      tracestate: Array.from({ length: 14 }, (_, i) => sized(i)).join(','),
    },
    expected: remote(Array.from({ length: 12 }, (_, i) => sized(i)).join(',')),
  },
  {
    rule: 'an invalid tracestate leaves the traceparent in use',
    clause: 'L1 §3.3 ("failure to parse tracestate MUST NOT affect the parsing of traceparent")',
    headers: { traceparent: `00-${TID}-${SID}-00`, tracestate: 'foo=1,foo=1' },
    expected: remote(null, 0),
    stockDiffers: true,
  },
  {
    rule: 'a tracestate without traceparent is discarded',
    clause: 'L1 §4.2 step 3 ("it is invalid and MUST be discarded")',
    headers: { tracestate: 'foo=1' },
    expected: null,
  },
  {
    rule: 'a tracestate next to an invalid traceparent is not read',
    clause: 'L1 §3.3 ("MUST NOT attempt to parse tracestate")',
    headers: { traceparent: `ff-${TID}-${SID}-01`, tracestate: 'foo=1' },
    expected: null,
  },
];

let tracing: TestTracing;
beforeAll(() => {
  tracing = createTestTracing();
});
afterAll(async () => {
  await tracing.shutdown();
});

const stock = new W3CTraceContextPropagator();

describe.each([
  ['traceparent', TRACEPARENT_ROWS],
  ['tracestate', TRACESTATE_ROWS],
])('%s, rule by rule', (_header, rows) => {
  it.each(rows.map((row) => [row.rule, row] as const))('%s', (_rule, row) => {
    const ours = summarize(propagation.extract(ROOT_CONTEXT, row.headers, headerGetter));
    expect(ours, row.clause).toEqual(row.expected);
    if (row.stockDiffers) expect(extractWith(stock, row.headers)).not.toEqual(row.expected);
    else expect(extractWith(stock, row.headers)).toEqual(row.expected);
  });
});

describe('what is injected on outgoing calls', () => {
  const setter: TextMapSetter<Record<string, string>> = {
    set: (carrier, key, value) => {
      carrier[key] = value;
    },
  };
  function injected(spanContext: SpanContext): Record<string, string> {
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpanContext(ROOT_CONTEXT, spanContext), headers, setter);
    return headers;
  }
  const base: SpanContext = { traceId: TID, spanId: SID, traceFlags: 1, isRemote: true };

  it('unknown flags are written as zero, so what we forward parses (L1 §3.2.2.5.2)', () => {
    const headers = injected({ ...base, traceFlags: 0xff });
    expect(headers.traceparent).toBe(`00-${TID}-${SID}-03`);
    // The stock propagator writes `0ff`: three characters, an invalid traceparent.
    const stockHeaders: Record<string, string> = {};
    stock.inject(
      trace.setSpanContext(ROOT_CONTEXT, { ...base, traceFlags: 0xff }),
      stockHeaders,
      setter,
    );
    expect(stockHeaders.traceparent).toBe(`00-${TID}-${SID}-0ff`);
    expect(extractWith(stock, { traceparent: headers.traceparent! })).toEqual(remote(null, 3));
    expect(summarize(propagation.extract(ROOT_CONTEXT, stockHeaders, headerGetter))).toBeNull();
  });

  it('an updated key moves to the left, the others keep their order (L1 §3.5, §3.1)', () => {
    const state = W3CTraceState.parse('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')!;
    const headers = injected({ ...base, traceState: state.set('congo', 'ucfJifl5GOE') });
    expect(headers.tracestate).toBe('congo=ucfJifl5GOE,rojo=00f067aa0ba902b7');
  });

  it('set ignores an invalid key or value, unset removes (L1 §3.3.1.3)', () => {
    const state = W3CTraceState.parse('rojo=1')!;
    expect(state.set('Congo', '1')).toBe(state);
    expect(state.set('congo', 'a,b')).toBe(state);
    expect(state.set('congo', '')).toBe(state);
    expect(state.set('congo', 'x'.repeat(257))).toBe(state);
    expect(state.set('congo', '2').unset('rojo').serialize()).toBe('congo=2');
    expect(state.unset('nobody')).toBe(state);
    expect(state.get('rojo')).toBe('1');
  });

  it('a 33rd key pushes the rightmost entry out (L1 §3.3.1.2, §3.3.1.5)', () => {
    const state = W3CTraceState.parse(members(32).join(','))!.set('new', '1');
    expect(state.size).toBe(32);
    expect(injected({ ...base, traceState: state }).tracestate).toBe(
      ['new=1', ...members(31)].join(','),
    );
  });

  it('past 512 characters, entries are truncated whole as §3.3.1.5 says', () => {
    const state = W3CTraceState.parse(Array.from({ length: 12 }, (_, i) => sized(i)).join(','))!;
    const grown = state.set('big', 'x'.repeat(200));
    // The new large entry is the only one over 128 characters: it is the one removed.
    expect(grown.serialize()).toBe(state.serialize());
    // 12 entries of 40 characters and 34 more: 526 characters, none large, so the last goes.
    const small = state.set('new', 'z'.repeat(30));
    expect(small.serialize()).toBe(
      [`new=${'z'.repeat(30)}`, ...Array.from({ length: 11 }, (_, i) => sized(i))].join(','),
    );
    expect(small.serialize().length).toBeLessThanOrEqual(512);
  });

  it('an empty tracestate is not sent (L1 §3.3.1.1 "SHOULD avoid sending them")', () => {
    expect(injected({ ...base, traceState: W3CTraceState.empty() })).toEqual({
      traceparent: TP,
    });
  });

  it('a foreign TraceState that serializes to an invalid list is not forwarded (L1 §3.3.1.4)', () => {
    const foreign: TraceState = {
      set: () => foreign,
      unset: () => foreign,
      get: () => undefined,
      serialize: () => 'foo=1,foo=2',
    };
    expect(injected({ ...base, traceState: foreign })).toEqual({ traceparent: TP });
  });

  it('upper-case ids (which the API accepts as valid) are written in lower case (L1 §3.2.2.3, §3.2.2.4)', () => {
    // A custom id generator or another library's context: `isSpanContextValid` ignores case, and
    // the stock propagator copies the ids as they are, into a traceparent no strict parser takes.
    const upper = { ...base, traceId: TID.toUpperCase(), spanId: SID.toUpperCase() };
    const headers = injected(upper);
    expect(headers.traceparent).toBe(`00-${TID}-${SID}-01`);
    expect(summarize(propagation.extract(ROOT_CONTEXT, headers, headerGetter))).toEqual(remote());
    const stockHeaders: Record<string, string> = {};
    stock.inject(trace.setSpanContext(ROOT_CONTEXT, upper), stockHeaders, setter);
    expect(stockHeaders.traceparent).toBe(`00-${TID.toUpperCase()}-${SID.toUpperCase()}-01`);
  });

  it('nothing is injected for an invalid span context or with tracing suppressed', () => {
    expect(injected({ ...base, traceId: '0'.repeat(32) })).toEqual({});
    const headers: Record<string, string> = {};
    const ctx = suppressTracing(trace.setSpanContext(ROOT_CONTEXT, base));
    propagation.inject(ctx, headers, setter);
    expect(headers).toEqual({});
  });

  it('forwarding a received context sends back what the spec allows: same ids, known flags', () => {
    const received = propagation.extract(
      ROOT_CONTEXT,
      { traceparent: `cc-${TID}-${SID}-ff-future`, tracestate: ' b=2 ,, a=1 ' },
      headerGetter,
    );
    const headers: Record<string, string> = {};
    context.with(received, () => propagation.inject(context.active(), headers, setter));
    // L1 §3.4 "Downgrade the version" to 00; unknown flags zero; OWS and empty members gone.
    expect(headers).toEqual({ traceparent: `00-${TID}-${SID}-03`, tracestate: 'b=2,a=1' });
  });

  it('a span started under a received random-trace-id context keeps the bit, sampled or not (L2 §3.2.2.5.2)', () => {
    // The flag is tied to the trace-id, which a child keeps. The SDK's Tracer sets a new span's
    // flags from the sampling decision alone; the tracers of setupTracing carry the bit on (see
    // random-trace-id.test.ts). Before, this forwarded 01 and 00.
    for (const [received, forwarded] of [
      ['03', '03'],
      ['02', '02'],
    ] as const) {
      const parent = propagation.extract(
        ROOT_CONTEXT,
        { traceparent: `00-${TID}-${SID}-${received}` },
        headerGetter,
      );
      const span = tracing.tracer().startSpan('child', {}, parent);
      const headers: Record<string, string> = {};
      propagation.inject(trace.setSpan(parent, span), headers, setter);
      span.end();
      expect(headers.traceparent).toBe(`00-${TID}-${span.spanContext().spanId}-${forwarded}`);
    }
  });
});

describe('hostile or odd carriers are ignored, never thrown on', () => {
  const odd: [string, unknown][] = [
    ['a number', 42],
    ['an object', { value: TP }],
    ['an array of numbers', [1, 2]],
    ['null', null],
    ['an empty array', []],
    ['a 1 MB value', `00-${'a'.repeat(1_000_000)}`],
  ];
  it.each(odd)('a traceparent that is %s gives the context back', (_what, value) => {
    const getter = { keys: () => ['traceparent'], get: () => value as string };
    expect(() => propagation.extract(ROOT_CONTEXT, {}, getter)).not.toThrow();
    expect(trace.getSpanContext(propagation.extract(ROOT_CONTEXT, {}, getter))).toBeUndefined();
  });

  it.each(odd)(
    'a tracestate or baggage that is %s is dropped, the traceparent kept',
    (_what, value) => {
      const getter = {
        keys: () => ['traceparent', 'tracestate', 'baggage'],
        get: (_c: unknown, key: string) => (key === 'traceparent' ? TP : (value as string)),
      };
      const extracted = propagation.extract(ROOT_CONTEXT, {}, getter);
      expect(summarize(extracted)).toEqual(remote());
      expect(propagation.getBaggage(extracted)).toBeUndefined();
    },
  );

  it('a tracestate over 32 768 characters is dropped unread (L1 §7.2 Denial of Service)', () => {
    const tracestate = `foo=1${','.repeat(32_768)}`;
    const extracted = propagation.extract(
      ROOT_CONTEXT,
      { traceparent: TP, tracestate },
      headerGetter,
    );
    expect(summarize(extracted)).toEqual(remote());
  });
});

describe('header names in any case, whatever the getter (L1 §3.2.1, §3.3.1)', () => {
  it('reads TraceParent / TRACESTATE / Baggage through the default, case-sensitive getter', () => {
    const carrier = { TraceParent: TP, TRACESTATE: 'foo=1', Baggage: 'k=v' };
    const extracted = propagation.extract(ROOT_CONTEXT, carrier);
    expect(summarize(extracted)).toEqual(remote('foo=1'));
    expect(propagation.getBaggage(extracted)?.getEntry('k')?.value).toBe('v');
    // The stock propagator asks only for the lowercase name.
    expect(summarize(stock.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter))).toBeNull();
  });
});

describe('W3CTraceState from JavaScript', () => {
  it('`new` (private in the types only) throws a TypeError naming parse and empty, not a broken list', () => {
    const Ctor = W3CTraceState as unknown as new (header: string) => W3CTraceState;
    expect(() => new Ctor('a=1')).toThrow(
      new TypeError(
        'W3CTraceState has no public constructor: use W3CTraceState.parse(header) or W3CTraceState.empty()',
      ),
    );
    expect(W3CTraceState.parse('a=1')!.set('b', '2').serialize()).toBe('b=2,a=1');
  });
});
