// The metrics encoders on the SDK's own ResourceMetrics (compared with the stock transformer), on
// named exemplar cases (decoded with the official metrics.proto by protobufjs), and what each bad
// input gets.
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { JsonMetricsEncoder, ProtobufMetricsEncoder } from '../src/index.js';
import { decodeMetricsRequest, parseJson, stock } from './support/oracle.js';

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

async function sdkMetrics(temporality: AggregationTemporality): Promise<ResourceMetrics> {
  const reader = new CollectingReader({ aggregationTemporalitySelector: () => temporality });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'compute', 'process.pid': 1 }),
    readers: [reader],
    views: [
      {
        instrumentName: 'queue.wait',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ],
  });
  const meter = provider.getMeter('@datum-telemetry/metrics', '0.1.0', {
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  });
  const requests = meter.createCounter('http.server.requests', { valueType: ValueType.INT });
  requests.add(3, { 'http.route': '/vms/:id' });
  requests.add(1, { 'http.route': '/healthz' });
  meter.createUpDownCounter('db.connections').add(-2);
  meter.createGauge('cpu.load', { unit: '1' }).record(0.75, { core: 0 });
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: [0.005, 0.1, 1] },
  });
  for (const value of [0.001, 0.05, 0.5, 3]) duration.record(value, { 'http.route': '/vms/:id' });
  const wait = meter.createHistogram('queue.wait');
  for (const value of [0.5, 2, 8, 300, -1]) wait.record(value);
  meter
    .createObservableGauge('memory.heap', { valueType: ValueType.INT })
    .addCallback((result) => result.observe(1_000_000));
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  await provider.shutdown();
  return resourceMetrics;
}

describe.each([
  ['cumulative', AggregationTemporality.CUMULATIVE],
  ['delta', AggregationTemporality.DELTA],
] as const)('the SDK’s own metrics (%s)', (_name, temporality) => {
  it('every point kind is in the collection', async () => {
    const metrics = await sdkMetrics(temporality);
    const kinds = new Set(metrics.scopeMetrics[0]!.metrics.map((m) => m.dataPointType));
    expect(kinds).toEqual(
      new Set([
        DataPointType.SUM,
        DataPointType.GAUGE,
        DataPointType.HISTOGRAM,
        DataPointType.EXPONENTIAL_HISTOGRAM,
      ]),
    );
  });

  it('protobuf: the bytes of ProtobufMetricsSerializer', async () => {
    const metrics = await sdkMetrics(temporality);
    const ours = new ProtobufMetricsEncoder().encode(metrics);
    const theirs = stock.metricsProtobuf(metrics);
    expect(decodeMetricsRequest(ours)).toEqual(decodeMetricsRequest(theirs));
    expect(Buffer.compare(ours, Buffer.from(theirs))).toBe(0);
  });

  it('JSON: the bytes of JsonMetricsSerializer', async () => {
    const metrics = await sdkMetrics(temporality);
    const ours = new JsonMetricsEncoder().encode(metrics);
    const theirs = stock.metricsJson(metrics);
    expect(parseJson(ours)).toEqual(parseJson(theirs));
    expect(Buffer.compare(ours, Buffer.from(theirs))).toBe(0);
  });
});

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const resource = { attributes: { 'service.name': 'compute' } };
const scope = { name: '@datum-telemetry/http', version: '0.1.0' };
const time = [1_700_000_000, 5] as [number, number];
const exemplar = {
  value: 0.05,
  time: [1_700_000_000, 123_456_789] as [number, number],
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  filteredAttributes: { 'user.id': 'u-1' },
};

function histogramMetrics(exemplars: unknown, valueType = ValueType.DOUBLE) {
  return {
    resource,
    scopeMetrics: [
      {
        scope,
        metrics: [
          {
            descriptor: {
              name: 'http.server.request.duration',
              description: '',
              unit: 's',
              valueType,
            },
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPointType: DataPointType.HISTOGRAM,
            dataPoints: [
              {
                startTime: time,
                endTime: time,
                attributes: { 'http.route': '/vms/:id' },
                value: {
                  buckets: { boundaries: [0.1, 1], counts: [1, 0, 0] },
                  count: 1,
                  sum: 0.05,
                },
                exemplars,
              },
            ],
          },
        ],
      },
    ],
  };
}

function sumMetrics(exemplars: unknown, valueType: ValueType) {
  return {
    resource,
    scopeMetrics: [
      {
        scope,
        metrics: [
          {
            descriptor: { name: 'http.server.requests', description: '', unit: '', valueType },
            aggregationTemporality: AggregationTemporality.DELTA,
            dataPointType: DataPointType.SUM,
            isMonotonic: true,
            dataPoints: [{ startTime: time, endTime: time, attributes: {}, value: 7, exemplars }],
          },
        ],
      },
    ],
  };
}

