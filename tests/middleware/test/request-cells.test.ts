// The request cells against the SDK: the same requests, through a real Express or Koa app, recorded
// at once by the SDK instruments of one `setupMetrics` provider (the middleware's SDK path: an
// attributes object per request, hashed by the SDK) and by the cells of another (the path a
// `setupMetrics` provider gets), each exported by a real Prometheus scrape and a real OTLP export
// to a sink. The exported points must be the same: names, attributes, counts, sums, buckets,
// min/max, temporality, overflow series, and start times of the same kind.
//
// How both paths see the same durations: the global MeterProvider is a tee whose meters are the
// SDK provider's and whose request cells answer "not taken" (so the middleware makes SDK
// instruments, as for a user's own provider) while passing every request on to the cells provider.

import type { Server } from 'node:http';
import type {
  RequestCellStore,
  RequestMetricsRecorder,
} from '@datum-telemetry/config/request-cells';
import { REQUEST_CELLS, requestCellStoreOf } from '@datum-telemetry/config/request-cells';
import type { MetricsHandle, SetupMetricsOptions } from '@datum-telemetry/metrics';
import { setupMetrics } from '@datum-telemetry/metrics';
import type { OtlpSink, SinkMetric, SinkPoint } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import type { MeterProvider } from '@opentelemetry/api';
import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { Flavor } from './apps.js';
import { buildApp, RESOURCE_BASE, RESOURCES } from './apps.js';
import { baseUrl, close, listen, waitFor } from './harness.js';

const VMS = `${RESOURCE_BASE}/default/virtualmachines`;

/** Three rounds of requests, each followed by a collection on every reader. */
const ROUNDS: readonly (readonly [method: string, path: string])[][] = [
  [
    ['GET', VMS],
    ['POST', VMS],
    ['GET', `${VMS}/vm-1`],
    ['GET', '/echo/hello'],
    ['GET', '/echo/hello'],
    ['GET', '/bad-request'],
    ['GET', '/boom'],
    ['GET', '/nope'],
  ],
  [
    ['PUT', `${VMS}/vm-1`],
    ['DELETE', `${VMS}/vm-1`],
    ['GET', `${VMS}/vm-2`],
    ['GET', '/api/v1/users/7'],
    ['GET', '/chained/3'],
    ['GET', '/custom/x'],
    ['POST', '/nope'],
    ['DELETE', '/echo/x'],
    ['GET', '/echo/again'],
    ['GET', '/boom'],
    ['PATCH', '/bad-request'],
  ],
  [
    ['GET', '/echo/hello'],
    ['GET', '/nope'],
    ['GET', VMS],
    ['GET', '/regex/12'],
  ],
];

const REQUEST_METRIC = /^compute\.[a-z]+\.(requests\.total|request\.duration\.seconds)$/;
const REQUEST_SERIES = /^compute_[a-z]+_(requests_total|request_duration_seconds)/;

interface Path {
  readonly handle: MetricsHandle;
  readonly sink: OtlpSink;
}

async function startPath(options: SetupMetricsOptions): Promise<Path> {
  const sink = await startOtlpSink();
  const { otlp, ...rest } = options;
  const handle = setupMetrics({
    service: 'compute',
    exporter: 'otlp',
    otlp: { url: sink.urls.metrics, protocol: 'http/protobuf', ...otlp },
    prometheus: { port: 0 },
    exportIntervalMillis: 3_600_000,
    register: false,
    env: {},
    ...rest,
  });
  await handle.ready;
  return { handle, sink };
}

/**
 * The global provider of the comparison: meters of `sdk`'s provider; request cells that leave both
 * instruments to those meters and pass each request on to `cells`'s provider.
 */
function teeProvider(sdk: MetricsHandle, cells: MetricsHandle, counted: { records: number }) {
  const store = requestCellStoreOf(cells.meterProvider);
  if (store === undefined) throw new Error('setupMetrics gave a provider without request cells');
  const tee: RequestCellStore = {
    requestMetrics(spec) {
      const inner = store.requestMetrics(spec);
      if (inner?.counter !== true || inner.histogram !== true) {
        throw new Error(`the cells did not take ${spec.counter.name} and ${spec.histogram.name}`);
      }
      const recorder: RequestMetricsRecorder = {
        counter: false,
        histogram: false,
        exemplars: inner.exemplars === true,
        record(route, method, status, operation, seconds, spanContext) {
          counted.records++;
          inner.record(route, method, status, operation, seconds, spanContext);
        },
      };
      return recorder;
    },
  };
  const provider: MeterProvider & { [REQUEST_CELLS]: RequestCellStore } = {
    getMeter: (name, version, options) => sdk.meterProvider.getMeter(name, version, options),
    [REQUEST_CELLS]: tee,
  };
  return provider;
}

/** The request-metric lines of a Prometheus exposition, sorted. */
function requestLines(exposition: string): string[] {
  return exposition
    .split('\n')
    .filter((line) => {
      const name = line.startsWith('# ') ? line.split(' ')[2]! : line;
      return REQUEST_SERIES.test(name);
    })
    .sort();
}

type StartKind = 'previous collection' | 'first measurement';

interface ComparablePoint extends Omit<SinkPoint, 'startTimeUnixNano' | 'timeUnixNano'> {
  start: StartKind;
}

