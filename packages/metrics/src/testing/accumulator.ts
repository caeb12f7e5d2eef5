import type { Attributes, HrTime } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type {
  DataPoint,
  ExponentialHistogram,
  Histogram,
  MetricData,
  MetricDescriptor,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import { attributesKey } from '../attributes-key.js';
import { exemplarsOf, mergeBucketExemplars, mergeSeriesExemplar } from '../exemplars/select.js';
import type { MetricExemplar } from '../exemplars/types.js';

interface StoredPoint {
  attributes: Attributes;
  startTime: HrTime;
  endTime: HrTime;
  value: number | Histogram;
  /** The exemplars kept: as the cumulative Prometheus store keeps them. */
  exemplars: MetricExemplar[];
}

interface StoredMetric {
  readonly scope: InstrumentationScope;
  readonly descriptor: MetricDescriptor;
  readonly dataPointType: DataPointType;
  readonly isMonotonic: boolean;
  readonly points: Map<string, StoredPoint>;
}

function mergeHistogram(before: Histogram, delta: Histogram): Histogram {
  const same =
    before.buckets.boundaries.length === delta.buckets.boundaries.length &&
    before.buckets.boundaries.every((bound, i) => bound === delta.buckets.boundaries[i]);
  if (!same) return delta;
  const min =
    before.min === undefined
      ? delta.min
      : delta.min === undefined
        ? before.min
        : Math.min(before.min, delta.min);
  const max =
    before.max === undefined
      ? delta.max
      : delta.max === undefined
        ? before.max
        : Math.max(before.max, delta.max);
  return {
    buckets: {
      boundaries: [...before.buckets.boundaries],
      counts: before.buckets.counts.map((count, i) => count + (delta.buckets.counts[i] ?? 0)),
    },
    sum: before.sum === undefined || delta.sum === undefined ? undefined : before.sum + delta.sum,
    count: before.count + delta.count,
    min,
    max,
  };
}

/**
 * Adds delta collections up into cumulative state that can be cleared: what a test wants to read
 * ("everything recorded since the last reset"), which cumulative SDK state cannot give.
 */
export class DeltaAccumulator {
  private readonly metrics = new Map<string, StoredMetric>();
  private resource: ResourceMetrics['resource'] | undefined;

  add(collected: ResourceMetrics): void {
    this.resource = collected.resource;
    for (const scopeMetrics of collected.scopeMetrics) {
      for (const metric of scopeMetrics.metrics) this.addMetric(scopeMetrics.scope, metric);
    }
  }

  clear(): void {
    this.metrics.clear();
  }

  private addMetric(scope: InstrumentationScope, metric: MetricData): void {
    const key = `${scope.name}\u0000${scope.version ?? ''}\u0000${metric.descriptor.name}`;
    let stored = this.metrics.get(key);
    if (stored === undefined) {
      stored = {
        scope,
        descriptor: metric.descriptor,
        dataPointType: metric.dataPointType,
        isMonotonic: metric.dataPointType === DataPointType.SUM ? metric.isMonotonic : false,
        points: new Map(),
      };
      this.metrics.set(key, stored);
    }
    for (const point of metric.dataPoints as DataPoint<number | Histogram>[]) {
      const pointKey = attributesKey(point.attributes);
      const before = stored.points.get(pointKey);
      const exemplars = exemplarsOf(point);
      if (before === undefined) {
        stored.points.set(pointKey, {
          attributes: point.attributes,
          startTime: point.startTime,
          endTime: point.endTime,
          value: point.value,
          exemplars:
            metric.dataPointType === DataPointType.HISTOGRAM
              ? mergeBucketExemplars((point.value as Histogram).buckets.boundaries, [], exemplars)
              : mergeSeriesExemplar([], exemplars),
        });
        continue;
      }
      before.endTime = point.endTime;
      if (metric.dataPointType === DataPointType.SUM) {
        before.value = (before.value as number) + (point.value as number);
        before.exemplars = mergeSeriesExemplar(before.exemplars, exemplars);
      } else if (metric.dataPointType === DataPointType.HISTOGRAM) {
        const merged = mergeHistogram(before.value as Histogram, point.value as Histogram);
        // Kept exemplars stay only while the buckets do (mergeHistogram restarts on new ones).
        const kept = merged === point.value ? [] : before.exemplars;
        before.value = merged;
        before.exemplars = mergeBucketExemplars(merged.buckets.boundaries, kept, exemplars);
      } else {
        before.value = point.value;
      }
    }
  }

  /** The accumulated state as the SDK's cumulative data, for the Prometheus serializer. */
  toResourceMetrics(fallbackResource: ResourceMetrics['resource']): ResourceMetrics {
    const byScope = new Map<string, { scope: InstrumentationScope; metrics: MetricData[] }>();
    for (const stored of this.metrics.values()) {
      const scopeKey = `${stored.scope.name}\u0000${stored.scope.version ?? ''}`;
      let entry = byScope.get(scopeKey);
      if (entry === undefined) {
        entry = { scope: stored.scope, metrics: [] };
        byScope.set(scopeKey, entry);
      }
      entry.metrics.push(toMetricData(stored));
    }
    return { resource: this.resource ?? fallbackResource, scopeMetrics: [...byScope.values()] };
  }

  /** Every stored metric with its scope, in the order they were first seen. */
  entries(): { scope: InstrumentationScope; metric: MetricData }[] {
    return [...this.metrics.values()].map((stored) => ({
      scope: stored.scope,
      metric: toMetricData(stored),
    }));
  }
}

function toMetricData(stored: StoredMetric): MetricData {
  const dataPoints = [...stored.points.values()].map((point) => ({
    attributes: point.attributes,
    startTime: point.startTime,
    endTime: point.endTime,
    value: point.value,
    // Only counters and histograms show exemplars, and a point carries the field only with some.
    ...(point.exemplars.length === 0 ||
    (stored.dataPointType === DataPointType.SUM && !stored.isMonotonic)
      ? {}
      : { exemplars: [...point.exemplars] }),
  }));
  const base = {
    descriptor: stored.descriptor,
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
  };
  switch (stored.dataPointType) {
    case DataPointType.SUM:
      return {
        ...base,
        dataPointType: DataPointType.SUM,
        isMonotonic: stored.isMonotonic,
        dataPoints: dataPoints as DataPoint<number>[],
      };
    case DataPointType.GAUGE:
      return {
        ...base,
        dataPointType: DataPointType.GAUGE,
        dataPoints: dataPoints as DataPoint<number>[],
      };
    case DataPointType.EXPONENTIAL_HISTOGRAM:
      return {
        ...base,
        dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
        dataPoints: dataPoints as unknown as DataPoint<ExponentialHistogram>[],
      };
    default:
      return {
        ...base,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: dataPoints as DataPoint<Histogram>[],
      };
  }
}