interface DecodedPoint {
  readonly count?: unknown;
  readonly asDouble?: unknown;
  readonly exemplars?: Record<string, unknown>[];
}
type Decoded = {
  resourceMetrics: {
    scopeMetrics: { metrics: Record<string, { dataPoints: DecodedPoint[] }>[] }[];
  }[];
};
const firstPoint = (decoded: unknown, kind: string) =>
  (decoded as Decoded).resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]![kind]!.dataPoints[0]!;

const protobufPoint = (metrics: unknown, kind = 'histogram') =>
  firstPoint(decodeMetricsRequest(new ProtobufMetricsEncoder().encode(metrics as never)), kind);
const jsonPoint = (metrics: unknown, kind = 'histogram') =>
  firstPoint(parseJson(new JsonMetricsEncoder().encode(metrics as never)), kind);
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

describe('exemplars, decoded with the official metrics.proto', () => {
  it('a histogram point’s exemplar: time, as_double, span and trace ids, filtered attributes', () => {
    expect(protobufPoint(histogramMetrics([exemplar])).exemplars).toEqual([
      {
        timeUnixNano: '1700000000123456789',
        asDouble: 0.05,
        spanId: b64(SPAN_ID),
        traceId: b64(TRACE_ID),
        filteredAttributes: [{ key: 'user.id', value: { stringValue: 'u-1' } }],
      },
    ]);
    expect(jsonPoint(histogramMetrics([exemplar])).exemplars).toEqual([
      {
        filteredAttributes: [{ key: 'user.id', value: { stringValue: 'u-1' } }],
        timeUnixNano: '1700000000123456789',
        asDouble: 0.05,
        spanId: SPAN_ID,
        traceId: TRACE_ID,
      },
    ]);
  });

  it('an integer sum’s exemplar is as_int; a double sum’s as_double', () => {
    const intExemplar = { ...exemplar, value: 7, filteredAttributes: {} };
    expect(protobufPoint(sumMetrics([intExemplar], ValueType.INT), 'sum').exemplars).toEqual([
      {
        timeUnixNano: '1700000000123456789',
        asInt: '7',
        spanId: b64(SPAN_ID),
        traceId: b64(TRACE_ID),
      },
    ]);
    expect(protobufPoint(sumMetrics([intExemplar], ValueType.DOUBLE), 'sum').exemplars).toEqual([
      {
        timeUnixNano: '1700000000123456789',
        asDouble: 7,
        spanId: b64(SPAN_ID),
        traceId: b64(TRACE_ID),
      },
    ]);
    expect(jsonPoint(sumMetrics([intExemplar], ValueType.INT), 'sum').exemplars![0]!.asInt).toBe(7);
  });

  it('a point without exemplars has no exemplars field; the transformer writes none either', () => {
    const stockPoint = firstPoint(
      decodeMetricsRequest(stock.metricsProtobuf(histogramMetrics([exemplar]))),
      'histogram',
    );
    expect(stockPoint.exemplars).toBeUndefined();
    expect(protobufPoint(histogramMetrics(undefined)).exemplars).toBeUndefined();
    expect(jsonPoint(histogramMetrics(undefined)).exemplars).toBeUndefined();
  });
});

