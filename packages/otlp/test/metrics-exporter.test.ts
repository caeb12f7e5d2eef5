// OtlpHttpMetricExporter as the SDK uses it: behind a PeriodicExportingMetricReader, with the SDK's
// real collections; what it sends is what the stock serializers write, plus the exemplars points
// carry; retries and partial successes as the other exporters; bad options fail fast.
import { ConfigError } from '@datum-telemetry/config';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  AggregationTemporality,
  InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OtlpHttpMetricExporter } from '../src/index.js';
import type { TestCollector } from './support/collector.js';
import { startCollector } from './support/collector.js';
import { captureDiag } from './support/diag.js';
import { decodeMetricsRequest, encodeMetricsResponse, stock } from './support/oracle.js';

let collector: TestCollector;
beforeEach(async () => {
  collector = await startCollector('/v1/metrics');
});
afterEach(async () => {
  await collector.close();
});

const resource = resourceFromAttributes({ 'service.name': 'compute' });

/** A provider whose reader exports through `exporter`; a histogram and a counter recorded. */
function provider(exporter: PushMetricExporter): MeterProvider {
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
  });
  const meter = meterProvider.getMeter('test');
  meter.createHistogram('http.server.request.duration', { unit: 's' }).record(0.2, { a: 1 });
  meter.createCounter('http.server.requests').add(2);
  return meterProvider;
}

