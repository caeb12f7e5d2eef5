// Exemplars of the request metrics, end to end: real Express and Koa apps on port 0 with
// `setupTracing` (spans to memory) and `setupMetrics` (the console exporter behind its periodic
// reader, whose `console.dir` calls are captured as the objects it writes). Every exemplar must
// name a server span that the span exporter received, of the request the point counts; an
// unsampled request gives none, and so does the `always_off` filter.
import type { Server } from 'node:http';
import type { MetricExemplar, SetupMetricsOptions, WithExemplars } from '@datum-telemetry/metrics';
import { setupMetrics } from '@datum-telemetry/metrics';
import type { TracingOptions } from '@datum-telemetry/tracing';
import { setupTracing } from '@datum-telemetry/tracing';
import type { DiagLogger } from '@opentelemetry/api';
import { DiagLogLevel, diag, metrics } from '@opentelemetry/api';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import type { InMemorySpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Flavor } from './apps.js';
import { buildApp, FLAVORS, RESOURCE_BASE, RESOURCES } from './apps.js';
import { baseUrl, close, listen, serverSpans, waitFor } from './harness.js';

const VMS = `${RESOURCE_BASE}/default/virtualmachines`;

type Point = DataPoint<number | Histogram> & WithExemplars;

/** What the console exporter writes for one metric. */
interface Written {
  readonly descriptor: { readonly name: string };
  readonly dataPoints: Point[];
}