describe('bad input: what each gets', () => {
  const good = { ...exemplar, value: 0.5 };
  const cases: [string, unknown, 'dropped' | 'written'][] = [
    ['an invalid trace id', { ...exemplar, traceId: 'zz'.repeat(16) }, 'dropped'],
    ['an all-zero trace id', { ...exemplar, traceId: '0'.repeat(32) }, 'dropped'],
    ['a short span id', { ...exemplar, spanId: 'eee1' }, 'dropped'],
    ['a span id without its trace id', { ...exemplar, traceId: undefined }, 'dropped'],
    ['a NaN value', { ...exemplar, value: Number.NaN }, 'dropped'],
    ['an infinite value', { ...exemplar, value: Number.NEGATIVE_INFINITY }, 'dropped'],
    ['a value that is a string', { ...exemplar, value: '0.05' }, 'dropped'],
    ['no time', { ...exemplar, time: undefined }, 'dropped'],
    ['nanoseconds past a second', { ...exemplar, time: [1, 1e9] }, 'dropped'],
    ['null', null, 'dropped'],
    ['a number', 42, 'dropped'],
    [
      'no ids at all (recorded outside a span)',
      { ...exemplar, traceId: undefined, spanId: undefined },
      'written',
    ],
    ['no filtered attributes', { ...exemplar, filteredAttributes: undefined }, 'written'],
    [
      'filtered attributes that are not an object',
      { ...exemplar, filteredAttributes: 'x' },
      'written',
    ],
    [
      'upper-case ids',
      { ...exemplar, traceId: TRACE_ID.toUpperCase(), spanId: SPAN_ID.toUpperCase() },
      'written',
    ],
  ];

  it.each(cases)(
    '%s: the exemplar is %s, the point and the good exemplar beside it are kept',
    (_name, bad, outcome) => {
      const metrics = histogramMetrics([bad, good]);
      for (const point of [protobufPoint(metrics), jsonPoint(metrics)]) {
        expect(point.count).toBeDefined();
        const values = point.exemplars!.map((e) => e.asDouble);
        expect(values).toEqual(outcome === 'dropped' ? [0.5] : [0.05, 0.5]);
      }
    },
  );

  it('an upper-case id is written as its bytes, and lower-case in JSON', () => {
    const upper = { ...exemplar, traceId: TRACE_ID.toUpperCase(), spanId: SPAN_ID.toUpperCase() };
    expect(protobufPoint(histogramMetrics([upper])).exemplars![0]!.traceId).toBe(b64(TRACE_ID));
    expect(jsonPoint(histogramMetrics([upper])).exemplars![0]).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
    });
  });

  it('`exemplars` that is not an array is ignored: the point is written without', () => {
    for (const value of [null, 'exemplars', { 0: exemplar }, 7]) {
      expect(protobufPoint(histogramMetrics(value)).exemplars).toBeUndefined();
      expect(jsonPoint(histogramMetrics(value)).exemplars).toBeUndefined();
    }
  });

  it('a NaN point value is what the transformer writes: NaN in protobuf, null in JSON', () => {
    const metrics = sumMetrics(undefined, ValueType.DOUBLE);
    (metrics.scopeMetrics[0]!.metrics[0]!.dataPoints[0] as { value: number }).value = Number.NaN;
    const ours = new ProtobufMetricsEncoder().encode(metrics as never);
    expect(Buffer.compare(ours, Buffer.from(stock.metricsProtobuf(metrics)))).toBe(0);
    expect(Number.isNaN(protobufPoint(metrics, 'sum').asDouble)).toBe(true);
    expect(new JsonMetricsEncoder().encodeString(metrics as never)).toBe(
      Buffer.from(stock.metricsJson(metrics)).toString(),
    );
    expect(jsonPoint(metrics, 'sum').asDouble).toBeNull();
  });

  it('a point without attributes is written with none (protobuf: the transformer’s bytes)', () => {
    const metrics = sumMetrics(undefined, ValueType.INT);
    const point = metrics.scopeMetrics[0]!.metrics[0]!.dataPoints[0] as { attributes?: unknown };
    delete point.attributes;
    const ours = new ProtobufMetricsEncoder().encode(metrics as never);
    expect(Buffer.compare(ours, Buffer.from(stock.metricsProtobuf(metrics)))).toBe(0);
    expect((protobufPoint(metrics, 'sum') as { attributes?: unknown }).attributes).toBeUndefined();
    expect((jsonPoint(metrics, 'sum') as { attributes?: unknown }).attributes).toEqual([]);
  });

  it('a histogram point without its buckets throws a TypeError (which the exporter turns into FAILED)', () => {
    const metrics = histogramMetrics(undefined);
    const point = metrics.scopeMetrics[0]!.metrics[0]!.dataPoints[0] as { value: unknown };
    point.value = { count: 1 };
    expect(() => new ProtobufMetricsEncoder().encode(metrics as never)).toThrow(TypeError);
    expect(() => new JsonMetricsEncoder().encode(metrics as never)).toThrow(TypeError);
  });

  it('a metric of an unknown point type is written with its name only, as the transformer does', () => {
    const metrics = sumMetrics(undefined, ValueType.INT);
    (metrics.scopeMetrics[0]!.metrics[0] as { dataPointType: number }).dataPointType = 9;
    const ours = new ProtobufMetricsEncoder().encode(metrics as never);
    expect(Buffer.compare(ours, Buffer.from(stock.metricsProtobuf(metrics)))).toBe(0);
    expect(new JsonMetricsEncoder().encodeString(metrics as never)).toBe(
      Buffer.from(stock.metricsJson(metrics)).toString(),
    );
  });
});