describe.each(['protobuf', 'json'] as const)('OtlpHttpMetricExporter (%s)', (encoding) => {
  it('behind the SDK’s periodic reader: sends what the stock serializer writes', async () => {
    const exported: ResourceMetrics[] = [];
    const exporter = new OtlpHttpMetricExporter({ url: collector.url, encoding });
    const spy: PushMetricExporter = {
      export: (metrics, callback) => {
        exported.push(metrics);
        exporter.export(metrics, callback);
      },
      selectAggregationTemporality: (kind) => exporter.selectAggregationTemporality(kind),
      forceFlush: () => exporter.forceFlush(),
      shutdown: () => exporter.shutdown(),
    };
    const meterProvider = provider(spy);
    await meterProvider.forceFlush();
    await meterProvider.shutdown();
    // forceFlush exports, and shutdown once more.
    expect(exported.length).toBeGreaterThanOrEqual(1);
    expect(collector.requests).toHaveLength(exported.length);
    exported.forEach((metrics, i) => {
      const request = collector.requests[i]!;
      expect(request.url).toBe('/v1/metrics');
      expect(request.headers['content-type']).toBe(
        encoding === 'json' ? 'application/json' : 'application/x-protobuf',
      );
      const theirs =
        encoding === 'json' ? stock.metricsJson(metrics) : stock.metricsProtobuf(metrics);
      expect(Buffer.compare(request.body, Buffer.from(theirs))).toBe(0);
    });
  });

  it('exemplars on the points reach the collector', async () => {
    const exporter = new OtlpHttpMetricExporter({
      url: collector.url,
      encoding,
      compression: 'gzip',
    });
    const metrics = {
      resource,
      scopeMetrics: [
        {
          scope: { name: 'test' },
          metrics: [
            {
              descriptor: { name: 'h', description: '', unit: 's', valueType: 1 },
              aggregationTemporality: 1,
              dataPointType: 0 as const,
              dataPoints: [
                {
                  startTime: [1, 0] as [number, number],
                  endTime: [2, 0] as [number, number],
                  attributes: {},
                  value: { buckets: { boundaries: [1], counts: [1, 0] }, count: 1, sum: 0.2 },
                  exemplars: [
                    {
                      value: 0.2,
                      time: [1, 5] as [number, number],
                      traceId: '5b8efff798038103d269b633813fc60c',
                      spanId: 'eee19b7ec3c1b174',
                      filteredAttributes: {},
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const result = await new Promise<ExportResult>((resolve) => exporter.export(metrics, resolve));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const [request] = collector.requests;
    expect(request!.headers['content-encoding']).toBe('gzip');
    const decoded =
      encoding === 'json'
        ? JSON.parse(request!.body.toString())
        : decodeMetricsRequest(request!.body);
    const [exemplar] =
      decoded.resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].exemplars;
    expect(exemplar.timeUnixNano).toBe('1000000005');
    expect(exemplar.asDouble).toBe(0.2);
    await exporter.shutdown();
  });

  it('partial successes are reported in the stock exporter’s words', async () => {
    const logs = captureDiag();
    try {
      collector.script({
        status: 200,
        body:
          encoding === 'json'
            ? JSON.stringify({ partialSuccess: { rejectedDataPoints: '1' } })
            : encodeMetricsResponse({ partialSuccess: { rejectedDataPoints: 1 } }),
      });
      const meterProvider = provider(new OtlpHttpMetricExporter({ url: collector.url, encoding }));
      await meterProvider.forceFlush();
      await meterProvider.shutdown();
      expect(logs.warnings).toEqual([
        `Received Partial Success response: {"rejectedDataPoints":${encoding === 'json' ? '"1"' : '1'}}`,
      ]);
    } finally {
      logs.restore();
    }
  });

  it('retries a 503 and then succeeds', async () => {
    collector.script({ status: 503, headers: { 'Retry-After': '0' } });
    const exporter = new OtlpHttpMetricExporter({ url: collector.url, encoding });
    const metrics = { resource, scopeMetrics: [] };
    const result = await new Promise<ExportResult>((resolve) => exporter.export(metrics, resolve));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(collector.requests).toHaveLength(2);
    await exporter.shutdown();
  });
});

describe('a collection it cannot encode', () => {
  it('fails (FAILED with the error), sends nothing, and never throws; the next export goes out', async () => {
    const exporter = new OtlpHttpMetricExporter({ url: collector.url });
    const bad = {
      resource,
      scopeMetrics: [
        {
          scope: { name: 'test' },
          metrics: [
            {
              descriptor: { name: 'h', valueType: 1 },
              aggregationTemporality: 1,
              dataPointType: 0 as const,
              dataPoints: [
                { startTime: [1, 0], endTime: [2, 0], attributes: {}, value: undefined },
              ],
            },
          ],
        },
      ],
    };
    const result = await new Promise<ExportResult>((resolve) => {
      expect(() => exporter.export(bad as never, resolve)).not.toThrow();
    });
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toBeInstanceOf(TypeError);
    expect(collector.requests).toHaveLength(0);
    const next = await new Promise<ExportResult>((resolve) =>
      exporter.export({ resource, scopeMetrics: [] }, resolve),
    );
    expect(next.code).toBe(ExportResultCode.SUCCESS);
    expect(collector.requests).toHaveLength(1);
    await exporter.shutdown();
  });
});

describe('temporality', () => {
  const D = AggregationTemporality.DELTA;
  const C = AggregationTemporality.CUMULATIVE;
  // The stock exporter's selectors (exporter-metrics-otlp-http 0.301), instrument by instrument.
  const expected: Record<string, Record<InstrumentType, AggregationTemporality>> = {
    cumulative: {
      COUNTER: C,
      OBSERVABLE_COUNTER: C,
      GAUGE: C,
      HISTOGRAM: C,
      OBSERVABLE_GAUGE: C,
      UP_DOWN_COUNTER: C,
      OBSERVABLE_UP_DOWN_COUNTER: C,
    },
    delta: {
      COUNTER: D,
      OBSERVABLE_COUNTER: D,
      GAUGE: D,
      HISTOGRAM: D,
      OBSERVABLE_GAUGE: D,
      UP_DOWN_COUNTER: C,
      OBSERVABLE_UP_DOWN_COUNTER: C,
    },
    lowmemory: {
      COUNTER: D,
      OBSERVABLE_COUNTER: C,
      GAUGE: C,
      HISTOGRAM: D,
      OBSERVABLE_GAUGE: C,
      UP_DOWN_COUNTER: C,
      OBSERVABLE_UP_DOWN_COUNTER: C,
    },
  };

  it.each(['cumulative', 'delta', 'lowmemory'] as const)(
    '%s, per instrument kind',
    (temporality) => {
      const exporter = new OtlpHttpMetricExporter({ url: collector.url, temporality });
      for (const kind of Object.values(InstrumentType)) {
        expect([kind, exporter.selectAggregationTemporality(kind)]).toEqual([
          kind,
          expected[temporality]![kind],
        ]);
      }
    },
  );

  it('the default is cumulative', () => {
    const exporter = new OtlpHttpMetricExporter({ url: collector.url });
    expect(exporter.selectAggregationTemporality(InstrumentType.HISTOGRAM)).toBe(C);
  });

  it('a delta reader sends deltas: the second export has only what came after the first', async () => {
    const exporter = new OtlpHttpMetricExporter({ url: collector.url, temporality: 'delta' });
    const meterProvider = new MeterProvider({
      resource,
      readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
    });
    const counter = meterProvider.getMeter('test').createCounter('c');
    counter.add(5);
    await meterProvider.forceFlush();
    counter.add(2);
    await meterProvider.forceFlush();
    await meterProvider.shutdown();
    const sums = collector.requests.slice(0, 2).map((request) => {
      const decoded = decodeMetricsRequest(request.body) as never as {
        resourceMetrics: {
          scopeMetrics: {
            metrics: {
              sum: { aggregationTemporality: number; dataPoints: { asDouble: number }[] };
            }[];
          }[];
        }[];
      };
      const sum = decoded.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.sum;
      return [sum.aggregationTemporality, sum.dataPoints[0]!.asDouble];
    });
    expect(sums).toEqual([
      [1, 5],
      [1, 2],
    ]);
  });
});

describe('options', () => {
  it('is an SDK PushMetricExporter', () => {
    const exporter: PushMetricExporter = new OtlpHttpMetricExporter({ url: collector.url });
    return exporter.shutdown();
  });

  it.each([
    [
      { url: collector?.url ?? 'http://127.0.0.1:1/v1/metrics', temporality: 'weekly' },
      'temporality',
    ],
    [{ url: 'ftp://x/v1/metrics' }, 'url'],
    [{ url: 'http://127.0.0.1:1/v1/metrics', temporalty: 'delta' }, 'temporalty'],
    [null, ''],
  ])('a bad option throws a ConfigError naming it (%j)', (options, name) => {
    expect(() => new OtlpHttpMetricExporter(options as never)).toThrow(ConfigError);
    if (name) expect(() => new OtlpHttpMetricExporter(options as never)).toThrow(name);
  });
});
