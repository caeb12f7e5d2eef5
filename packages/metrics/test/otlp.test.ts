import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetricsHandle } from '../src/index.js';
import { DEFAULT_SECONDS_BUCKETS, defineMetrics, setupMetrics } from '../src/index.js';

const definition = defineMetrics({
  service: 'compute',
  metrics: {
    vmRequests: {
      name: 'compute.vm.requests.total',
      kind: 'counter',
      unit: '{request}',
      description: 'Requests to the VirtualMachine API',
      attributes: ['method', 'code'],
      valueType: 'int',
    },
    vmDuration: {
      name: 'compute.vm.request.duration.seconds',
      kind: 'histogram',
      attributes: ['method'],
    },
    vmActive: { name: 'compute.vm.active', kind: 'updowncounter' },
  },
});

let sink: OtlpSink;
let handle: MetricsHandle | undefined;
beforeEach(async () => {
  sink = await startOtlpSink();
});
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
  await sink.close();
});

function record(h: MetricsHandle): void {
  const instruments = definition.create(h.meter());
  instruments.vmRequests.add(2, { method: 'POST', code: '201' });
  instruments.vmDuration.record(0.2, { method: 'POST' });
  instruments.vmActive.add(5);
}

describe('OTLP export to a real receiver', () => {
  it.each([
    ['http/protobuf', 'protobuf', 'none'],
    ['http/json', 'json', 'none'],
    ['http/protobuf', 'protobuf', 'gzip'],
  ] as const)(
    'sends %s (%s, compression %s) with names, points and resource',
    async (protocol, encoding, compression) => {
      handle = setupMetrics({
        service: 'compute',
        serviceVersion: '1.2.3',
        exporter: 'otlp',
        otlp: { endpoint: sink.endpoint, protocol, compression },
        env: {},
        register: false,
      });
      record(handle);
      await handle.ready;
      await handle.forceFlush();
      await sink.waitFor(() => sink.metrics().length >= 3, { timeoutMs: 5000 });

      expect(sink.requests()[0]).toMatchObject({
        signal: 'metrics',
        encoding,
        gzip: compression === 'gzip',
        status: 200,
      });
      const byName = Object.fromEntries(sink.metrics().map((m) => [m.name, m]));
      expect(byName['compute.vm.requests.total']).toMatchObject({
        type: 'sum',
        monotonic: true,
        temporality: 'CUMULATIVE',
        unit: '{request}',
        description: 'Requests to the VirtualMachine API',
        resource: { 'service.name': 'compute', 'service.version': '1.2.3' },
        scope: { name: 'compute' },
      });
      expect(byName['compute.vm.requests.total']?.points).toEqual([
        expect.objectContaining({ attributes: { method: 'POST', code: '201' }, value: 2 }),
      ]);
      expect(byName['compute.vm.request.duration.seconds']).toMatchObject({
        type: 'histogram',
        unit: 's',
      });
      expect(byName['compute.vm.request.duration.seconds']?.points[0]).toMatchObject({
        count: 1,
        sum: 0.2,
        explicitBounds: [...DEFAULT_SECONDS_BUCKETS],
      });
      expect(byName['compute.vm.active']).toMatchObject({ type: 'sum', monotonic: false });
    },
  );

  it('turns on from OTEL_EXPORTER_OTLP_ENDPOINT alone and reads protocol and temporality from env', async () => {
    handle = setupMetrics({
      service: 'compute',
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      },
      register: false,
    });
    record(handle);
    await handle.forceFlush();
    await sink.waitFor(() => sink.metrics().length >= 3, { timeoutMs: 5000 });
    expect(sink.requests()[0]?.encoding).toBe('json');
    const counter = sink.metrics().find((m) => m.name === 'compute.vm.requests.total');
    expect(counter?.temporality).toBe('DELTA');
    // Up-down counters stay cumulative under the delta preference, as the OTLP exporters define it.
    expect(sink.metrics().find((m) => m.name === 'compute.vm.active')?.temporality).toBe(
      'CUMULATIVE',
    );
    expect(handle.prometheusUrl).toBeUndefined();
  });

  it('exports on its own on the interval', async () => {
    handle = setupMetrics({
      service: 'compute',
      exporter: 'otlp',
      otlp: { endpoint: sink.endpoint },
      exportIntervalMillis: 50,
      env: {},
      register: false,
    });
    record(handle);
    await sink.waitFor(() => sink.requests().length >= 2, { timeoutMs: 5000 });
    expect(sink.metrics().some((m) => m.name === 'compute.vm.requests.total')).toBe(true);
  });

  it('serves Prometheus beside OTLP when both are asked for', async () => {
    handle = setupMetrics({
      service: 'compute',
      exporter: 'otlp',
      otlp: { endpoint: sink.endpoint },
      prometheus: { port: 0 },
      env: {},
      register: false,
    });
    record(handle);
    await handle.ready;
    const text = await (await fetch(handle.prometheusUrl!)).text();
    expect(text).toContain('compute_vm_requests_total{code="201",method="POST"} 2\n');
    await handle.forceFlush();
    await sink.waitFor(() => sink.metrics().length >= 3, { timeoutMs: 5000 });
  });
});