/**
 * The request metrics of one OTLP export, comparable across the two paths: points sorted by
 * attributes, and each start time told as what it is: the end of the reader's previous collection
 * (a delta point that follows one), or the time the series was first measured (then it lies between
 * the start of the run and the end of the point).
 */
function comparable(
  exported: readonly SinkMetric[],
  previousEnd: bigint | undefined,
  runStart: bigint,
) {
  return exported
    .filter((metric) => REQUEST_METRIC.test(metric.name))
    .map((metric) => ({
      name: metric.name,
      description: metric.description,
      unit: metric.unit,
      type: metric.type,
      monotonic: metric.monotonic,
      temporality: metric.temporality,
      scope: metric.scope,
      points: metric.points
        .map(({ startTimeUnixNano, timeUnixNano, ...point }): ComparablePoint => {
          let start: StartKind;
          if (startTimeUnixNano === previousEnd) start = 'previous collection';
          else {
            expect(startTimeUnixNano).toBeGreaterThanOrEqual(runStart);
            expect(startTimeUnixNano).toBeLessThanOrEqual(timeUnixNano);
            start = 'first measurement';
          }
          return { ...point, start };
        })
        .sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes))),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function exportEnd(exported: readonly SinkMetric[]): bigint | undefined {
  return exported.find((metric) => REQUEST_METRIC.test(metric.name))?.points[0]?.timeUnixNano;
}

const open: { servers: Server[]; paths: Path[] } = { servers: [], paths: [] };

afterEach(async () => {
  metrics.disable();
  for (const server of open.servers.splice(0)) await close(server);
  for (const { handle, sink } of open.paths.splice(0)) {
    await handle.shutdown();
    await sink.close();
  }
});

const CASES: readonly {
  readonly title: string;
  readonly flavor: Flavor;
  readonly options: SetupMetricsOptions;
}[] = [
  {
    title: 'cumulative OTLP, limit 6',
    flavor: 'express5',
    options: { otlp: { temporality: 'cumulative' }, cardinalityLimit: 6 },
  },
  {
    title: 'delta OTLP, limit 6',
    flavor: 'koa3',
    options: { otlp: { temporality: 'delta' }, cardinalityLimit: 6 },
  },
  {
    title: 'lowmemory OTLP, default limit',
    flavor: 'express4',
    options: { otlp: { temporality: 'lowmemory' } },
  },
  {
    title: 'delta OTLP, cardinalityLimits of one metric (a View shared by both readers)',
    flavor: 'koa2',
    options: {
      otlp: { temporality: 'delta' },
      cardinalityLimits: { 'compute.http.requests.total': 4 },
    },
  },
];

describe('request cells export what the SDK instruments export', () => {
  it.each(CASES)('$title ($flavor)', async ({ flavor, options }) => {
    const runStart = BigInt(Date.now()) * 1_000_000n;
    const sdk = await startPath(options);
    const cells = await startPath(options);
    open.paths.push(sdk, cells);
    const counted = { records: 0 };
    metrics.setGlobalMeterProvider(teeProvider(sdk.handle, cells.handle, counted));
    const { server } = buildApp(flavor, {
      service: 'compute',
      resources: RESOURCES,
      logger: false,
      traces: false,
    });
    open.servers.push(server);
    await listen(server);
    const base = baseUrl(server);

    let sent = 0;
    let previousEnd: { sdk?: bigint; cells?: bigint } = {};
    let overflowSeen = false;
    for (const round of ROUNDS) {
      for (const [method, path] of round) {
        const response = await fetch(`${base}${path}`, {
          method,
          ...(method === 'POST'
            ? { headers: { 'content-type': 'application/json' }, body: '{}' }
            : {}),
        });
        await response.arrayBuffer();
        sent++;
      }
      // Metrics are recorded when the response closes, a moment after the client has read it.
      await waitFor(() => (counted.records === sent ? true : undefined), 'every request recorded');

      const [sdkScrape, cellsScrape] = await Promise.all(
        [sdk, cells].map(async ({ handle }) => (await fetch(handle.prometheusUrl!)).text()),
      );
      expect(requestLines(cellsScrape)).toEqual(requestLines(sdkScrape));
      expect(requestLines(sdkScrape).length).toBeGreaterThan(0);
      overflowSeen ||= requestLines(cellsScrape).some((l) => l.includes('otel_metric_overflow'));

      for (const { handle, sink } of [sdk, cells]) {
        sink.clear();
        await handle.forceFlush();
        await sink.waitFor(() => sink.metrics().some((m) => REQUEST_METRIC.test(m.name)));
      }
      const sdkExport = sdk.sink.metrics();
      const cellsExport = cells.sink.metrics();
      const expected = comparable(sdkExport, previousEnd.sdk, runStart);
      expect(comparable(cellsExport, previousEnd.cells, runStart)).toEqual(expected);
      expect(expected.map((m) => m.name)).toContain('compute.vm.request.duration.seconds');
      previousEnd = { sdk: exportEnd(sdkExport), cells: exportEnd(cellsExport) };
    }
    // Every case but the default limit passes its limit: the overflow series was compared too.
    expect(overflowSeen).toBe(options.otlp?.temporality !== 'lowmemory');
  });
});
