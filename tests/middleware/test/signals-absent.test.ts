// With no provider registered, the middleware is a pass-through; with only a meter provider, it
// records metrics and nothing else, and never complains about the missing signals.
import { DiagLogLevel, diag, metrics, trace } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, FLAVORS, RESOURCES } from './apps.js';
import { baseUrl, close, listen } from './harness.js';

// Express prints unhandled errors with console.error; the tests assert on them elsewhere.
vi.spyOn(console, 'error').mockImplementation(() => undefined);

class OnDemandReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

const complaints: string[] = [];
diag.setLogger(
  {
    error: (m) => complaints.push(`error ${m}`),
    warn: (m) => complaints.push(`warn ${m}`),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  },
  DiagLogLevel.WARN,
);

const PATHS = [
  '/chained/1',
  '/apis/compute.datumapis.com/v1alpha1/namespaces/a/virtualmachines/b',
  '/boom',
  '/no/such',
];

describe.each(FLAVORS)('%s', (flavor) => {
  const instrumented = buildApp(flavor, {
    service: 'compute',
    resources: [...RESOURCES],
    logger: false,
  });
  const bare = buildApp(flavor);
  beforeAll(async () => {
    await listen(instrumented.server);
    await listen(bare.server);
  });
  afterAll(async () => {
    await close(instrumented.server);
    await close(bare.server);
  });

  it('nothing registered: same responses, no span recorded, no complaint', async () => {
    expect(trace.getTracerProvider().getTracer('x').startSpan('probe').isRecording()).toBe(false);
    for (const path of PATHS) {
      const a = await fetch(`${baseUrl(instrumented.server)}${path}`);
      const b = await fetch(`${baseUrl(bare.server)}${path}`);
      expect([a.status, await a.text()]).toEqual([b.status, await b.text()]);
    }
    expect(complaints).toEqual([]);
  });
});

describe('only metrics registered', () => {
  const reader = new OnDemandReader();
  const app = buildApp('express5', {
    service: 'compute',
    resources: [...RESOURCES],
    logger: false,
  });
  beforeAll(async () => {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    await listen(app.server);
  });
  afterAll(() => close(app.server));

  it('records the request metrics, and no error about the missing tracer', async () => {
    await fetch(
      `${baseUrl(app.server)}/apis/compute.datumapis.com/v1alpha1/namespaces/a/virtualmachines/b`,
    );
    await fetch(`${baseUrl(app.server)}/chained/1`);
    // The counter is added when the response closes, just after the client has read it.
    let names: string[] = [];
    for (let i = 0; i < 100 && !names.includes('compute.http.requests.total'); i++) {
      await new Promise((r) => setTimeout(r, 10));
      const { resourceMetrics } = await reader.collect();
      names = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
    }
    expect(names).toEqual(
      expect.arrayContaining([
        'compute.vm.requests.total',
        'compute.vm.request.duration.seconds',
        'compute.http.requests.total',
        'compute.http.request.duration.seconds',
        'compute.http.requests.active',
      ]),
    );
    expect(complaints).toEqual([]);
  });
});
