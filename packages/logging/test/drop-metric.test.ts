import { checkMetricName } from '@datum-telemetry/conventions';
import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { metrics } from '@opentelemetry/api';
import type { MetricData } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoggingOptions, LoggingSetup } from '../src/index.js';
import { setupLogging } from '../src/index.js';
import { captureDiag } from './diag-capture.js';

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

let sink: OtlpSink;
let diagnostics: ReturnType<typeof captureDiag>;
const cleanups: (() => Promise<unknown>)[] = [];

beforeEach(async () => {
  diagnostics = captureDiag();
  sink = await startOtlpSink();
  cleanups.push(() => sink.close());
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  metrics.disable();
  diagnostics.stop();
});

function registerMeterProvider(): TestReader {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  cleanups.push(() => provider.shutdown());
  return reader;
}

function otlpLogging(options: LoggingOptions = {}): LoggingSetup {
  const setup = setupLogging({
    service: 'compute',
    env: {},
    exporter: 'otlp',
    otlp: { endpoint: sink.endpoint },
    stream: null,
    batch: { maxQueueSize: 2, maxExportBatchSize: 2, scheduledDelayMillis: 60_000 },
    shutdownTimeoutMillis: 200,
    ...options,
  });
  cleanups.push(() => setup.shutdown());
  return setup;
}

/** Logging whose first export hangs at the collector, so that its batch queue (2) is full. */
async function jammedLogging(options: LoggingOptions = {}): Promise<LoggingSetup> {
  sink.respondWith({ delayMs: 60_000 });
  const setup = otlpLogging(options);
  // Two records fill a batch; once the SDK has loaded, it goes out and hangs at the sink.
  setup.logger.info('first');
  setup.logger.info('second');
  await sink.waitFor(() => sink.pendingRequests() === 1);
  return setup;
}

describe('dropped log records', () => {
  it('are counted when the batch queue is full, and reported through diag and a self-metric', async () => {
    const reader = registerMeterProvider();
    const name = 'compute.telemetry.log_records.dropped.total';
    const setup = await jammedLogging();
    // Registered at set-up, at 0, so that a dashboard or a validator sees it before any drop.
    expect(pointValue(await reader.metric(name))).toBe(0);
    expect(setup.droppedLogRecords).toBe(0);

    // The SDK is loaded and its export hangs: two records fit in the queue, eight do not.
    for (let i = 0; i < 10; i++) setup.logger.info(`record ${i}`);
    expect(setup.droppedLogRecords).toBe(8);
    const metric = await reader.metric(name);
    expect(metric?.descriptor).toMatchObject({ name, unit: '{log_record}' });
    expect(metric).toMatchObject({ isMonotonic: true });
    expect(pointValue(metric)).toBe(8);
    expect(
      checkMetricName(name, { kind: 'counter', unit: '{log_record}', service: 'compute' }),
    ).toEqual([]);

    // The first drop is told at once; the rest at the next flush, in one line.
    const drops = () => diagnostics.messages.filter((m) => m.includes('OTLP log queue is full'));
    expect(drops()).toHaveLength(1);
    expect(drops()[0]).toMatch(/^warn .*dropped 1 log record\(s\), 1 since set-up/);
    await setup.forceFlush();
    expect(drops()).toHaveLength(2);
    expect(drops()[1]).toContain('dropped 7 log record(s), 8 since set-up');
  });

  it('counts the records that did not fit while the SDK was loading', async () => {
    const reader = registerMeterProvider();
    const setup = otlpLogging({ service: 'compute-api', batch: { maxQueueSize: 5 } });
    // Written before the logs SDK has loaded: five wait for it, fifteen are dropped.
    for (let i = 0; i < 20; i++) setup.logger.info(`record ${i}`);
    expect(setup.droppedLogRecords).toBe(15);
    // The service name made a metric segment, as the HTTP middleware does.
    const name = 'compute_api.telemetry.log_records.dropped.total';
    expect(pointValue(await reader.metric(name))).toBe(15);
    await setup.shutdown();
    expect(sink.logs()).toHaveLength(5);
  });

  it('appear on a meter provider registered after set-up, at the next drop', async () => {
    const setup = await jammedLogging({ service: 'late' });
    for (let i = 0; i < 3; i++) setup.logger.info(`record ${i}`);
    expect(setup.droppedLogRecords).toBe(1);

    const reader = registerMeterProvider();
    const name = 'late.telemetry.log_records.dropped.total';
    expect(await reader.metric(name)).toBeUndefined();
    setup.logger.info('one more');
    expect(pointValue(await reader.metric(name))).toBe(2);
  });

  it('have no counter without OTLP export, where nothing can be dropped', async () => {
    const reader = registerMeterProvider();
    for (const exporter of ['console', 'none'] as const) {
      const setup = setupLogging({ service: 'quiet', exporter, stream: null, env: {} });
      for (let i = 0; i < 3; i++) setup.logger.info('line');
      expect(setup.droppedLogRecords).toBe(0);
      await setup.shutdown();
    }
    const { resourceMetrics } = await reader.collect();
    expect(resourceMetrics.scopeMetrics.flatMap((s) => s.metrics)).toEqual([]);
  });
});
