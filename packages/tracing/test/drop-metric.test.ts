import { checkMetricName } from '@datum-telemetry/conventions';
import { metrics } from '@opentelemetry/api';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TracingHandle, TracingOptions } from '../src/index.js';
import { setupTracing } from '../src/index.js';
import type { DiagCapture } from './support/diag.js';
import { captureDiag } from './support/diag.js';
import { startSilentServer } from './support/servers.js';

/** A pull reader: the test collects when it wants to look. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
  async metric(name: string): Promise<MetricData | undefined> {
    const { resourceMetrics } = await this.collect();
    return resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((m) => m.descriptor.name === name);
  }
}

function pointValue(metric: MetricData | undefined): number | undefined {
  const point = metric?.dataPoints[0];
  return point === undefined ? undefined : (point.value as number);
}

let logs: DiagCapture;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(() => {
  logs = captureDiag();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  metrics.disable();
  logs.restore();
});

function registerMeterProvider(): TestReader {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  cleanups.push(() => provider.shutdown());
  return reader;
}

/** A tracing handle whose exporter hangs on a silent collector: a queue of 2 fills at once. */
async function jammedTracing(
  service: string | undefined,
  extra: TracingOptions = {},
): Promise<TracingHandle> {
  const silent = await startSilentServer();
  cleanups.push(() => silent.close());
  const handle = setupTracing({
    service,
    exporter: 'otlp',
    otlp: { endpoint: silent.url, timeoutMillis: 60_000 },
    maxQueueSize: 2,
    maxExportBatchSize: 2,
    scheduledDelayMillis: 60_000,
    shutdownTimeoutMillis: 200,
    registerGlobal: false,
    instrumentFetch: false,
    env: {},
    ...extra,
  });
  cleanups.push(() => handle.shutdown());
  return handle;
}

function endSpans(handle: TracingHandle, count: number): void {
  const tracer = handle.tracer();
  for (let i = 0; i < count; i++) tracer.startSpan('GetVirtualMachine').end();
}

describe('the dropped-spans self-metric', () => {
  it('is an observable counter named by the conventions that reports droppedSpans', async () => {
    const reader = registerMeterProvider();
    const handle = await jammedTracing('compute');
    const name = 'compute.telemetry.spans.dropped.total';

    // Registered at set-up, at 0, so that a dashboard or a validator sees it before any drop.
    expect(pointValue(await reader.metric(name))).toBe(0);

    endSpans(handle, 10);
    expect(handle.droppedSpans).toBe(6);
    const metric = await reader.metric(name);
    expect(metric?.descriptor).toMatchObject({ name, unit: '{span}' });
    expect(metric?.descriptor.description).toMatch(/queue was full/);
    expect(metric).toMatchObject({ isMonotonic: true });
    expect(pointValue(metric)).toBe(6);
    expect(checkMetricName(name, { kind: 'counter', unit: '{span}', service: 'compute' })).toEqual(
      [],
    );

    endSpans(handle, 3);
    expect(pointValue(await reader.metric(name))).toBe(9);
    // The diag warning and the metric tell the same story.
    await handle.forceFlush();
    expect(logs.warnings.join('\n')).toContain('9 since set-up');
  });

  it('makes the service name a metric segment, as the HTTP middleware does', async () => {
    const reader = registerMeterProvider();
    const dashed = await jammedTracing('compute-api');
    endSpans(dashed, 5);
    const unnamed = await jammedTracing(undefined);
    endSpans(unnamed, 4);

    const dashedName = 'compute_api.telemetry.spans.dropped.total';
    expect(pointValue(await reader.metric(dashedName))).toBe(dashed.droppedSpans);
    expect(dashed.droppedSpans).toBe(1);
    // No service name: the resource says unknown_service:node, the metric unknown_service.
    const unnamedName = 'unknown_service.telemetry.spans.dropped.total';
    expect(pointValue(await reader.metric(unnamedName))).toBe(unnamed.droppedSpans);
    for (const name of [dashedName, unnamedName]) {
      expect(checkMetricName(name, { kind: 'counter', unit: '{span}' })).toEqual([]);
    }
  });

  it('appears on a meter provider registered after set-up, at the next drop', async () => {
    const handle = await jammedTracing('late');
    endSpans(handle, 5);
    expect(handle.droppedSpans).toBe(1);

    const reader = registerMeterProvider();
    const name = 'late.telemetry.spans.dropped.total';
    expect(await reader.metric(name)).toBeUndefined();
    endSpans(handle, 1);
    // The total since set-up, not only the drops seen since the provider came.
    expect(pointValue(await reader.metric(name))).toBe(2);
  });

  it('adds up the handles of one service in one monotonic series', async () => {
    const reader = registerMeterProvider();
    const name = 'twice.telemetry.spans.dropped.total';
    const first = await jammedTracing('twice');
    endSpans(first, 6);
    await first.shutdown();
    expect(pointValue(await reader.metric(name))).toBe(2);

    const second = await jammedTracing('twice');
    endSpans(second, 7);
    expect(second.droppedSpans).toBe(3);
    expect(pointValue(await reader.metric(name))).toBe(5);
  });

  it('does not exist where nothing can be dropped (simple processor, no exporter, disabled)', async () => {
    const reader = registerMeterProvider();
    for (const options of [
      { service: 'simple', exporter: 'memory' },
      { service: 'simple', exporter: 'console', processor: 'simple', console: { write() {} } },
      { service: 'simple', exporter: 'none' },
      { service: 'simple', exporter: 'otlp', disabled: true },
    ] satisfies TracingOptions[]) {
      const handle = setupTracing({ ...options, registerGlobal: false, env: {} });
      cleanups.push(() => handle.shutdown());
      endSpans(handle, 3);
    }
    const { resourceMetrics } = await reader.collect();
    expect(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics)).toEqual([]);
  });
});