interface Started {
  readonly base: string;
  readonly spans: InMemorySpanExporter;
  /** Exports the metrics now; returns the request metrics' points by metric name. */
  exportMetrics(): Promise<Map<string, Point[]>>;
  /** The Prometheus reader's exposition in OpenMetrics. */
  scrapeOpenMetrics(): Promise<string>;
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function start(
  flavor: Flavor,
  options: {
    readonly metrics?: Partial<SetupMetricsOptions>;
    readonly tracing?: Partial<TracingOptions>;
    readonly middlewareTraces?: boolean;
  } = {},
): Promise<Started> {
  const tracing = setupTracing({
    service: 'compute',
    exporter: 'memory',
    instrumentFetch: false,
    instrumentHttp: false,
    env: {},
    ...options.tracing,
  });
  cleanup.push(() => tracing.shutdown());
  const written: Written[] = [];
  const dir = vi.spyOn(console, 'dir').mockImplementation((item: unknown) => {
    written.push(item as Written);
  });
  cleanup.push(() => dir.mockRestore());
  const handle = setupMetrics({
    service: 'compute',
    exporter: 'console',
    exportIntervalMillis: 3_600_000,
    // A Prometheus reader beside the console one, served through scrape() only.
    prometheus: { serve: false },
    env: {},
    ...options.metrics,
  });
  cleanup.push(async () => {
    await handle.shutdown();
    metrics.disable();
  });
  const { server } = buildApp(flavor, {
    service: 'compute',
    resources: RESOURCES,
    logger: false,
    ...(options.middlewareTraces === false ? { traces: false } : {}),
  });
  cleanup.push(() => close(server as Server));
  await listen(server);
  return {
    base: baseUrl(server),
    spans: tracing.spanExporter as InMemorySpanExporter,
    async exportMetrics() {
      written.length = 0;
      await handle.forceFlush();
      const byName = new Map<string, Point[]>();
      for (const metric of written) {
        if (/\.requests?\.(total|duration\.seconds)$/.test(metric.descriptor.name)) {
          byName.set(metric.descriptor.name, metric.dataPoints);
        }
      }
      return byName;
    },
    scrapeOpenMetrics: () => handle.scrape({ format: 'openmetrics' }),
  };
}

async function send(base: string, path: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(`${base}${path}`, init);
  await response.arrayBuffer();
  return response.status;
}

/** Waits until the exporter holds `count` server spans (spans end as the response closes). */
function serverSpansOf(spans: InMemorySpanExporter, count: number): Promise<ReadableSpan[]> {
  return waitFor(() => {
    const found = serverSpans(spans);
    return found.length >= count ? found : undefined;
  }, `${count} server spans`);
}

/** Waits until the counters add up to `count` requests (metrics are recorded as responses close). */
async function exportedAfter(started: Started, count: number): Promise<Map<string, Point[]>> {
  let last = new Map<string, Point[]>();
  for (let attempt = 0; attempt < 200; attempt++) {
    last = await started.exportMetrics();
    const counted = [...last]
      .filter(([name]) => name.endsWith('.requests.total'))
      .flatMap(([, points]) => points)
      .reduce((sum, p) => sum + (p.value as number), 0);
    if (counted >= count) return last;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`the request counters never reached ${count}`);
}

const exemplarsOf = (points: readonly Point[]): MetricExemplar[] =>
  points.flatMap((p) => p.exemplars ?? []);

const millis = ([s, ns]: readonly [number, number]) => s * 1000 + ns / 1e6;

/**
 * Every exemplar of every point names a server span the exporter received, whose request is the
 * one the point's series counts (route, method, status), and lies in a bucket of the point that
 * has requests, at most one per bucket; a counter point has one, of value 1. Returns the number
 * of exemplars checked.
 */
function expectExemplarsOfSpans(exported: Map<string, Point[]>, spans: readonly ReadableSpan[]) {
  const bySpanId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  let checked = 0;
  for (const [name, points] of exported) {
    for (const point of points) {
      const exemplars = point.exemplars ?? [];
      const buckets = new Set<number>();
      for (const exemplar of exemplars) {
        const span = bySpanId.get(exemplar.spanId);
        expect(span, `${name}: exemplar ${exemplar.spanId} names no exported span`).toBeDefined();
        expect(exemplar.traceId).toBe(span!.spanContext().traceId);
        expect(exemplar.filteredAttributes).toEqual({});
        expect(span!.attributes['http.route']).toBe(point.attributes['http.route']);
        expect(span!.attributes['http.request.method']).toBe(
          point.attributes['http.request.method'],
        );
        expect(span!.attributes['http.response.status_code']).toBe(
          point.attributes['http.response.status_code'],
        );
        expect(millis(exemplar.time)).toBeGreaterThanOrEqual(Math.floor(millis(span!.startTime)));
        expect(millis(exemplar.time)).toBeLessThanOrEqual(millis(point.endTime));
        if (typeof point.value === 'number') {
          expect(exemplars).toHaveLength(1);
          expect(exemplar.value).toBe(1);
        } else {
          const { boundaries, counts } = point.value.buckets;
          let bucket = boundaries.findIndex((bound) => exemplar.value <= bound);
          if (bucket === -1) bucket = boundaries.length;
          expect(buckets.has(bucket)).toBe(false);
          buckets.add(bucket);
          expect(counts[bucket]).toBeGreaterThan(0);
        }
        checked++;
      }
    }
  }
  return checked;
}

const REQUESTS: readonly (readonly [method: string, path: string])[] = [
  ['GET', VMS],
  ['GET', VMS],
  ['POST', VMS],
  ['GET', `${VMS}/vm-1`],
  ['GET', `${VMS}/vm-2`],
  ['GET', '/echo/hello'],
  ['GET', '/echo/again'],
  ['GET', '/bad-request'],
  ['GET', '/boom'],
];

async function sendAll(base: string): Promise<void> {
  for (const [method, path] of REQUESTS) {
    await send(base, path, {
      method,
      ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
    });
  }
}

describe.each(FLAVORS)('%s', (flavor) => {
  it("every series' points carry exemplars of the server spans the span exporter received", async () => {
    const started = await start(flavor);
    await sendAll(started.base);
    const spans = await serverSpansOf(started.spans, REQUESTS.length);
    const exported = await exportedAfter(started, REQUESTS.length);
    expect([...exported.keys()].sort()).toEqual([
      'compute.http.request.duration.seconds',
      'compute.http.requests.total',
      'compute.vm.request.duration.seconds',
      'compute.vm.requests.total',
    ]);
    // Every request is sampled: every point has exemplars, the counter's exactly one.
    for (const points of exported.values()) {
      for (const point of points) expect(point.exemplars?.length).toBeGreaterThan(0);
    }
    expect(expectExemplarsOfSpans(exported, spans)).toBeGreaterThanOrEqual(
      2 * exported.get('compute.vm.requests.total')!.length,
    );
    // The Prometheus reader shows them in OpenMetrics: on the request metrics' `_bucket` and
    // `_total` lines, each naming a server span of the line's route.
    const exposition = await started.scrapeOpenMetrics();
    const shown = exposition
      .split('\n')
      .filter((line) => /^compute_(http|vm)_request/.test(line) && line.includes(' # {'));
    expect(shown.length).toBeGreaterThanOrEqual(
      2 * exported.get('compute.vm.requests.total')!.length,
    );
    for (const line of shown) {
      const [, route, traceId, spanId] = line.match(
        /http_route="([^"]*)".* # \{trace_id="([0-9a-f]{32})",span_id="([0-9a-f]{16})"\}/,
      )!;
      const span = spans.find((s) => s.spanContext().spanId === spanId);
      expect(span?.spanContext().traceId).toBe(traceId);
      expect(span?.attributes['http.route']).toBe(route);
    }
    // A series of one request: its exemplar is that request's span.
    const post = exported
      .get('compute.vm.requests.total')!
      .find((p) => p.attributes['http.request.method'] === 'POST')!;
    const [postSpan] = spans.filter((s) => s.attributes['http.request.method'] === 'POST');
    expect(post.exemplars!.map((e) => e.spanId)).toEqual([postSpan!.spanContext().spanId]);
  });
});

