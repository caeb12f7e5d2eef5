// Exemplars over OTLP, end to end: real Express and Koa apps on port 0 with `setupTracing` (spans
// to memory) and `setupMetrics` exporting OTLP over HTTP (protobuf and JSON) to a real OTLP
// receiver on loopback (`@datum-telemetry/otlp-sink`). The request-duration histogram points the
// receiver decodes carry exemplars, each naming a server span the span exporter received, of the
// request the point's series counts, in a bucket that has requests. The stock exporter
// (`otlp.exporter: 'opentelemetry'`) drops them.
import type { Server } from 'node:http';
import type { SetupMetricsOptions } from '@datum-telemetry/metrics';
import { setupMetrics } from '@datum-telemetry/metrics';
import type { OtlpSink, SinkMetric } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { setupTracing } from '@datum-telemetry/tracing';
import { metrics } from '@opentelemetry/api';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import type { Flavor } from './apps.js';
import { buildApp, RESOURCE_BASE, RESOURCES } from './apps.js';
import { baseUrl, close, listen, serverSpans, waitFor } from './harness.js';

const VMS = `${RESOURCE_BASE}/default/virtualmachines`;
const REQUESTS: readonly (readonly [method: string, path: string])[] = [
  ['GET', VMS],
  ['GET', VMS],
  ['POST', VMS],
  ['GET', `${VMS}/vm-1`],
  ['GET', '/echo/hello'],
  ['GET', '/bad-request'],
];

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Started {
  readonly base: string;
  readonly spans: InMemorySpanExporter;
  /** Exports now; the metrics the receiver decoded from that export alone. */
  exportMetrics(): Promise<SinkMetric[]>;
}

async function start(flavor: Flavor, otlp: SetupMetricsOptions['otlp']): Promise<Started> {
  const sink: OtlpSink = await startOtlpSink();
  cleanup.push(() => sink.close());
  const tracing = setupTracing({
    service: 'compute',
    exporter: 'memory',
    instrumentFetch: false,
    instrumentHttp: false,
    env: {},
  });
  cleanup.push(() => tracing.shutdown());
  const handle = setupMetrics({
    service: 'compute',
    exporter: 'otlp',
    otlp: { endpoint: sink.endpoint, ...otlp },
    exportIntervalMillis: 3_600_000,
    env: {},
  });
  cleanup.push(async () => {
    await handle.shutdown();
    metrics.disable();
  });
  const { server } = buildApp(flavor, { service: 'compute', resources: RESOURCES, logger: false });
  cleanup.push(() => close(server as Server));
  await listen(server);
  return {
    base: baseUrl(server),
    spans: tracing.spanExporter as InMemorySpanExporter,
    async exportMetrics() {
      sink.clear();
      await handle.forceFlush();
      return sink.metrics();
    },
  };
}

async function sendAll(base: string): Promise<void> {
  for (const [method, path] of REQUESTS) {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
    });
    await response.arrayBuffer();
  }
}

/** Exports until the request counters (one per resource group) add up to every request sent. */
async function exportedAfterAll(started: Started): Promise<SinkMetric[]> {
  let last: SinkMetric[] = [];
  for (let attempt = 0; attempt < 200; attempt++) {
    last = await started.exportMetrics();
    const counted = last
      .filter((m) => m.name.endsWith('.requests.total'))
      .flatMap((m) => m.points)
      .reduce((sum, p) => sum + (p.value ?? 0), 0);
    if (counted >= REQUESTS.length) return last;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`the request counters never reached ${REQUESTS.length}`);
}

const durationMetrics = (exported: SinkMetric[]) =>
  exported.filter((m) => m.name.endsWith('.request.duration.seconds'));

const nanos = ([s, ns]: readonly [number, number]) => BigInt(s) * 1_000_000_000n + BigInt(ns);

describe.each([
  ['express5', 'http/protobuf'],
  ['koa3', 'http/json'],
  ['express4', 'http/json'],
  ['koa2', 'http/protobuf'],
] as const)('%s over %s', (flavor, protocol) => {
  it('the receiver’s request-duration points carry exemplars of the exported server spans', async () => {
    const started = await start(flavor, { protocol });
    await sendAll(started.base);
    const spans: ReadableSpan[] = await waitFor(() => {
      const found = serverSpans(started.spans);
      return found.length >= REQUESTS.length ? found : undefined;
    }, `${REQUESTS.length} server spans`);
    const exported = await exportedAfterAll(started);
    const histograms = durationMetrics(exported);
    expect(histograms.map((m) => m.name).sort()).toEqual([
      'compute.http.request.duration.seconds',
      'compute.vm.request.duration.seconds',
    ]);
    const bySpanId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    let checked = 0;
    for (const metric of histograms) {
      expect(metric.type).toBe('histogram');
      for (const point of metric.points) {
        // Every request is sampled: every point has exemplars, at most one per bucket.
        expect(point.exemplars?.length).toBeGreaterThan(0);
        const buckets = new Set<number>();
        for (const exemplar of point.exemplars!) {
          const span = bySpanId.get(exemplar.spanId!);
          expect(span, `exemplar ${exemplar.spanId} names no exported server span`).toBeDefined();
          expect(exemplar.traceId).toBe(span!.spanContext().traceId);
          expect(exemplar.traceId).toMatch(/^[0-9a-f]{32}$/);
          expect(exemplar.filteredAttributes).toEqual({});
          expect(span!.attributes['http.route']).toBe(point.attributes['http.route']);
          expect(span!.attributes['http.request.method']).toBe(
            point.attributes['http.request.method'],
          );
          expect(exemplar.timeUnixNano).toBeGreaterThanOrEqual(nanos(span!.startTime) - 1_000_000n);
          expect(exemplar.timeUnixNano).toBeLessThanOrEqual(point.timeUnixNano);
          const bounds = point.explicitBounds!;
          let bucket = bounds.findIndex((bound) => exemplar.value! <= bound);
          if (bucket === -1) bucket = bounds.length;
          expect(buckets.has(bucket)).toBe(false);
          buckets.add(bucket);
          expect(point.bucketCounts![bucket]).toBeGreaterThan(0);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(histograms.flatMap((m) => m.points).length);
    // The POST series has one request: its exemplar is that request's span.
    const [postSpan] = spans.filter((s) => s.attributes['http.request.method'] === 'POST');
    const post = histograms
      .find((m) => m.name === 'compute.vm.request.duration.seconds')!
      .points.find((p) => p.attributes['http.request.method'] === 'POST')!;
    expect(post.exemplars!.map((e) => [e.traceId, e.spanId])).toEqual([
      [postSpan!.spanContext().traceId, postSpan!.spanContext().spanId],
    ]);
    // The request counter carries one too, of value 1.
    for (const point of exported.find((m) => m.name === 'compute.vm.requests.total')!.points) {
      expect(point.exemplars).toHaveLength(1);
      expect(point.exemplars![0]!.value).toBe(1);
      expect(bySpanId.has(point.exemplars![0]!.spanId!)).toBe(true);
    }
  });
});

describe('the stock exporter', () => {
  it('otlp.exporter "opentelemetry" sends the same points without exemplars', async () => {
    const started = await start('express5', { exporter: 'opentelemetry' });
    await sendAll(started.base);
    const exported = await exportedAfterAll(started);
    const points = durationMetrics(exported).flatMap((m) => m.points);
    expect(points.length).toBeGreaterThan(0);
    expect(points.every((p) => p.exemplars === undefined)).toBe(true);
  });
});
