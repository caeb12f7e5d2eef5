// A real Prometheus (Debian's `prometheus`, installed here when missing, as CI does) with exemplar
// storage scrapes an Express app on loopback: `@datum-telemetry/express` traces and measures its
// requests into `setupMetrics`, whose `/metrics` it scrapes in OpenMetrics; the app's own
// reconcile metrics carry an exemplar of the request's server span (recorded in the route, as the
// request cells will), written by the public `PrometheusSerializer` after `negotiateExposition`.
// Prometheus must store and return, from `/api/v1/query_exemplars`, the trace and span ids of the
// server spans the tracer exported.

import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { telemetry } from '@datum-telemetry/express';
import type { MetricsHandle } from '@datum-telemetry/metrics';
import {
  negotiateExposition,
  OPENMETRICS_CONTENT_TYPE,
  PrometheusSerializer,
  setupMetrics,
} from '@datum-telemetry/metrics';
import type { Attributes } from '@opentelemetry/api';
import { context, metrics, propagation, TraceFlags, trace, ValueType } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { DataPoint, Histogram, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseUrl, close, listen, serverSpans, waitFor } from './harness.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function which(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** Prometheus, installed like CI does when missing; `undefined` (skip) only without apt. */
function ensurePrometheus(): string | undefined {
  if (which('prometheus')) return undefined;
  if (!which('apt-get')) {
    return 'prometheus is not installed and there is no apt-get to install it; the exemplar scrape test is skipped';
  }
  execFileSync('bash', [join(root, 'scripts/install-system-deps.sh'), 'prometheus'], {
    stdio: 'inherit',
    timeout: 300_000,
  });
  return undefined;
}

const skipReason = ensurePrometheus();
if (skipReason !== undefined) console.warn(`openmetrics-prometheus.test.ts: ${skipReason}`);

const BOUNDARIES = [0.005, 0.1, 1];

/** The exemplar shape of `@datum-telemetry/metrics`'s data points (src/exemplars/types.ts). */
interface Exemplar {
  value: number;
  time: [number, number];
  traceId: string;
  spanId: string;
  filteredAttributes: Attributes;
}

type WithExemplars<T> = DataPoint<T> & { exemplars: Exemplar[] };

/**
 * The app's own reconcile metrics, cumulative: a histogram keeping the latest exemplar of each
 * bucket and a counter keeping the latest one, taken from the active span when it is sampled.
 */
class ReconcileMetrics {
  readonly counts = new Array<number>(BOUNDARIES.length + 1).fill(0);
  sum = 0;
  readonly exemplars = new Map<number, Exemplar>();
  latest: Exemplar | undefined;
  private readonly start: [number, number] = [Math.floor(Date.now() / 1000), 0];

  record(seconds: number, filteredAttributes: Attributes): void {
    let bucket = BOUNDARIES.findIndex((bound) => seconds <= bound);
    if (bucket < 0) bucket = BOUNDARIES.length;
    this.counts[bucket]! += 1;
    this.sum += seconds;
    const span = trace.getActiveSpan()?.spanContext();
    if (span === undefined || (span.traceFlags & TraceFlags.SAMPLED) === 0) return;
    const now = Date.now();
    const exemplar: Exemplar = {
      value: seconds,
      time: [Math.floor(now / 1000), (now % 1000) * 1_000_000],
      traceId: span.traceId,
      spanId: span.spanId,
      filteredAttributes,
    };
    this.exemplars.set(bucket, exemplar);
    this.latest = { ...exemplar, value: 1 };
  }