describe('no exemplar without a sampled span', () => {
  it('a sampler that samples nothing (traceidratio 0) gives none; the requests are still counted', async () => {
    const started = await start('express5', {
      tracing: { sampler: { root: 'traceidratio', ratio: 0, parentBased: true } },
    });
    await sendAll(started.base);
    const exported = await exportedAfter(started, REQUESTS.length);
    expect(exemplarsOf([...exported.values()].flat())).toEqual([]);
    expect(serverSpans(started.spans)).toEqual([]);
  });

  it('parent-based: an unsampled traceparent gives none; a sampled one gives the server span of that trace', async () => {
    const started = await start('koa3', {
      tracing: { sampler: { root: 'always_on', ratio: 1, parentBased: true } },
    });
    const unsampledTrace = '1'.repeat(32);
    const sampledTrace = '2'.repeat(32);
    await send(started.base, `${VMS}/vm-1`, {
      headers: { traceparent: `00-${unsampledTrace}-${'3'.repeat(16)}-00` },
    });
    await send(started.base, `${VMS}/vm-2`, {
      headers: { traceparent: `00-${sampledTrace}-${'4'.repeat(16)}-01` },
    });
    const [span] = await serverSpansOf(started.spans, 1);
    const exported = await exportedAfter(started, 2);
    const exemplars = exemplarsOf([...exported.values()].flat());
    expect(exemplars.length).toBe(2);
    for (const exemplar of exemplars) {
      expect(exemplar.traceId).toBe(sampledTrace);
      expect(exemplar.spanId).toBe(span!.spanContext().spanId);
    }
    expect(span!.parentSpanContext?.spanId).toBe('4'.repeat(16));
    expect(serverSpans(started.spans)).toHaveLength(1);
  });

  it('with traces off in the middleware, the exemplar names the sampled caller span of the traceparent', async () => {
    const started = await start('express4', { middlewareTraces: false });
    const trace = '5'.repeat(32);
    const caller = '6'.repeat(16);
    await send(started.base, `${VMS}/vm-1`, {
      headers: { traceparent: `00-${trace}-${caller}-01` },
    });
    await send(started.base, `${VMS}/vm-1`, {
      headers: { traceparent: `00-${'7'.repeat(32)}-${'8'.repeat(16)}-00` },
    });
    await send(started.base, `${VMS}/vm-1`);
    const exported = await exportedAfter(started, 3);
    const exemplars = exemplarsOf([...exported.values()].flat());
    expect(exemplars.map((e) => [e.traceId, e.spanId])).toEqual([
      [trace, caller],
      [trace, caller],
    ]);
    expect(serverSpans(started.spans)).toEqual([]);
  });
});

describe('the exemplar filter', () => {
  it.each<[string, Partial<SetupMetricsOptions>]>([
    ['the option', { exemplarFilter: 'always_off' }],
    ['OTEL_METRICS_EXEMPLAR_FILTER', { env: { OTEL_METRICS_EXEMPLAR_FILTER: 'always_off' } }],
  ])('always_off through %s keeps none, though every span is sampled', async (_what, options) => {
    const started = await start('koa2', { metrics: options });
    await sendAll(started.base);
    await serverSpansOf(started.spans, REQUESTS.length);
    const exported = await exportedAfter(started, REQUESTS.length);
    expect(exemplarsOf([...exported.values()].flat())).toEqual([]);
  });

  it('always_on also keeps the requests of unsampled spans', async () => {
    const started = await start('express5', {
      metrics: { exemplarFilter: 'always_on' },
      tracing: { sampler: { root: 'traceidratio', ratio: 0, parentBased: true } },
    });
    await send(started.base, `${VMS}/vm-1`);
    const exported = await exportedAfter(started, 1);
    const exemplars = exemplarsOf([...exported.values()].flat());
    expect(exemplars).toHaveLength(2);
    expect(exemplars[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(exemplars[0]!.traceId).not.toBe('0'.repeat(32));
    expect(serverSpans(started.spans)).toEqual([]);
  });

  it('a bad OTEL_METRICS_EXEMPLAR_FILTER is reported through diag, and trace_based used', async () => {
    const warnings: string[] = [];
    const logger = {
      warn: (message: string) => warnings.push(message),
      error() {},
      info() {},
      debug() {},
      verbose() {},
    } as DiagLogger;
    diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    cleanup.push(() => diag.disable());
    const started = await start('koa3', {
      metrics: { env: { OTEL_METRICS_EXEMPLAR_FILTER: 'sometimes' } },
    });
    expect(warnings).toContainEqual(
      expect.stringMatching(
        /^@datum-telemetry: OTEL_METRICS_EXEMPLAR_FILTER: got "sometimes"; expected one of trace_based, always_on, always_off; ignored, using trace_based$/,
      ),
    );
    await send(started.base, `${VMS}/vm-1`);
    const spans = await serverSpansOf(started.spans, 1);
    const exported = await exportedAfter(started, 1);
    expect(expectExemplarsOfSpans(exported, spans)).toBe(2);
  });
});
