// Named edge cases, each compared with the stock transformer (bytes, decoded with the official
// .proto files, and JSON), and what bad input gets.
import { TraceState } from '@opentelemetry/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  JsonLogsEncoder,
  JsonTraceEncoder,
  ProtobufLogsEncoder,
  ProtobufTraceEncoder,
} from '../src/index.js';
import { decodeLogsRequest, decodeTraceRequest, parseJson, stock } from './support/oracle.js';
import { logRecords, serverSpans } from './support/spans.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const PARENT_ID = 'aaa19b7ec3c1b100';

const resource = { attributes: { 'service.name': 'compute', 'process.pid': 1 } };
const scope = { name: '@datum-telemetry/tracing', version: '0.1.0' };

type SpanLike = Record<string, unknown>;

function span(overrides: SpanLike = {}, context: SpanLike = {}): SpanLike {
  const spanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, ...context };
  return {
    name: 'GetVirtualMachine',
    kind: 1,
    spanContext: () => spanContext,
    parentSpanContext: undefined,
    startTime: [1_700_000_000, 123_456_789],
    endTime: [1_700_000_001, 5],
    status: { code: 0 },
    attributes: {},
    links: [],
    events: [],
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
    duration: [1, 0],
    ended: true,
    ...overrides,
  };
}

const SPAN_CASES: Record<string, SpanLike[]> = {
  'a root span': [span()],
  'a child of a local parent': [
    span({
      parentSpanContext: { traceId: TRACE_ID, spanId: PARENT_ID, traceFlags: 1, isRemote: false },
    }),
  ],
  'a child of a remote parent (the is-remote flag bits)': [
    span({
      parentSpanContext: { traceId: TRACE_ID, spanId: PARENT_ID, traceFlags: 1, isRemote: true },
    }),
  ],
  'trace state and unsampled flags': [
    span(
      {},
      { traceState: new TraceState('congo=t61rcWkgMzE,rojo=00f067aa0ba902b7'), traceFlags: 0 },
    ),
  ],
  'every span kind': [0, 1, 2, 3, 4].map((kind) => span({ kind })),
  'status error with a message, and an empty message': [
    span({ status: { code: 2, message: 'upstream failed' } }),
    span({ status: { code: 1, message: '' } }),
  ],
  'integers at the int64 edges and doubles': [
    span({
      attributes: {
        zero: 0,
        negZero: -0,
        neg: -1,
        u32: 4294967295,
        u32plus: 4294967296,
        safe: Number.MAX_SAFE_INTEGER,
        big: 2 ** 62,
        int64max: 2 ** 63,
        int64min: -(2 ** 63),
        double: 0.1,
        huge: 1e300,
      },
    }),
  ],
  'non-finite numbers (NaN and the infinities are doubles; JSON writes null)': [
    span({
      attributes: {
        nan: Number.NaN,
        inf: Number.POSITIVE_INFINITY,
        ninf: Number.NEGATIVE_INFINITY,
      },
    }),
  ],
  'arrays: empty, mixed, with null and holes': [
    span({
      attributes: {
        empty: [],
        mixed: ['a', 1, true, 1.5],
        nulls: [null, 'x', undefined],
        // A hole, made without a sparse literal.
        holes: Object.assign(new Array(3), { 0: 1, 2: 3 }),
      },
    }),
  ],
  'bytes and nested maps': [
    span({
      attributes: { bytes: new Uint8Array([0, 1, 255]), nested: { a: { b: [1, { c: 'd' }] } } },
    }),
  ],
  'unicode: non-ASCII, astral, lone surrogates (U+FFFD in protobuf, escaped in JSON)': [
    span({
      name: 'Créer 🚀',
      attributes: { ключ: 'значение', lone: '\ud800x\udfff', astral: '𝄞', 'k\udc00': 'v' },
      status: { code: 2, message: 'échec \ud83d' },
    }),
  ],
  'an empty key and an empty string': [span({ attributes: { '': '' } })],
  'what JSON escapes: quotes, backslashes, control characters (DEL is not escaped)': [
    span({
      name: 'say "hi"\\now',
      attributes: {
        'quote"key': 'a\tb\nc\rd\u0000e\u001ff\u007f',
        'back\\slash': '\\"\\',
        '\b\f': '</script>',
      },
      events: [{ time: [1_700_000_000, 1], name: 'line\u2028separator' }],
    }),
  ],
  'more attribute keys than the JSON writer keeps (1100), and a key of 300 characters': [
    span({
      attributes: Object.fromEntries(
        Array.from({ length: 1100 }, (_, i) => [`key.${i}`, i % 2 ? `value ${i}` : i]),
      ),
    }),
    span({ attributes: { ['k'.repeat(300)]: 'long key', 'key.1099': 'cached or not' } }),
  ],
  'strings around the one-byte length: 127 and 128 bytes, short strings of long UTF-8': [
    span({
      attributes: {
        ascii127: 'x'.repeat(127),
        ascii128: 'x'.repeat(128),
        e64: 'é'.repeat(63),
        e128: 'é'.repeat(64),
        euro: '€'.repeat(50),
        clef: '𝄞'.repeat(40),
        lone: '\ud800'.repeat(60),
      },
    }),
  ],
  'a string of 200 000 characters (a length of three varint bytes)': [
    span({ attributes: { big: 'x'.repeat(200_000), bigUnicode: 'é'.repeat(70_000) } }),
  ],
  'events with and without attributes, with dropped counts': [
    span({
      events: [
        {
          time: [1_700_000_000, 1],
          name: 'exception',
          attributes: { 'exception.message': 'boom' },
        },
        { time: [1_700_000_000, 2], name: 'no-attributes', droppedAttributesCount: 3 },
      ],
      droppedEventsCount: 7,
    }),
  ],
  'links with trace state, attributes and dropped counts': [
    span({
      links: [
        {
          context: {
            traceId: TRACE_ID,
            spanId: PARENT_ID,
            traceFlags: 1,
            isRemote: true,
            traceState: new TraceState('a=1'),
          },
          attributes: { reason: 'restart' },
          droppedAttributesCount: 2,
        },
        { context: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 } },
      ],
      droppedLinksCount: 4,
      droppedAttributesCount: 9,
    }),
  ],
  'times: zero, the last second of uint32, nanoseconds at 999999999': [
    span({ startTime: [0, 0], endTime: [4294967295, 999_999_999] }),
  ],
  'schema URLs on resource and scope, scope attributes and an empty version': [
    span({
      resource: { attributes: { a: 1 }, schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' },
      instrumentationScope: {
        name: 's',
        version: '',
        schemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
        attributes: { team: 'compute' },
        droppedAttributesCount: 1,
      },
    }),
  ],
  'several resources and scopes interleaved (grouped, first-seen order)': [
    span({ resource: { attributes: { r: 1 } } }),
    span(),
    span({ instrumentationScope: { name: 'other' } }),
    span(),
  ],
};