  collect(): ResourceMetrics {
    const now: [number, number] = [Math.floor(Date.now() / 1000), 0];
    const count = this.counts.reduce((a, b) => a + b, 0);
    const duration: WithExemplars<Histogram> = {
      attributes: {},
      startTime: this.start,
      endTime: now,
      value: {
        buckets: { boundaries: BOUNDARIES, counts: [...this.counts] },
        count,
        sum: this.sum,
      },
      exemplars: [...this.exemplars.values()],
    };
    const reconciles: WithExemplars<number> = {
      attributes: {},
      startTime: this.start,
      endTime: now,
      value: count,
      exemplars: this.latest === undefined ? [] : [this.latest],
    };
    return {
      resource: resourceFromAttributes({ 'service.name': 'compute' }),
      scopeMetrics: [
        {
          scope: { name: 'compute' },
          metrics: [
            {
              descriptor: {
                name: 'compute.vm.reconcile.duration.seconds',
                description: 'How long a reconcile took',
                unit: 's',
                valueType: ValueType.DOUBLE,
              },
              aggregationTemporality: AggregationTemporality.CUMULATIVE,
              dataPointType: DataPointType.HISTOGRAM,
              dataPoints: [duration],
            },
            {
              descriptor: {
                name: 'compute.vm.reconciles.total',
                description: 'Reconciles',
                unit: '{reconcile}',
                valueType: ValueType.INT,
              },
              aggregationTemporality: AggregationTemporality.CUMULATIVE,
              dataPointType: DataPointType.SUM,
              isMonotonic: true,
              dataPoints: [reconciles],
            },
          ],
        },
      ],
    };
  }
}

interface QueriedExemplar {
  labels: Record<string, string>;
  value: string;
  timestamp: number;
}
interface ExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: QueriedExemplar[];
}

let app: Server;
let handle: MetricsHandle;
let spans: InMemorySpanExporter;
let prometheus: ChildProcess | undefined;
let promUrl: string;
let dir: string;
const reconcile = new ReconcileMetrics();
/** What each scrape of the app asked for and got. */
const scrapes: { path: string; accept: string; contentType: string }[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await listen(server);
  const { port } = server.address() as AddressInfo;
  await close(server);
  return port;
}

