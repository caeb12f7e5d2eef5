import { ValueType } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, AggregationType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OtlpSink, SinkMetric } from '../src/index.js';
import { startOtlpSink } from '../src/index.js';
import type { ResourceMetrics } from './support.js';
import { exportWith, ManualReader } from './support.js';

// Real metrics, collected once by the SDK, then sent through each real exporter.
async function collectMetrics(): Promise<ResourceMetrics> {
  const reader = new ManualReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'compute' }),
    readers: [reader],
    views: [
      {
        instrumentName: 'compute.vm.boot.duration.seconds',
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ],
  });
  const meter = provider.getMeter('otlp-sink-test', '0.0.2');
  const requests = meter.createCounter('compute.vm.requests.total', {
    description: 'VM requests',
    valueType: ValueType.INT,
  });
  requests.add(3, { 'http.request.method': 'POST', operation: 'Create' });
  requests.add(2, { 'http.request.method': 'POST', operation: 'Create' });
  requests.add(1, { 'http.request.method': 'GET', operation: 'Get' });

  const inFlight = meter.createUpDownCounter('compute.vm.requests.active', {
    valueType: ValueType.INT,
  });
  inFlight.add(5);
  inFlight.add(-2);

  const cpu = meter.createGauge('compute.vm.cpu.usage.percent', { unit: '%' });
  cpu.record(12.5, { vm: 'a' });

  const duration = meter.createHistogram('compute.vm.request.duration.seconds', {
    unit: 's',
    advice: { explicitBucketBoundaries: [0.1, 1, 10] },
  });
  for (const value of [0.05, 0.5, 0.7, 5, 50]) duration.record(value, { operation: 'Create' });

  const boot = meter.createHistogram('compute.vm.boot.duration.seconds', { unit: 's' });
  for (const value of [1, 2, 4]) boot.record(value);

  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  await provider.shutdown();
  return resourceMetrics;
}

const exporters = {
  protobuf: (url: string, compression?: 'gzip') =>
    new ProtoMetricExporter({ url, compression: compression as never }),
  json: (url: string, compression?: 'gzip') =>
    new JsonMetricExporter({ url, compression: compression as never }),
};

let sink: OtlpSink;
let collected: ResourceMetrics;

beforeAll(async () => {
  sink = await startOtlpSink();
  collected = await collectMetrics();
});
afterAll(() => sink.close());
beforeEach(() => sink.clear());

function metric(name: string): SinkMetric {
  const found = sink.metrics().find((m) => m.name === name);
  if (!found) throw new Error(`no metric ${name} in ${sink.metrics().map((m) => m.name)}`);
  return found;
}

const scope = { name: 'otlp-sink-test', version: '0.0.2' };
const anyTime = expect.any(BigInt);

describe.each([
  ['protobuf', undefined],
  ['json', undefined],
  ['protobuf', 'gzip'],
  ['json', 'gzip'],
] as const)('metrics from the real %s exporter (compression: %s)', (encoding, compression) => {
  it('decodes counters, up-down counters, gauges and histograms point by point', async () => {
    const exporter = exporters[encoding](sink.urls.metrics, compression);
    expect((await exportWith(exporter, collected)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();

    expect(sink.requests()).toEqual([
      { signal: 'metrics', encoding, gzip: compression === 'gzip', status: 200 },
    ]);

    const counter = metric('compute.vm.requests.total');
    expect(counter).toEqual({
      name: 'compute.vm.requests.total',
      description: 'VM requests',
      unit: '',
      type: 'sum',
      monotonic: true,
      temporality: 'CUMULATIVE',
      points: expect.any(Array),
      resource: expect.objectContaining({ 'service.name': 'compute' }),
      scope,
    });
    expect(counter.points).toHaveLength(2);
    expect(counter.points).toContainEqual({
      attributes: { 'http.request.method': 'POST', operation: 'Create' },
      startTimeUnixNano: anyTime,
      timeUnixNano: anyTime,
      value: 5,
    });
    expect(counter.points).toContainEqual({
      attributes: { 'http.request.method': 'GET', operation: 'Get' },
      startTimeUnixNano: anyTime,
      timeUnixNano: anyTime,
      value: 1,
    });
    expect(counter.points[0]!.timeUnixNano).toBeGreaterThan(0n);

    const upDown = metric('compute.vm.requests.active');
    expect(upDown.type).toBe('sum');
    expect(upDown.monotonic).toBe(false);
    expect(upDown.points.map((p) => p.value)).toEqual([3]);

    const gauge = metric('compute.vm.cpu.usage.percent');
    expect(gauge.type).toBe('gauge');
    expect(gauge.unit).toBe('%');
    expect(gauge.temporality).toBeUndefined();
    expect(gauge.monotonic).toBeUndefined();
    expect(gauge.points).toEqual([
      { attributes: { vm: 'a' }, startTimeUnixNano: anyTime, timeUnixNano: anyTime, value: 12.5 },
    ]);

    const histogram = metric('compute.vm.request.duration.seconds');
    expect(histogram.type).toBe('histogram');
    expect(histogram.unit).toBe('s');
    expect(histogram.temporality).toBe('CUMULATIVE');
    expect(histogram.points).toEqual([
      {
        attributes: { operation: 'Create' },
        startTimeUnixNano: anyTime,
        timeUnixNano: anyTime,
        count: 5,
        sum: 0.05 + 0.5 + 0.7 + 5 + 50,
        min: 0.05,
        max: 50,
        explicitBounds: [0.1, 1, 10],
        bucketCounts: [1, 2, 1, 1],
      },
    ]);

    const exponential = metric('compute.vm.boot.duration.seconds');
    expect(exponential.type).toBe('exponentialHistogram');
    expect(exponential.temporality).toBe('CUMULATIVE');
    const [point] = exponential.points;
    expect(point).toMatchObject({ count: 3, sum: 7, min: 1, max: 4, zeroCount: 0 });
    expect(point!.scale).toEqual(expect.any(Number));
    expect(point!.positive!.bucketCounts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(point!.negative).toEqual({ offset: 0, bucketCounts: [] });
  });
});

it('keeps delta temporality as sent', async () => {
  const exporter = new ProtoMetricExporter({
    url: sink.urls.metrics,
    temporalityPreference: AggregationTemporality.DELTA,
  });
  const reader = new ManualReader({
    aggregationTemporalitySelector: () => AggregationTemporality.DELTA,
  });
  const provider = new MeterProvider({ readers: [reader] });
  provider.getMeter('delta').createCounter('compute.vm.deletes.total').add(4);
  const { resourceMetrics } = await reader.collect();
  expect((await exportWith(exporter, resourceMetrics)).code).toBe(ExportResultCode.SUCCESS);
  await Promise.all([exporter.shutdown(), provider.shutdown()]);
  expect(metric('compute.vm.deletes.total')).toMatchObject({
    type: 'sum',
    monotonic: true,
    temporality: 'DELTA',
    points: [{ value: 4 }],
  });
});

it('decodes the same metrics to equal objects whatever the encoding', async () => {
  const results = [];
  for (const encoding of ['protobuf', 'json'] as const) {
    sink.clear();
    const exporter = exporters[encoding](sink.urls.metrics);
    expect((await exportWith(exporter, collected)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    results.push(sink.metrics());
  }
  expect(results[1]).toEqual(results[0]);
});
