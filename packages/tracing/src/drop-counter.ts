import type { Counter, Meter, MeterProvider, MetricAttributes } from '@opentelemetry/api';
import { createNoopMeter, diag } from '@opentelemetry/api';

/** The SDK's self-observability counter; drops carry `error.type=queue_full`. */
const PROCESSED_SPANS = 'otel.sdk.processor.span.processed';
const QUEUE_FULL = 'queue_full';
const WARN_INTERVAL_MILLIS = 30_000;

/**
 * Counts the spans the batch processor drops on a full queue. The SDK (2.12) only logs the first
 * drop at debug level and the total at warn level once a span fits again, and keeps no count, so
 * this listens to the processor's own self-observability counter and warns at most every 30 s.
 */
export class DropCounter {
  private count = 0;
  private reported = 0;
  private lastWarning = Number.NEGATIVE_INFINITY;
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
    const meter: Meter = Object.create(createNoopMeter()) as Meter;
    const noop = createNoopMeter();
    meter.createCounter = (name, options) =>
      name === PROCESSED_SPANS ? counter : noop.createCounter(name, options);
    this.meterProvider = { getMeter: () => meter };
  }

  /** Spans dropped since set-up. */
  get dropped(): number {
    return this.count;
  }

  private record(value: number): void {
    this.count += value;
    this.onDrop(value);
    const now = performance.now();
    if (now - this.lastWarning >= WARN_INTERVAL_MILLIS) {
      this.lastWarning = now;
      this.report();
    }
  }

  /** Warns about drops not reported yet; flush and shutdown call it so that none go unmentioned. */
  report(): void {
    const unreported = this.count - this.reported;
    if (unreported === 0) return;
    this.reported = this.count;
    diag.warn(
      `@datum-telemetry/tracing: the span queue is full (maxQueueSize ${this.maxQueueSize}): dropped ${unreported} span(s), ${this.count} since set-up; the exporter is slower than the app or unreachable`,
    );
  }
}