describe('spans: named edge cases against the stock transformer', () => {
  const protobuf = new ProtobufTraceEncoder();
  const json = new JsonTraceEncoder();
  it.each(Object.entries(SPAN_CASES))('%s', (_name, spans) => {
    const ours = protobuf.encode(spans as never);
    const theirs = stock.traceProtobuf(spans);
    expect(decodeTraceRequest(ours)).toEqual(decodeTraceRequest(theirs));
    expect(Buffer.compare(ours, Buffer.from(theirs))).toBe(0);
    const ourJson = json.encode(spans as never);
    const theirJson = stock.traceJson(spans);
    expect(parseJson(ourJson)).toEqual(parseJson(theirJson));
    expect(Buffer.compare(ourJson, Buffer.from(theirJson))).toBe(0);
  });

  it('real SDK spans, a 600-span batch (the buffer grows), then a small one in the same buffer', async () => {
    const many = await serverSpans(600);
    for (const batch of [many, many.slice(0, 2)]) {
      expect(Buffer.compare(protobuf.encode(batch), Buffer.from(stock.traceProtobuf(batch)))).toBe(
        0,
      );
      expect(parseJson(json.encode(batch))).toEqual(parseJson(stock.traceJson(batch)));
      expect(Buffer.compare(json.encode(batch), Buffer.from(stock.traceJson(batch)))).toBe(0);
    }
  });

  it('times are exact nanoseconds: fixed64 and the JSON string equal seconds × 1e9 + nanos', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 999_999_999 }),
        (seconds, nanos) => {
          const expected = (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)).toString();
          const one = [span({ startTime: [seconds, nanos] })];
          const decoded = decodeTraceRequest(protobuf.encode(one as never)) as {
            resourceSpans: { scopeSpans: { spans: { startTimeUnixNano: string }[] }[] }[];
          };
          // protobufjs leaves a zero fixed64 out of its object (defaults: false).
          expect(decoded.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.startTimeUnixNano ?? '0').toBe(
            expected,
          );
          const parsed = parseJson(json.encode(one as never)) as typeof decoded;
          expect(parsed.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.startTimeUnixNano).toBe(
            expected,
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a resource is encoded once per object, but again while its async attributes are pending', () => {
    const attributes: Record<string, string> = { 'service.name': 'a' };
    const pending = { attributes, asyncAttributesPending: true };
    const first = protobuf.encode([span({ resource: pending })] as never);
    attributes['service.name'] = 'b';
    const second = protobuf.encode([span({ resource: pending })] as never);
    expect(
      Buffer.compare(second, Buffer.from(stock.traceProtobuf([span({ resource: pending })]))),
    ).toBe(0);
    expect(Buffer.compare(first, second)).not.toBe(0);

    attributes['service.name'] = 'a';
    const firstJson = json.encode([span({ resource: pending })] as never);
    attributes['service.name'] = 'b';
    const secondJson = json.encode([span({ resource: pending })] as never);
    expect(
      Buffer.compare(secondJson, Buffer.from(stock.traceJson([span({ resource: pending })]))),
    ).toBe(0);
    expect(Buffer.compare(firstJson, secondJson)).not.toBe(0);
  });

  it('a resource is written once per object: a change to a settled resource’s attributes is not seen', () => {
    const attributes: Record<string, string> = { 'service.name': 'a' };
    const settled = { attributes };
    const encoder = new JsonTraceEncoder();
    const first = encoder.encode([span({ resource: settled })] as never);
    attributes['service.name'] = 'b';
    expect(Buffer.compare(encoder.encode([span({ resource: settled })] as never), first)).toBe(0);
  });
});

