import type { RequestCellStore } from '@datum-telemetry/config/request-cells';
import { REQUEST_CELLS } from '@datum-telemetry/config/request-cells';
import type {
  BatchObservableCallback,
  Counter,
  Gauge,
  Histogram,
  Meter,
  MeterOptions,
  MetricAttributes,
  MetricOptions,
  Observable,
  ObservableCounter,
  ObservableGauge,
  ObservableUpDownCounter,
  UpDownCounter,
} from '@opentelemetry/api';
import type { MeterProviderOptions } from '@opentelemetry/sdk-metrics';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { DEFAULT_SECONDS_BUCKETS } from './buckets.js';
import type { MeterScope, OwnExemplars } from './exemplars/own-store.js';
import type { RequestCells } from './request-cells/store.js';

/**
 * Gives a histogram in seconds that brings no bucket advice of its own the seconds buckets. A View
 * cannot do this: a View's aggregation overrides the instrument's advice, so it would also discard
 * boundaries a caller chose. Only instrument creation passes through here, never a measurement.
 */
class SecondsAdvisingMeter implements Meter {
  constructor(private readonly inner: Meter) {}

  createHistogram<A extends MetricAttributes = MetricAttributes>(
    name: string,
    options?: MetricOptions,
  ): Histogram<A> {
    if (options?.unit === 's' && options.advice?.explicitBucketBoundaries === undefined) {
      return this.inner.createHistogram<A>(name, {
        ...options,
        advice: { ...options.advice, explicitBucketBoundaries: [...DEFAULT_SECONDS_BUCKETS] },
      });
    }
    return this.inner.createHistogram<A>(name, options);
  }

  createCounter<A extends MetricAttributes = MetricAttributes>(
    name: string,
    options?: MetricOptions,
  ): Counter<A> {
    return this.inner.createCounter<A>(name, options);
  }

  createUpDownCounter<A extends MetricAttributes = MetricAttributes>(
    name: string,
    options?: MetricOptions,
  ): UpDownCounter<A> {
    return this.inner.createUpDownCounter<A>(name, options);
  }

  createGauge<A extends MetricAttributes = MetricAttributes>(
    name: string,
    options?: MetricOptions,
  ): Gauge<A> {
    return this.inner.createGauge<A>(name, options);
  }

  createObservableGauge<A extends MetricAttributes = MetricAttributes>(
    name: string,
    options?: MetricOptions,
  ): ObservableGauge<A> {
    return this.inner.createObservableGauge<A>(name, options);
  }

  createObservableCounter<A extends MetricAttributes = MetricAttributes>(
    name: string,
    options?: MetricOptions,
  ): ObservableCounter<A> {
    return this.inner.createObservableCounter<A>(name, options);
  }

  createObservableUpDownCounter<A extends MetricAttributes = MetricAttributes>(
    name: string,
    options?: MetricOptions,
  ): ObservableUpDownCounter<A> {
    return this.inner.createObservableUpDownCounter<A>(name, options);
  }

  addBatchObservableCallback<A extends MetricAttributes = MetricAttributes>(
    callback: BatchObservableCallback<A>,
    observables: Observable<A>[],
  ): void {
    this.inner.addBatchObservableCallback<A>(callback, observables);
  }

  removeBatchObservableCallback<A extends MetricAttributes = MetricAttributes>(
    callback: BatchObservableCallback<A>,
    observables: Observable<A>[],
  ): void {
    this.inner.removeBatchObservableCallback<A>(callback, observables);
  }
}

/** How many attributes the guarded instruments of one provider's meters dropped. */
export interface DropTally {
  count: number;
}

const tallyOfMeter = new WeakMap<Meter, DropTally>();

/** Where the instruments of a meter keep exemplars: the provider's store, and the meter's scope. */
export interface MeterExemplars {
  readonly store: OwnExemplars;
  readonly scope: MeterScope;
}

const exemplarsOfMeter = new WeakMap<Meter, MeterExemplars>();

/**
 * The exemplar store of the {@link DatumMeterProvider} that made `meter`, `undefined` for a meter
 * of another provider or when the provider keeps no exemplars (the filter is `always_off`).
 */
export function meterExemplars(meter: Meter): MeterExemplars | undefined {
  return exemplarsOfMeter.get(meter);
}

/**
 * The dropped-attributes tally of the {@link DatumMeterProvider} that made `meter`, `undefined` for
 * a meter of another provider.
 */
export function attributeDropTally(meter: Meter): DropTally | undefined {
  return tallyOfMeter.get(meter);
}

/**
 * The SDK MeterProvider whose meters give seconds histograms the seconds buckets, also for meters
 * that other packages get through `metrics.getMeter()`, and that offers the HTTP middleware its
 * request cells (`[REQUEST_CELLS]`, see `@datum-telemetry/config/request-cells`): the request
 * counter and duration histogram aggregated without hashing attributes per request, read by each
 * reader through the producer `cells.attach()` gave it.
 */
export class DatumMeterProvider extends MeterProvider {
  private readonly advised = new WeakMap<Meter, Meter>();
  private readonly attributeDrops: DropTally = { count: 0 };
  readonly [REQUEST_CELLS]: RequestCellStore | undefined;

  constructor(
    options: MeterProviderOptions,
    private readonly cells?: RequestCells,
    /** The exemplars of the counters and histograms `defineMetrics` and `createInstruments` make. */
    private readonly exemplars?: OwnExemplars,
  ) {
    super(options);
    this[REQUEST_CELLS] = cells;
  }

  override shutdown(options?: { timeoutMillis?: number }): Promise<void> {
    this.cells?.close();
    return super.shutdown(options);
  }

  /** Attributes dropped by the guarded instruments of this provider's meters. */
  get droppedAttributes(): number {
    return this.attributeDrops.count;
  }

  override getMeter(name: string, version?: string, options?: MeterOptions): Meter {
    const inner = super.getMeter(name, version, options);
    let meter = this.advised.get(inner);
    if (meter === undefined) {
      meter = new SecondsAdvisingMeter(inner);
      this.advised.set(inner, meter);
      tallyOfMeter.set(meter, this.attributeDrops);
      if (this.exemplars !== undefined) {
        exemplarsOfMeter.set(meter, {
          store: this.exemplars,
          // As the SDK names the meter's scope in what it collects.
          scope: {
            name: typeof name === 'string' ? name : '',
            version: version ?? '',
            ...(options?.schemaUrl === undefined ? {} : { schemaUrl: options.schemaUrl }),
          },
        });
      }
    }
    return meter;
  }
}
