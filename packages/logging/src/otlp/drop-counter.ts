import type { Counter, Meter, MeterProvider, MetricAttributes } from '@opentelemetry/api';
import { createNoopMeter, diag } from '@opentelemetry/api';

/** The logs SDK's self-observability counter; drops carry `error.type=queue_full`. */
const PROCESSED_LOG_RECORDS = 'otel.sdk.processor.log.processed';
const QUEUE_FULL = 'queue_full';
const WARN_INTERVAL_MILLIS = 30_000;

/**
 * Counts the log records the OTLP export drops: those the batch processor refuses on a full queue
 * (the logs SDK, 0.223, drops them silently and keeps no count, so this listens to the processor's
 * own self-observability counter), and those that did not fit the waiting room while the SDK
 * loaded. Each drop goes to `onDrop`; `diag.warn` tells at most every 30 s, and at flush and
 * shutdown about the ones not told yet.
 */
export class LogDropCounter {
  private count = 0;
  private reported = 0;
  private lastWarning = Number.NEGATIVE_INFINITY;
  /** Give it to the batch processor as `selfObsMeterProvider`. */
  readonly meterProvider: MeterProvider;

  constructor(
    private readonly maxQueueSize: number,
    private readonly onDrop: (count: number) => void = () => {},
  ) {
    const counter: Counter = {
      add: (value: number, attributes?: MetricAttributes) => {
        if (attributes?.['error.type'] === QUEUE_FULL) this.record(value);
      },
    };
    const noop = createNoopMeter();
    const meter: Meter = Object.create(noop) as Meter;
    meter.createCounter = (name, options) =>
      name === PROCESSED_LOG_RECORDS ? counter : noop.createCounter(name, options);
    this.meterProvider = { getMeter: () => meter };
  }

  /** Log records dropped since set-up. */
  get dropped(): number {
    return this.count;
  }

  record(value: number): void {
    this.count += value;
    this.onDrop(value);
    const now = performance.now();
    if (now - this.lastWarning >= WARN_INTERVAL_MILLIS) {
      this.lastWarning = now;
      this.report();
    }
  }

  /** Warns about drops not reported yet. */
  report(): void {
    const unreported = this.count - this.reported;
    if (unreported === 0) return;
    this.reported = this.count;
    diag.warn(
      `@datum-telemetry/logging: the OTLP log queue is full (maxQueueSize ${this.maxQueueSize}): dropped ${unreported} log record(s), ${this.count} since set-up; the exporter is slower than the app or unreachable`,
    );
  }
}