describe('spans: what bad input gets', () => {
  const protobuf = new ProtobufTraceEncoder();
  const json = new JsonTraceEncoder();
  it('ids that are not 32/16 hex digits: the same bytes as the stock transformer (which does not refuse them either)', () => {
    const spans = [
      span({}, { traceId: 'ABCDEF', spanId: 'xyz' }),
      span({}, { traceId: '', spanId: '0' }),
      span({ parentSpanContext: { traceId: TRACE_ID, spanId: 'not-hex!', traceFlags: 1 } }),
    ];
    expect(
      Buffer.compare(protobuf.encode(spans as never), Buffer.from(stock.traceProtobuf(spans))),
    ).toBe(0);
    expect(Buffer.compare(json.encode(spans as never), Buffer.from(stock.traceJson(spans)))).toBe(
      0,
    );
  });

  it('JSON: missing or mistyped fields are written as the stock JSON writes them (left out when undefined)', () => {
    const spans = [
      span({ name: undefined, status: {} }),
      span({ name: 42, status: { message: 'no code' }, kind: undefined }),
      span({
        events: [{ time: [1, 0], name: undefined, attributes: { k: undefined } }],
        links: [{ context: { traceFlags: 1 } }],
        droppedAttributesCount: undefined,
        droppedEventsCount: undefined,
        droppedLinksCount: undefined,
      }),
    ];
    expect(Buffer.compare(json.encode(spans as never), Buffer.from(stock.traceJson(spans)))).toBe(
      0,
    );
  });

  it('JSON: a span context without a trace id gets "traceId": null (the stock JSON leaves the key out)', () => {
    const spans = [span({}, { traceId: undefined })];
    const ours = parseJson(json.encode(spans as never)) as {
      resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
    };
    const theirs = parseJson(stock.traceJson(spans)) as typeof ours;
    const ourSpan = ours.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(ourSpan.traceId).toBeNull();
    const { traceId: _, ...rest } = ourSpan;
    expect(rest).toEqual(theirs.resourceSpans[0]!.scopeSpans[0]!.spans[0]);
  });

  it('a span the encoder cannot read (no spanContext()) throws from encode: the exporter turns it into FAILED (see exporter tests)', () => {
    expect(() => protobuf.encode([span({ spanContext: undefined })] as never)).toThrow(TypeError);
    expect(() => stock.traceProtobuf([span({ spanContext: undefined })])).toThrow(TypeError);
    expect(() => json.encode([span({ spanContext: undefined })] as never)).toThrow(TypeError);
  });
});