async function prometheusApi<T>(path: string): Promise<T> {
  const body = (await (await fetch(`${promUrl}${path}`)).json()) as { status: string; data: T };
  expect(body.status).toBe('success');
  return body.data;
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`Prometheus never returned ${what}: ${JSON.stringify(value)}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function exemplarsOf(metric: string): Promise<ExemplarSeries[]> {
  const end = Date.now() / 1000 + 60;
  return prometheusApi<ExemplarSeries[]>(
    `/api/v1/query_exemplars?query=${encodeURIComponent(metric)}&start=${end - 3600}&end=${end}`,
  );
}

describe.skipIf(skipReason !== undefined)('a real Prometheus with exemplar storage', () => {
  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    spans = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(
      new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }),
    );
    handle = setupMetrics({ service: 'compute', prometheus: { serve: false }, env: {} });

    const serializer = new PrometheusSerializer({ withTargetInfo: true, withScopeLabels: false });
    const web = express();
    web.use((req, res, next) => {
      if (req.path.endsWith('metrics')) {
        res.on('finish', () =>
          scrapes.push({
            path: req.path,
            accept: req.headers.accept ?? '',
            contentType: String(res.getHeader('content-type')),
          }),
        );
      }
      next();
    });
    web.use(telemetry({ service: 'compute', logger: false }));
    web.get('/metrics', handle.metricsHandler);
    web.get('/reconcile-metrics', (req, res) => {
      const { format, contentType } = negotiateExposition(req.headers.accept);
      res.type(contentType).send(serializer.serialize(reconcile.collect(), format));
    });
    web.post('/vms/:id/reconcile', (req, res) => {
      const seconds = Number(req.query.seconds);
      const notes: Record<string, string> = {
        'vm-4': 'a "quoted" \\ back,slash',
        'vm-3': 'a } brace',
      };
      const note = notes[req.params.id];
      reconcile.record(seconds, note === undefined ? {} : { note });
      res.status(202).json({ reconciled: req.params.id });
    });
    app = await listen(createServer(web));
  }, 360_000);

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    if (app) await close(app);
    await handle?.shutdown();
    if (dir) rmSync(dir, { recursive: true, force: true });
    metrics.disable();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('stores the exemplars of our OpenMetrics exposition: the server spans of the requests', async () => {
    // One reconcile per bucket, then a later one in the first bucket, which replaces its exemplar.
    const requests: [id: string, seconds: number][] = [
      ['vm-1', 0.003],
      ['vm-2', 0.05],
      ['vm-3', 0.4],
      ['vm-4', 2.5],
      ['vm-5', 0.001],
    ];
    for (const [id, seconds] of requests) {
      const response = await fetch(`${baseUrl(app)}/vms/${id}/reconcile?seconds=${seconds}`, {
        method: 'POST',
      });
      expect(response.status).toBe(202);
    }
    const server = await waitFor(() => {
      const found = serverSpans(spans).filter((s) => s.name.includes('reconcile'));
      return found.length === requests.length ? found : undefined;
    }, 'the server spans of the reconcile requests');
    const spanOf = (id: string) => {
      const span = server.find((s) => s.attributes['url.path'] === `/vms/${id}/reconcile`);
      if (span === undefined) throw new Error(`no server span for ${id}`);
      return span.spanContext();
    };

    dir = mkdtempSync(join(tmpdir(), 'datum-exemplars-'));
    const target = `['127.0.0.1:${(app.address() as AddressInfo).port}']`;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: app',
        `    static_configs: [{ targets: ${target} }]`,
        '  - job_name: reconcile',
        '    metrics_path: /reconcile-metrics',
        `    static_configs: [{ targets: ${target} }]`,
      ].join('\n'),
    );
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--enable-feature=exemplar-storage',
      ],
      { stdio: 'ignore' },
    );
    await until(
      () =>
        fetch(`${promUrl}/-/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      (ready) => ready,
      'ready on /-/ready',
    );

    const buckets = await until(
      () => exemplarsOf('compute_vm_reconcile_duration_seconds_bucket'),
      (series) => series.length === 4,
      'an exemplar on each of the 4 buckets',
    );
    const byLe = new Map(
      buckets.map((s) => [s.seriesLabels.le, s.exemplars[s.exemplars.length - 1]!]),
    );
    const expected: [le: string, id: string, value: string][] = [
      ['0.005', 'vm-5', '0.001'],
      ['0.1', 'vm-2', '0.05'],
      ['1', 'vm-3', '0.4'],
      ['+Inf', 'vm-4', '2.5'],
    ];
    for (const [le, id, value] of expected) {
      const exemplar = byLe.get(le);
      expect(exemplar, `le=${le}`).toBeDefined();
      const span = spanOf(id);
      expect(exemplar!.labels.trace_id, `le=${le}`).toBe(span.traceId);
      expect(exemplar!.labels.span_id, `le=${le}`).toBe(span.spanId);
      expect(exemplar!.value).toBe(value);
    }
    // A filtered attribute with quotes, a backslash and a comma comes through Prometheus's own
    // parser. Debian's Prometheus (2.42) keeps an exemplar label value as written, escapes
    // included (it unescapes series labels only); the strict Python parser reads the plain value
    // (openmetrics-bad-input). One with a `}` is left off the exemplar (python's parser would
    // reject the exposition); the exemplar itself stays.
    const note = byLe.get('+Inf')!.labels.note!;
    expect(note.replace(/\\(["\\])/g, '$1')).toBe('a "quoted" \\ back,slash');
    expect(byLe.get('1')!.labels).toEqual({
      trace_id: spanOf('vm-3').traceId,
      span_id: spanOf('vm-3').spanId,
    });
    // Every exemplar Prometheus holds points at a server span the tracer exported.
    const traceIds = new Set(server.map((s) => s.spanContext().traceId));
    for (const series of buckets) {
      for (const exemplar of series.exemplars) expect(traceIds).toContain(exemplar.labels.trace_id);
    }

    const counter = await until(
      () => exemplarsOf('compute_vm_reconciles_total'),
      (series) => series.length === 1,
      'the counter exemplar',
    );
    const last = counter[0]!.exemplars[counter[0]!.exemplars.length - 1]!;
    expect(last.labels.trace_id).toBe(spanOf('vm-5').traceId);
    expect(last.value).toBe('1');

    // The middleware's request metrics came through setupMetrics's endpoint, also in OpenMetrics.
    const requestsTotal = await until(
      () =>
        prometheusApi<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
          `/api/v1/query?query=${encodeURIComponent('compute_http_requests_total{http_route="/vms/:id/reconcile"}')}`,
        ),
      (data) => data.result.length === 1,
      'the request counter of the middleware',
    );
    expect(requestsTotal.result[0]!.value[1]).toBe(String(requests.length));
    for (const path of ['/metrics', '/reconcile-metrics']) {
      const scraped = scrapes.filter((s) => s.path === path);
      expect(scraped.length, path).toBeGreaterThan(0);
      for (const s of scraped) {
        expect(s.accept).toContain('application/openmetrics-text');
        expect(s.contentType).toBe(OPENMETRICS_CONTENT_TYPE);
      }
    }
  }, 120_000);
});
