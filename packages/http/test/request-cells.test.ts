// The middleware with a meter provider whose request cells misbehave: it reports through diag and
// records through SDK instruments, and the request goes on.
import type { RequestCellStore, RequestMetricsSpec } from '@datum-telemetry/config/request-cells';
import { REQUEST_CELLS } from '@datum-telemetry/config/request-cells';
import type { DiagLogger } from '@opentelemetry/api';
import { DiagLogLevel, diag, metrics } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, expect, it } from 'vitest';
import type { RequestInfo } from '../src/index.js';
import { createHttpTelemetry } from '../src/index.js';

class Reader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

afterEach(() => {
  metrics.disable();
  diag.disable();
});

function request(path: string): RequestInfo {
  return {
    method: 'GET',
    path,
    query: undefined,
    headers: {},
    scheme: 'http',
    serverAddress: '127.0.0.1',
    serverPort: 80,
    clientAddress: '127.0.0.1',
    httpVersion: '1.1',
  };
}

async function run(store: RequestCellStore) {
  const errors: unknown[][] = [];
  const logger = { error: (...args: unknown[]) => errors.push(args) } as unknown as DiagLogger;
  diag.setLogger(
    { ...logger, warn() {}, info() {}, debug() {}, verbose() {} } as DiagLogger,
    DiagLogLevel.ERROR,
  );
  const reader = new Reader();
  const provider = Object.assign(new MeterProvider({ readers: [reader] }), {
    [REQUEST_CELLS]: store,
  });
  metrics.setGlobalMeterProvider(provider);
  const core = createHttpTelemetry({ service: 'compute', logger: false, traces: false });
  for (let i = 0; i < 3; i++) core.start(request('/x'))?.end({ statusCode: 200, route: '/x' });
  const { resourceMetrics } = await reader.collect();
  const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
  const count = all.find((m) => m.descriptor.name === 'compute.http.requests.total')?.dataPoints[0]
    ?.value;
  const histogram = all.find((m) => m.descriptor.name === 'compute.http.request.duration.seconds')
    ?.dataPoints[0]?.value as Histogram | undefined;
  await provider.shutdown();
  return { errors, count, histogramCount: histogram?.count };
}

it('records through SDK instruments when the cells throw, and says so once', async () => {
  const { errors, count, histogramCount } = await run({
    requestMetrics() {
      throw new Error('broken store');
    },
  });
  expect(count).toBe(3);
  expect(histogramCount).toBe(3);
  expect(errors).toHaveLength(1);
  expect(String(errors[0]![0])).toContain('request cells threw');
});

it('records through SDK instruments when the cells decline', async () => {
  const { errors, count, histogramCount } = await run({ requestMetrics: () => undefined });
  expect([count, histogramCount, errors]).toEqual([3, 3, []]);
});

it('records the instruments the cells leave, and hands them the rest', async () => {
  const seen: unknown[][] = [];
  let spec: RequestMetricsSpec | undefined;
  const { count, histogramCount } = await run({
    requestMetrics(given) {
      spec = given;
      return {
        counter: true,
        histogram: false,
        record: (...args) => {
          seen.push(args);
        },
      };
    },
  });
  expect(count).toBeUndefined();
  expect(histogramCount).toBe(3);
  expect(seen).toHaveLength(3);
  expect(seen[0]!.slice(0, 4)).toEqual(['/x', 'GET', 200, undefined]);
  expect(spec).toMatchObject({
    scope: { name: '@datum-telemetry/http' },
    counter: { name: 'compute.http.requests.total', unit: '{request}' },
    histogram: { name: 'compute.http.request.duration.seconds', unit: 's' },
  });
});

it('a recorder that throws costs the request its metrics only', async () => {
  const { errors } = await run({
    requestMetrics: () => ({
      counter: true,
      histogram: true,
      record() {
        throw new Error('broken recorder');
      },
    }),
  });
  expect(errors).toHaveLength(3);
  expect(String(errors[0]![0])).toContain('metrics threw');
});

it.each([
  ['a store that predates exemplars (no `exemplars`)', undefined, true],
  ['a recorder whose filter is always_off', false, true],
  ['a recorder that keeps exemplars', true, true],
  ['a recorder that keeps exemplars and leaves both instruments to the SDK', true, false],
  ['a recorder that leaves both instruments to the SDK and keeps no exemplars', false, false],
] as const)(
  'the span context of the request goes to %s only if it wants it',
  async (_what, exemplars, takes) => {
    const spanContexts: unknown[] = [];
    await run({
      requestMetrics: () => ({
        counter: takes,
        histogram: takes,
        ...(exemplars === undefined ? {} : { exemplars }),
        record: (...args: unknown[]) => {
          spanContexts.push(args[5]);
        },
      }),
    });
    expect(spanContexts).toHaveLength(3);
    for (const spanContext of spanContexts) {
      if (exemplars === true) {
        expect(spanContext).toMatchObject({
          traceId: expect.any(String),
          spanId: expect.any(String),
        });
      } else {
        expect(spanContext).toBeUndefined();
      }
    }
  },
);
