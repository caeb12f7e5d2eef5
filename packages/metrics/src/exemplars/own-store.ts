// The exemplars of a provider's own counters and histograms (`defineMetrics`, `createInstruments`):
// registered when the instrument is made, offered on every measurement in an eligible span, and
// attached by each reader to the SDK's data points of the same instrument and series when it
// collects. The SDK 3.1 keeps no exemplars, so its points get them here, in their `exemplars` field.
import type {
  CollectionResult,
  DataPoint,
  Histogram,
  IMetricReader,
  MetricData,
  MetricProducer,
  ResourceMetrics,
  ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import { attributesKey } from '../attributes-key.js';
import type { RequestCells } from '../request-cells/store.js';
import { onlyLimits, viewSelects } from '../request-cells/view-match.js';
import type { SeriesReservoir } from './own-instrument.js';
import { instrumentKey, OwnInstrument, ReaderSeries } from './own-instrument.js';
import { exemplarsByBucket, mergeBucketExemplars, mergeSeriesExemplar } from './select.js';
import type { ExemplarFilter, MetricExemplar, WithExemplars } from './types.js';

/** The SDK's cardinality limit of a View that sets none. */
const VIEW_DEFAULT_LIMIT = 2000;

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
 * One reader's side of the exemplars: `collect` wraps the reader's collection, taking the
 * reservoirs of the cycle that ends and attaching their exemplars to the SDK's points.
 */
export class ReaderExemplars {
  private reader: IMetricReader | undefined;

  constructor(
    private readonly store: OwnExemplars,
    /** This reader's place in every instrument's `readers`. */
    readonly index: number,
  ) {}

  /** The reader this belongs to; asked for its cardinality limits. */
  bind(reader: IMetricReader): void {
    this.reader = reader;
  }

  get boundReader(): IMetricReader | undefined {
    return this.reader;
  }

  /**
   * Runs one collection of the reader and returns it with exemplars. The reservoirs are taken
   * before it starts, so a measurement made while it runs is kept for the next one.
   */
  async collect(run: () => Promise<CollectionResult>): Promise<CollectionResult> {
    const taken = this.store.take(this.index);
    const result = await run();
    return { ...result, resourceMetrics: this.attach(result.resourceMetrics, taken) };
  }

  private attach(
    collected: ResourceMetrics,
    taken: ReadonlyMap<OwnInstrument, Map<string, SeriesReservoir>>,
  ): ResourceMetrics {
    let changed = false;
    const scopeMetrics = collected.scopeMetrics.map((scope) => {
      let scopeChanged = false;
      const metrics = scope.metrics.map((metric) => {
        const instrument = this.store.instrument(
          instrumentKey(scope.scope, metric.descriptor.name),
        );
        const series = instrument?.readers[this.index];
        if (instrument === undefined || series === undefined) return metric;
        const withExemplars = attachToMetric(metric, instrument, series, taken.get(instrument));
        if (withExemplars !== metric) scopeChanged = true;
        return withExemplars;
      });
      if (!scopeChanged) return scope;
      changed = true;
      return { ...scope, metrics };
    });
    return changed ? { ...collected, scopeMetrics } : collected;
  }
}

/** The exemplars a reservoir gives a point of its series, in bucket order for a histogram. */
function fresh(
  instrument: OwnInstrument,
  reservoir: SeriesReservoir | undefined,
): MetricExemplar[] {
  if (reservoir === undefined) return [];
  return instrument.kind === 'histogram'
    ? reservoir.bucketExemplarsOn(reservoir.attributes)
    : reservoir.counterExemplarsOn(reservoir.attributes);
}

/**
 * The metric with exemplars on its points, or the metric itself when it is not the instrument's
 * kind of data (a View or reader aggregated it otherwise) or no point gets one.
 */
function attachToMetric(
  metric: MetricData,
  instrument: OwnInstrument,
  series: ReaderSeries,
  taken: Map<string, SeriesReservoir> | undefined,
): MetricData {
  const histogram = instrument.kind === 'histogram';
  if (
    histogram
      ? metric.dataPointType !== DataPointType.HISTOGRAM
      : metric.dataPointType !== DataPointType.SUM || !metric.isMonotonic
  ) {
    return metric;
  }
  const cumulative = metric.aggregationTemporality === AggregationTemporality.CUMULATIVE;
  if (!cumulative && (taken === undefined || taken.size === 0)) return metric;
  let changed = false;
  const dataPoints = (metric.dataPoints as DataPoint<number | Histogram>[]).map((point) => {
    const key = attributesKey(point.attributes);
    const now = fresh(instrument, taken?.get(key));
    let exemplars: MetricExemplar[];
    if (histogram) {
      const { boundaries, counts } = (point.value as Histogram).buckets;
      if (cumulative) {
        exemplars = mergeBucketExemplars(boundaries, series.kept.get(key) ?? [], now);
      } else {
        // One per bucket of the point's boundaries, and only on a bucket that counted something:
        // a measurement made while the SDK collected may be in the next point.
        exemplars = [];
        const byBucket = exemplarsByBucket(boundaries, now);
        for (let i = 0; i < byBucket.length; i++) {
          const exemplar = byBucket[i];
          if (exemplar !== undefined && (counts[i] ?? 0) > 0) exemplars.push(exemplar);
        }
      }
    } else {
      exemplars = cumulative
        ? mergeSeriesExemplar(series.kept.get(key) ?? [], now)
        : (point.value as number) > 0
          ? now
          : [];
    }
    if (
      cumulative &&
      exemplars.length > 0 &&
      (series.kept.has(key) || series.kept.size < series.limit)
    ) {
      series.kept.set(key, exemplars);
    }
    if (exemplars.length === 0) return point;
    changed = true;
    return { ...point, exemplars } as DataPoint<number | Histogram> & WithExemplars;
  });
  return changed ? ({ ...metric, dataPoints } as MetricData) : metric;
}

/**
 * The exemplars of one provider's own counters and histograms, under one exemplar filter (never
 * `always_off`: then there is no store, and instruments are the SDK's own). Readers are attached
 * before the provider makes its first instrument, as `setupMetrics` and `createTestMetrics` do.
 */
export class OwnExemplars {
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
