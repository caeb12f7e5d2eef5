import { describe, expect, it } from 'vitest';
import { decodeOtlpRequest, OtlpDecodeError } from '../src/index.js';

const json = (value: unknown) => new Uint8Array(Buffer.from(JSON.stringify(value)));

function spansOf(request: unknown) {
  const decoded = decodeOtlpRequest('traces', 'json', json(request));
  if (decoded.signal !== 'traces') throw new Error('wrong signal');
  return decoded.spans;
}

function metricsOf(request: unknown) {
  const decoded = decodeOtlpRequest('metrics', 'json', json(request));
  if (decoded.signal !== 'metrics') throw new Error('wrong signal');
  return decoded.metrics;
}

const oneSpan = (span: Record<string, unknown>) => ({
  resourceSpans: [{ scopeSpans: [{ spans: [span] }] }],
});

function refusal(signal: 'traces' | 'metrics' | 'logs', body: Uint8Array): string {
  try {
    decodeOtlpRequest(signal, 'json', body);
  } catch (error) {
    expect(error).toBeInstanceOf(OtlpDecodeError);
    return (error as Error).message;
  }
  throw new Error('expected the body to be refused');
}

describe('the OTLP/JSON decoder on hand-made bodies', () => {
  it('lowercases hex ids and accepts 64-bit integers as strings or numbers', () => {
    const [span] = spansOf(
      oneSpan({
        traceId: '0AF7651916CD43DD8448EB211C80319C',
        spanId: 'B7AD6B7169203331',
        parentSpanId: '',
        startTimeUnixNano: '1700000000000000001',
        endTimeUnixNano: 1700000000,
        attributes: [
          { key: 'as.string', value: { intValue: '-9223372036854775808' } },
          { key: 'as.number', value: { intValue: 7 } },
          { key: 'inf', value: { doubleValue: 'Infinity' } },
          { key: 'bytes', value: { bytesValue: Buffer.from([1, 2, 255]).toString('base64') } },
          {
            key: 'list',
            value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }, {}] } },
          },
          {
            key: 'map',
            value: { kvlistValue: { values: [{ key: 'k', value: { doubleValue: 0.5 } }] } },
          },
          { key: 'null', value: null },
        ],
      }),
    );
    expect(span).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      startTimeUnixNano: 1700000000000000001n,
      endTimeUnixNano: 1700000000n,
    });
    expect(span!.parentSpanId).toBeUndefined();
    expect(span!.attributes).toEqual({
      'as.string': -9223372036854775808n,
      'as.number': 7,
      inf: Number.POSITIVE_INFINITY,
      bytes: new Uint8Array([1, 2, 255]),
      list: ['a', true, undefined],
      map: { k: 0.5 },
      null: undefined,
    });
  });

  it('accepts enum names and snake_case keys, as protobuf JSON parsers do', () => {
    const [span] = spansOf({
      resource_spans: [
        {
          scope_spans: [
            {
              scope: { name: 's', version: '' },
              spans: [
                {
                  trace_id: '0af7651916cd43dd8448eb211c80319c',
                  span_id: 'b7ad6b7169203331',
                  kind: 'SPAN_KIND_PRODUCER',
                  status: { code: 'STATUS_CODE_ERROR', message: 'no' },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(span).toMatchObject({ kind: 'PRODUCER', status: { code: 'ERROR', message: 'no' } });
    expect(span!.scope).toEqual({ name: 's' });
  });

  it('decodes summaries, exponential histograms, NaN and enum-name temporality', () => {
    const [summary, exp, sum] = metricsOf({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'rpc.latency',
                  summary: {
                    dataPoints: [
                      {
                        count: '3',
                        sum: 'NaN',
                        quantileValues: [{ quantile: 0.5, value: 2 }, { quantile: 1 }],
                      },
                    ],
                  },
                },
                {
                  name: 'exp',
                  exponentialHistogram: {
                    aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA',
                    dataPoints: [
                      {
                        count: 2,
                        scale: -1,
                        zeroCount: '1',
                        positive: { offset: -2, bucketCounts: ['1'] },
                      },
                    ],
                  },
                },
                {
                  name: 'ints',
                  sum: { isMonotonic: true, dataPoints: [{ asInt: '12' }, { asDouble: 0.25 }, {}] },
                },
              ],
            },
          ],
        },
      ],
    });
    expect(summary!.points[0]).toMatchObject({
      count: 3,
      sum: Number.NaN,
      quantiles: [
        { quantile: 0.5, value: 2 },
        { quantile: 1, value: 0 },
      ],
    });
    expect(exp).toMatchObject({
      temporality: 'DELTA',
      points: [{ count: 2, scale: -1, zeroCount: 1, positive: { offset: -2, bucketCounts: [1] } }],
    });
    expect(exp!.points[0]!.sum).toBeUndefined();
    expect(sum).toMatchObject({ monotonic: true, temporality: 'UNSPECIFIED' });
    expect(sum!.points.map((p) => p.value)).toEqual([12, 0.25, undefined]);
  });

  it('accepts severity names in logs', () => {
    const decoded = decodeOtlpRequest(
      'logs',
      'json',
      json({
        resourceLogs: [
          { scopeLogs: [{ logRecords: [{ severityNumber: 'SEVERITY_NUMBER_WARN' }] }] },
        ],
      }),
    );
    expect(decoded.signal === 'logs' && decoded.logs[0]!.severityNumber).toBe(13);
  });

  it('reads an empty object as an empty request', () => {
    expect(spansOf({})).toEqual([]);
  });

  it.each([
    ['text that is not JSON', Buffer.from('not json'), /not valid JSON/],
    ['an empty body', Buffer.alloc(0), /not valid JSON/],
    ['a JSON array', json([]), /\$: expected an object/],
    [
      'resourceSpans as an object',
      json({ resourceSpans: {} }),
      /^resourceSpans: expected an array/,
    ],
    [
      'a short trace id',
      json(oneSpan({ traceId: 'abc' })),
      /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.traceId: expected 32 hex characters/,
    ],
    [
      'a base64 span id',
      json(oneSpan({ spanId: 't61rcWkgMzE=' })),
      /spanId: expected 16 hex characters/,
    ],
    [
      'a fractional time',
      json(oneSpan({ startTimeUnixNano: 1.5 })),
      /startTimeUnixNano: expected an integer/,
    ],
    [
      'an unknown kind name',
      json(oneSpan({ kind: 'SERVER' })),
      /kind: expected an enum number or one of/,
    ],
    ['a numeric name', json(oneSpan({ name: 5 })), /name: expected a string/],
  ])('refuses %s with a message saying where', (_label, body, message) => {
    expect(refusal('traces', new Uint8Array(body))).toMatch(message);
  });
});
