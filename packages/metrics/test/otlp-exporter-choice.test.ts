// `otlp.exporter`: ours (`datum`, the default: `@datum-telemetry/otlp`) and the stock exporter
// (`opentelemetry`) deliver the same metrics to a real OTLP receiver over HTTP; the choice is
// checked like every option; ours asks the reader for the temporality the stock one does.
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '@datum-telemetry/config';
import { OtlpHttpMetricExporter } from '@datum-telemetry/otlp';
import type { OtlpSink, SinkMetric } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import {
  CumulativeTemporalitySelector,
  DeltaTemporalitySelector,
  LowMemoryTemporalitySelector,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { InstrumentType } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MetricsOtlpOptions, SetupMetricsOptions } from '../src/index.js';
import { setupMetrics } from '../src/index.js';

let sink: OtlpSink;
beforeAll(async () => {
  sink = await startOtlpSink();
});
afterAll(async () => {
  await sink.close();
});
beforeEach(() => sink.clear());

function options(otlp: MetricsOtlpOptions): SetupMetricsOptions {
  return { service: 'compute', exporter: 'otlp', env: {}, register: false, otlp };
}

/** What the receiver got from the first export (shutdown exports once more). */
async function recordSome(otlp: MetricsOtlpOptions): Promise<SinkMetric[]> {
  sink.clear();
  const handle = setupMetrics(options(otlp));
  const meter = handle.meter();
  meter.createCounter('compute.vm.requests.total').add(2, { code: '201' });
  meter.createHistogram('compute.vm.request.duration.seconds', { unit: 's' }).record(0.2);
  meter.createUpDownCounter('compute.vm.active').add(-3);
  meter.createGauge('compute.vm.cpu').record(0.5);
  await handle.ready;
  await handle.forceFlush();
  const received = sink.metrics();
  await handle.shutdown();
  return received;
}

/** Everything but the times of this run, in a fixed order. */
function comparable(metrics: SinkMetric[]) {
  return metrics
    .map((metric) => ({
      ...metric,
      points: metric.points.map(({ startTimeUnixNano, timeUnixNano, ...rest }) => ({
        ...rest,
        timed: timeUnixNano >= startTimeUnixNano && startTimeUnixNano > 0n,
      })),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe.each(['http/protobuf', 'http/json'] as const)('over %s', (protocol) => {
  it.each(['cumulative', 'delta'] as const)(
    'a real receiver gets the same metrics from ours (the default) as from the stock exporter (%s)',
    async (temporality) => {
      const ours = await recordSome({ endpoint: sink.endpoint, protocol, temporality });
      const theirs = await recordSome({
        endpoint: sink.endpoint,
        protocol,
        temporality,
        exporter: 'opentelemetry',
      });
      expect(ours.map((m) => m.name).sort()).toEqual([
        'compute.vm.active',
        'compute.vm.cpu',
        'compute.vm.request.duration.seconds',
        'compute.vm.requests.total',
      ]);
      expect(comparable(ours)).toEqual(comparable(theirs));
      expect(ours.find((m) => m.name === 'compute.vm.requests.total')?.temporality).toBe(
        temporality === 'delta' ? 'DELTA' : 'CUMULATIVE',
      );
    },
  );
});

describe('which exporter sends', () => {
  it('the default is ours, "opentelemetry" the stock one (told apart by their User-Agent)', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume().on('end', () => res.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      for (const exporter of [undefined, 'datum', 'opentelemetry'] as const) {
        for (const protocol of ['http/protobuf', 'http/json'] as const) {
          const handle = setupMetrics(options({ endpoint, exporter, protocol }));
          handle.meter().createCounter('c').add(1);
          await handle.forceFlush();
          await handle.shutdown();
        }
      }
    } finally {
      server.close();
    }
    // forceFlush exports, and shutdown may once more: one agent per setup.
    const agents = [
      ...new Set(seen.map((h) => `${h['content-type']} ${h['user-agent']?.split('/')[0]}`)),
    ];
    expect(agents.sort()).toEqual([
      'application/json OTel-OTLP-Exporter-JavaScript',
      'application/json datum-telemetry-otlp',
      'application/x-protobuf OTel-OTLP-Exporter-JavaScript',
      'application/x-protobuf datum-telemetry-otlp',
    ]);
    expect(seen.filter((h) => h['user-agent']?.startsWith('datum')).length).toBeGreaterThanOrEqual(
      4,
    );
  });

  it('otlp.exporter other than "datum" or "opentelemetry" is a ConfigError naming it', () => {
    expect(() => setupMetrics(options({ exporter: 'stock' as 'datum' }))).toThrow(ConfigError);
    expect(() => setupMetrics(options({ exporter: 'stock' as 'datum' }))).toThrow(
      /^otlp\.exporter: got "stock"; expected "datum" or "opentelemetry"/,
    );
  });

  it('"datum" with the protocol "grpc" is a ConfigError: ours speaks OTLP over HTTP only', () => {
    expect(() => setupMetrics(options({ exporter: 'datum', protocol: 'grpc' }))).toThrow(
      /^otlp\.exporter: got "datum", which sends OTLP over HTTP, with the protocol "grpc"/,
    );
  });
});

describe('temporality', () => {
  it.each([
    ['cumulative', CumulativeTemporalitySelector],
    ['delta', DeltaTemporalitySelector],
    ['lowmemory', LowMemoryTemporalitySelector],
  ] as const)(
    '%s: ours selects what the stock selector does, for every instrument kind',
    (temporality, stockSelector) => {
      const ours = new OtlpHttpMetricExporter({
        url: 'http://127.0.0.1:1/v1/metrics',
        temporality,
      });
      for (const kind of Object.values(InstrumentType)) {
        expect([kind, ours.selectAggregationTemporality(kind)]).toEqual([
          kind,
          stockSelector(kind),
        ]);
      }
    },
  );
});
