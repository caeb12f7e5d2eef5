// The exemplars of a provider's own counters and histograms (`defineMetrics`, `createInstruments`):
// registered when the instrument is made (own-instrument.ts), offered on every measurement in an
// eligible span (own-recording.ts), and attached by each reader to the SDK's data points when it
// collects (reader-exemplars.ts).
import type { IMetricReader, MetricProducer, ViewOptions } from '@opentelemetry/sdk-metrics';
import { InstrumentType } from '@opentelemetry/sdk-metrics';
import type { RequestCells } from '../request-cells/store.js';
import { onlyLimits, VIEW_DEFAULT_LIMIT, viewSelects } from '../request-cells/view-match.js';
import type { SeriesReservoir } from './own-instrument.js';
import { instrumentKey, OwnInstrument, ReaderSeries } from './own-instrument.js';
import type { ExemplarSource } from './reader-exemplars.js';
import { ReaderExemplars } from './reader-exemplars.js';
import type { ExemplarFilter } from './types.js';

/** The scope of a meter, as the SDK reports it with the meter's data. */
export interface MeterScope {
  readonly name: string;
  readonly version: string;
  readonly schemaUrl?: string;
}

/** An instrument to keep exemplars for, as `buildInstrument` describes it. */
export interface OwnInstrumentSpec {
  readonly name: string;
  readonly kind: 'counter' | 'histogram';
  readonly unit: string;
  /** The histogram's bucket boundaries, ascending and finite. */
  readonly boundaries: readonly number[];
  readonly integer: boolean;
}

/**
 * The exemplars of one provider's own counters and histograms, under one exemplar filter (never
 * `always_off`: then there is no store, and instruments are the SDK's own). Readers are attached
 * before the provider makes its first instrument, as `setupMetrics` and `createTestMetrics` do.
 */
export class OwnExemplars implements ExemplarSource {
  private readonly readers: ReaderExemplars[] = [];
  private readonly instruments = new Map<string, OwnInstrument>();

  constructor(
    private readonly views: readonly ViewOptions[],
    readonly filter: Exclude<ExemplarFilter, 'always_off'>,
  ) {}

  /** A new reader's side; `bind` it to the reader once built. */
  reader(): ReaderExemplars {
    const reader = new ReaderExemplars(this, this.readers.length);
    this.readers.push(reader);
    return reader;
  }

  instrument(key: string): OwnInstrument | undefined {
    return this.instruments.get(key);
  }

  /**
   * The exemplars of an instrument of the meter with `scope`, or `undefined` when it keeps none: a
   * View does more to it than limit its cardinality (renames it, filters its attributes, aggregates
   * it otherwise), so the SDK's points are not the series the measurements were recorded in; or the
   * meter already has an instrument of another kind by that name.
   */
  register(scope: MeterScope, spec: OwnInstrumentSpec): OwnInstrument | undefined {
    const key = instrumentKey(scope, spec.name);
    const existing = this.instruments.get(key);
    if (existing !== undefined) return existing.kind === spec.kind ? existing : undefined;
    const type = spec.kind === 'counter' ? InstrumentType.COUNTER : InstrumentType.HISTOGRAM;
    const selected = {
      name: spec.name,
      type,
      unit: spec.unit,
      meterName: scope.name,
      meterVersion: scope.version,
    };
    const views = this.views.filter((view) => viewSelects(view, selected));
    if (views.length > 1 || (views.length === 1 && !onlyLimits(views[0]!))) return undefined;
    const viewLimit =
      views.length === 1
        ? (views[0]!.aggregationCardinalityLimit ?? VIEW_DEFAULT_LIMIT)
        : undefined;
    const buckets = spec.kind === 'histogram' ? spec.boundaries.length + 1 : 0;
    const readers = this.readers.map(
      (reader) =>
        new ReaderSeries(
          viewLimit ?? reader.boundReader?.selectCardinalityLimit(type) ?? VIEW_DEFAULT_LIMIT,
          buckets,
        ),
    );
    const instrument = new OwnInstrument(
      key,
      spec.kind,
      spec.kind === 'histogram' ? spec.boundaries : [],
      spec.integer,
      this.filter,
      readers,
    );
    this.instruments.set(key, instrument);
    return instrument;
  }

  /** Every instrument's reservoirs of reader `index` for the cycle that ends; the next starts empty. */
  take(index: number): Map<OwnInstrument, Map<string, SeriesReservoir>> {
    const taken = new Map<OwnInstrument, Map<string, SeriesReservoir>>();
    for (const instrument of this.instruments.values()) {
      const series = instrument.readers[index];
      if (series === undefined) continue;
      const reservoirs = series.take();
      if (reservoirs.size > 0) taken.set(instrument, reservoirs);
    }
    return taken;
  }
}

/** The store of a provider's own exemplars, or none under the `always_off` filter. */
export function ownExemplars(settings: {
  readonly views: readonly ViewOptions[];
  readonly exemplarFilter: ExemplarFilter;
}): OwnExemplars | undefined {
  const filter = settings.exemplarFilter;
  return filter === 'always_off' ? undefined : new OwnExemplars(settings.views, filter);
}

/**
 * Builds a reader that reads the request cells through a producer of its own and, when the
 * provider keeps exemplars of its own instruments, attaches them to what it collects.
 */
export function attachReader<R extends IMetricReader>(
  cells: RequestCells,
  exemplars: OwnExemplars | undefined,
  build: (metricProducers: MetricProducer[], exemplars: ReaderExemplars | undefined) => R,
): R {
  const own = exemplars?.reader();
  const reader = cells.attach((metricProducers) => build(metricProducers, own));
  own?.bind(reader);
  return reader;
}
