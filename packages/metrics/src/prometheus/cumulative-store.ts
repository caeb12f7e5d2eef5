import type { Attributes, HrTime } from '@opentelemetry/api';
import type {
  DataPoint,
  Histogram,
  MetricData,
  ResourceMetrics,
  ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import { attributesKey } from '../attributes-key.js';
import { exemplarsOf, mergeBucketExemplars, mergeSeriesExemplar } from '../exemplars/select.js';
import type { MetricExemplar, WithExemplars } from '../exemplars/types.js';

/** The attributes of the one series that takes every attribute set past the limit. */
const OVERFLOW: Attributes = Object.freeze({ 'otel.metric.overflow': true });
const OVERFLOW_KEY = JSON.stringify([['otel.metric.overflow', true]]);

type Point = DataPoint<number | Histogram> & WithExemplars;

interface Series {
  metric: MetricData;
  points: Map<string, Point>;
}

function addHistogram(into: Histogram, delta: Histogram): Histogram {
  const same =
    into.buckets.boundaries.length === delta.buckets.boundaries.length &&
    into.buckets.boundaries.every((b, i) => b === delta.buckets.boundaries[i]);
  if (!same) return delta;
  return {
    buckets: {
      boundaries: into.buckets.boundaries,
      counts: into.buckets.counts.map((c, i) => c + (delta.buckets.counts[i] ?? 0)),
    },
    count: into.count + delta.count,
    sum: (into.sum ?? 0) + (delta.sum ?? 0),
    min:
      into.min === undefined
        ? delta.min
        : delta.min === undefined
          ? into.min
          : Math.min(into.min, delta.min),
    max:
      into.max === undefined
        ? delta.max
        : delta.max === undefined
          ? into.max
          : Math.max(into.max, delta.max),
  };
}

/**
 * Cumulative series built from delta collections, at most `limit` per metric (the last one being
 * the `otel.metric.overflow` series). The SDK applies its cardinality limit per collection only:
 * with cumulative temporality, every scrape that brings new attribute sets adds to what it keeps,
 * without bound. Collecting deltas and summing them here keeps both the series and the memory
 * bounded, however long the process runs.
 */
export class CumulativeStore {
  private readonly metrics = new Map<string, Series>();

  constructor(private readonly limit: number) {}

  /** Adds one delta collection and returns the cumulative view, shaped like a collection. */
  add(delta: ResourceMetrics): ResourceMetrics {
    const scopes = new Map<string, ScopeMetrics>();
    for (const scope of delta.scopeMetrics) {
      for (const metric of scope.metrics) this.merge(scope, metric);
    }
    for (const [key, series] of this.metrics) {
      const scopeKey = key.slice(0, key.indexOf('\u0000'));
      let scope = scopes.get(scopeKey);
      if (scope === undefined) {
        scope = { scope: JSON.parse(scopeKey) as ScopeMetrics['scope'], metrics: [] };
        scopes.set(scopeKey, scope);
      }
      scope.metrics.push({
        ...series.metric,
        dataPoints: [...series.points.values()],
      } as MetricData);
    }
    return { resource: delta.resource, scopeMetrics: [...scopes.values()] };
  }

  private merge(scope: ScopeMetrics, metric: MetricData): void {
    const key = `${JSON.stringify(scope.scope)}\u0000${metric.descriptor.name}\u0000${metric.dataPointType}`;
    let series = this.metrics.get(key);
    if (series === undefined) {
      series = { metric: { ...metric, dataPoints: [] } as MetricData, points: new Map() };
      this.metrics.set(key, series);
    }
    series.metric = { ...metric, dataPoints: [] } as MetricData;
    for (const point of metric.dataPoints as Point[]) {
      let pointKey = attributesKey(point.attributes);
      let attributes = point.attributes;
      if (
        !series.points.has(pointKey) &&
        series.points.size >= this.limit - 1 &&
        pointKey !== OVERFLOW_KEY
      ) {
        pointKey = OVERFLOW_KEY;
        attributes = OVERFLOW;
      }
      const previous = series.points.get(pointKey);
      const folded = attributes === point.attributes ? point : foldedIntoOverflow(point);
      series.points.set(pointKey, this.combine(metric, previous, folded, attributes));
    }
  }

  private combine(
    metric: MetricData,
    previous: Point | undefined,
    point: Point,
    attributes: Attributes,
  ): Point {
    const type = metric.dataPointType;
    const startTime: HrTime = previous?.startTime ?? point.startTime;
    if (type === DataPointType.GAUGE || type === DataPointType.EXPONENTIAL_HISTOGRAM) {
      // Gauges keep the last value; exponential histograms (not in the text format) the last delta.
      // Neither shows exemplars in the exposition, so none is kept.
      return { attributes, startTime, endTime: point.endTime, value: point.value };
    }
    if (type === DataPointType.HISTOGRAM) {
      const delta = point.value as Histogram;
      const value =
        previous === undefined ? delta : addHistogram(previous.value as Histogram, delta);
      // Kept exemplars stay only while the buckets do (addHistogram restarts on new boundaries).
      const kept = previous !== undefined && value !== delta ? exemplarsOf(previous) : [];
      const exemplars = mergeBucketExemplars(value.buckets.boundaries, kept, exemplarsOf(point));
      return withExemplars({ attributes, startTime, endTime: point.endTime, value }, exemplars);
    }
    const value =
      previous === undefined ? point.value : (previous.value as number) + (point.value as number);
    // Only a counter shows an exemplar (on its `_total` line); an up-down counter is a gauge there.
    const exemplars =
      metric.dataPointType === DataPointType.SUM && metric.isMonotonic
        ? mergeSeriesExemplar(
            previous === undefined ? [] : exemplarsOf(previous),
            exemplarsOf(point),
          )
        : [];
    return withExemplars({ attributes, startTime, endTime: point.endTime, value }, exemplars);
  }
}

/**
 * A point taken into the overflow series: its exemplars keep its attributes as filtered attributes,
 * so that the overflow point's and the exemplar's together are still the measurement's.
 */
function foldedIntoOverflow(point: Point): Point {
  const exemplars = exemplarsOf(point);
  if (exemplars.length === 0) return point;
  return {
    ...point,
    exemplars: exemplars.map((e) => ({
      ...e,
      filteredAttributes: { ...point.attributes, ...e.filteredAttributes },
    })),
  };
}

/** The point, with an `exemplars` field only when there are some. */
function withExemplars(point: Point, exemplars: MetricExemplar[]): Point {
  return exemplars.length === 0 ? point : { ...point, exemplars };
}
