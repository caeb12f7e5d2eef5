// One reader's side of the exemplars of a provider's own counters and histograms: at each
// collection it takes the reservoirs of the cycle that ends and attaches their exemplars to the SDK's
// data points of the same instrument and series (delta: the cycle's; cumulative: merged with what it
// kept). The SDK 3.1 keeps no exemplars, so its points get them here, in their `exemplars` field.
import type {
  CollectionResult,
  DataPoint,
  Histogram,
  IMetricReader,
  MetricData,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import { attributesKey } from '../attributes-key.js';
import type { OwnInstrument, ReaderSeries, SeriesReservoir } from './own-instrument.js';
import { instrumentKey } from './own-instrument.js';
import { exemplarsByBucket, mergeBucketExemplars, mergeSeriesExemplar } from './select.js';
import type { MetricExemplar, WithExemplars } from './types.js';

/** What a reader's side reads of the provider's store (own-store.ts). */
export interface ExemplarSource {
  /** The instrument whose data has this key (`instrumentKey`), if it keeps exemplars. */
  instrument(key: string): OwnInstrument | undefined;
  /** Every instrument's reservoirs of reader `index` for the cycle that ends. */
  take(index: number): Map<OwnInstrument, Map<string, SeriesReservoir>>;
}

/**
 * One reader's side of the exemplars: `collect` wraps the reader's collection, taking the
 * reservoirs of the cycle that ends and attaching their exemplars to the SDK's points.
 */
export class ReaderExemplars {
  private reader: IMetricReader | undefined;

  constructor(
    private readonly store: ExemplarSource,
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
