// Counting what the SDK's batch processors drop, for the signal packages: the SDK keeps no count
// (it only feeds its own self-observability counter), and a user needs to see drops both in the
// diag log and as a metric. Separate entry point: the main one stays free of dependencies.
import type {
  Counter,
  Meter,
  MeterProvider,
  MetricAttributes,
  ObservableResult,
} from '@opentelemetry/api';
import { createNoopMeter, diag, metrics, ValueType } from '@opentelemetry/api';

const QUEUE_FULL = 'queue_full';
const WARN_INTERVAL_MILLIS = 30_000;

/** What {@link QueueDropCounter} reports on, and how it words it. */
export interface QueueDropCounterOptions {
  /** The SDK self-observability counter whose `error.type=queue_full` adds are drops. */
  readonly sdkCounter: string;
  /** Who warns: `@datum-telemetry/tracing`. */
  readonly component: string;
  /** The queue, in the warning: `span queue`. */
  readonly queue: string;
  /** What is dropped, in the warning: `span(s)`. */
  readonly items: string;
  readonly maxQueueSize: number;
  /** Called with each number dropped (e.g. to feed a {@link DroppedItemsMetric}). */
  readonly onDrop?: (count: number) => void;
}

/**
 * Counts the items a batch processor drops on a full queue, through a meter provider to hand to the
 * processor as `selfObsMeterProvider`; warns through `diag` at most every 30 s, and on `report()`.
 */
export class QueueDropCounter {
  private count = 0;
  private reported = 0;
  private lastWarning = Number.NEGATIVE_INFINITY;
  /** Give it to the batch processor as `selfObsMeterProvider`. */
  readonly meterProvider: MeterProvider;

  constructor(private readonly options: QueueDropCounterOptions) {
    const counter: Counter = {
      add: (value: number, attributes?: MetricAttributes) => {
        if (attributes?.['error.type'] === QUEUE_FULL) this.record(value);
      },
    };
    const noop = createNoopMeter();
    const meter: Meter = Object.create(noop) as Meter;
    meter.createCounter = (name, counterOptions) =>
      name === options.sdkCounter ? counter : noop.createCounter(name, counterOptions);
    this.meterProvider = { getMeter: () => meter };
  }

  /** Items dropped since set-up. */
  get dropped(): number {
    return this.count;
  }

  /** Counts `value` drops (also those a package drops itself, before the SDK sees them). */
  record(value: number): void {
    this.count += value;
    this.options.onDrop?.(value);
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
    const { component, queue, items, maxQueueSize } = this.options;
    diag.warn(
      `${component}: the ${queue} is full (maxQueueSize ${maxQueueSize}): dropped ${unreported} ${items}, ${this.count} since set-up; the exporter is slower than the app or unreachable`,
    );
  }
}

/** The self-metric {@link DroppedItemsMetric} creates. */
export interface DroppedItemsMetricOptions {
  /** `{service}.telemetry.spans.dropped.total`. */
  readonly name: string;
  /** `{span}`. */
  readonly unit: string;
  readonly description: string;
  /** Instrumentation scope of the instrument, and the component named in errors. */
  readonly scopeName: string;
  readonly scopeVersion?: string;
}

interface DropSeries {
  total: number;
  /** The meter provider the instrument was created on; `undefined` before the first try. */
  provider: MeterProvider | undefined;
}

// One total per metric name for the whole process: two set-ups of one service (a test suite, a
// set-up after a shutdown) must add up in one monotonic series, not register two callbacks that
// overwrite each other's observations.
const seriesByName = new Map<string, DropSeries>();

/**
 * An observable counter of dropped items, created through the global `@opentelemetry/api` meter
 * (the signal packages do not depend on a metrics SDK): it lights up when a meter provider is
 * registered, and a provider registered after set-up gets it at the next drop.
 */
export class DroppedItemsMetric {
  private readonly series: DropSeries;

  constructor(private readonly options: DroppedItemsMetricOptions) {
    let series = seriesByName.get(options.name);
    if (series === undefined) {
      series = { total: 0, provider: undefined };
      seriesByName.set(options.name, series);
    }
    this.series = series;
    this.ensureInstrument();
  }

  /** The metric's name. */
  get name(): string {
    return this.options.name;
  }

  add(count: number): void {
    this.series.total += count;
    this.ensureInstrument();
  }

  private ensureInstrument(): void {
    const provider = metrics.getMeterProvider();
    if (provider === this.series.provider) return;
    this.series.provider = provider;
    const series = this.series;
    const { name, unit, description, scopeName, scopeVersion } = this.options;
    try {
      provider
        .getMeter(scopeName, scopeVersion)
        .createObservableCounter(name, { unit, description, valueType: ValueType.INT })
        .addCallback((result: ObservableResult) => result.observe(series.total));
    } catch (error) {
      diag.error(`${scopeName}: could not create the ${name} metric`, error);
    }
  }
}