const log = (overrides: Record<string, unknown> = {}) => ({
  hrTime: [1_700_000_000, 1],
  hrTimeObserved: [1_700_000_000, 2],
  resource,
  instrumentationScope: { name: '@datum-telemetry/logging', version: '0.1.0' },
  attributes: {},
  droppedAttributesCount: 0,
  ...overrides,
});

const LOG_CASES: Record<string, unknown[]> = {
  'a body of each type': [
    'text',
    42,
    1.5,
    true,
    new Uint8Array([1, 2]),
    ['a', 1],
    { nested: { deep: [null] } },
    null,
    undefined,
    '',
  ].map((body) => log({ body })),
  'severity: unset, UNSPECIFIED (0), ERROR with text': [
    log(),
    log({ severityNumber: 0, severityText: '' }),
    log({ severityNumber: 17, severityText: 'ERROR' }),
  ],
  'trace context: sampled, unsampled (flags 0), none': [
    log({ spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 } }),
    log({ spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 } }),
    log({ spanContext: undefined }),
  ],
  'an event name': [log({ eventName: 'session.start' }), log({ eventName: '' })],
  'attributes of every type and a dropped count': [
    log({
      attributes: {
        s: 'x',
        n: 1,
        d: 0.5,
        b: false,
        a: [1, 2],
        m: { k: 'v' },
        y: new Uint8Array([9]),
      },
      droppedAttributesCount: 3,
    }),
  ],
};

describe('log records: named edge cases against the stock transformer', () => {
  const protobuf = new ProtobufLogsEncoder();
  const json = new JsonLogsEncoder();
  it.each(Object.entries(LOG_CASES))('%s', (_name, records) => {
    const ours = protobuf.encode(records as never);
    const theirs = stock.logsProtobuf(records);
    expect(decodeLogsRequest(ours)).toEqual(decodeLogsRequest(theirs));
    expect(Buffer.compare(ours, Buffer.from(theirs))).toBe(0);
    const ourJson = json.encode(records as never);
    const theirJson = stock.logsJson(records);
    expect(parseJson(ourJson)).toEqual(parseJson(theirJson));
    expect(Buffer.compare(ourJson, Buffer.from(theirJson))).toBe(0);
  });

  it('real sdk-logs records', async () => {
    const records = await logRecords(50);
    expect(Buffer.compare(protobuf.encode(records), Buffer.from(stock.logsProtobuf(records)))).toBe(
      0,
    );
    expect(parseJson(json.encode(records))).toEqual(parseJson(stock.logsJson(records)));
    expect(Buffer.compare(json.encode(records), Buffer.from(stock.logsJson(records)))).toBe(0);
  });
});

describe('JSON: two scope objects with the same name', () => {
  it('stay two ScopeSpans, as in protobuf (the stock JSON merges them and drops the second one’s attributes)', () => {
    const a = { name: 'same', version: '1', attributes: { team: 'a' } };
    const b = { name: 'same', version: '1', attributes: { team: 'b' } };
    const spans = [span({ instrumentationScope: a }), span({ instrumentationScope: b })];
    const ours = parseJson(new JsonTraceEncoder().encode(spans as never)) as {
      resourceSpans: { scopeSpans: { scope: { attributes: unknown[] } }[] }[];
    };
    expect(ours.resourceSpans[0]!.scopeSpans.map((s) => s.scope.attributes)).toEqual([
      [{ key: 'team', value: { stringValue: 'a' } }],
      [{ key: 'team', value: { stringValue: 'b' } }],
    ]);
    const theirs = parseJson(stock.traceJson(spans)) as typeof ours;
    expect(theirs.resourceSpans[0]!.scopeSpans).toHaveLength(1);
    // What our JSON says is what protobuf (ours and the stock one) says.
    expect(decodeTraceRequest(new ProtobufTraceEncoder().encode(spans as never))).toMatchObject({
      resourceSpans: [{ scopeSpans: [{ scope: { name: 'same' } }, { scope: { name: 'same' } }] }],
    });
  });
});
