// The parts of the SDK's `ResourceMetrics` (@opentelemetry/sdk-metrics 3.1) that the metrics
// encoders read, declared here so that this package needs no metrics SDK: the SDK's own objects fit
// these shapes. A data point may also carry `exemplars` (see `OtlpExemplar`), which the SDK's points
// do not have and ours (`@datum-telemetry/metrics`' request cells) add.
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { OtlpResource, OtlpScope } from './readable.js';

/**
 * One exemplar on a data point, in an `exemplars` array beside the SDK's fields: a measurement
 * recorded inside a sampled span, with the fields of OTLP's `Exemplar` message. The encoders read
 * it structurally (any object of this shape; `@datum-telemetry/metrics`' `MetricExemplar` is one)
 * and drop an exemplar they cannot write truthfully: one whose `value` is not a finite number, whose
 * `time` is not an HrTime (`[seconds, nanoseconds]`, whole, nanoseconds below 1e9), or whose
 * `traceId` or `spanId` is present but not a valid (hex, non-zero) id. Ids may both be left out
 * (an exemplar recorded outside a span); missing `filteredAttributes` are written as none.
 */
export interface OtlpExemplar {
  /** The measurement: `as_int` on an integer instrument when it is an integer, else `as_double`. */
  readonly value: number;
  /** When it was recorded. */
  readonly time: HrTime;
  /** The span's trace id, 32 hex characters (written as 16 bytes; lowercase in OTLP/JSON). */
  readonly traceId?: string | undefined;
  /** The span's id, 16 hex characters. */
  readonly spanId?: string | undefined;
  /** The measurement's attributes that the series does not have (`filtered_attributes`). */
  readonly filteredAttributes?: Attributes | undefined;
}

/** The `exemplars` a data point may carry (the SDK's points have none). */
export interface OtlpWithExemplars {
  readonly exemplars?: readonly unknown[] | undefined;
}

/** An SDK `DataPoint<T>`. */
export interface OtlpDataPoint<T> extends OtlpWithExemplars {
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly attributes: Attributes;
  readonly value: T;
}

/** The SDK's `Histogram` value of an explicit-bucket histogram point. */
export interface OtlpHistogram {
  readonly buckets: { readonly boundaries: readonly number[]; readonly counts: readonly number[] };
  readonly sum?: number | undefined;
  readonly count: number;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

/** One side of an exponential histogram's buckets. */
export interface OtlpExponentialBuckets {
  readonly offset: number;
  readonly bucketCounts: readonly number[];
}

/** The SDK's `ExponentialHistogram` value. */
export interface OtlpExponentialHistogram {
  readonly count: number;
  readonly sum?: number | undefined;
  readonly scale: number;
  readonly zeroCount: number;
  readonly positive: OtlpExponentialBuckets;
  readonly negative: OtlpExponentialBuckets;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

/** An SDK `MetricDescriptor`; `valueType` is the API's `ValueType` (0 INT, 1 DOUBLE). */
export interface OtlpMetricDescriptor {
  readonly name: string;
  readonly description?: string | undefined;
  readonly unit?: string | undefined;
  readonly valueType: number;
}

/**
 * The SDK's `DataPointType` values (`HISTOGRAM` 0, `EXPONENTIAL_HISTOGRAM` 1, `GAUGE` 2, `SUM` 3) and
 * `AggregationTemporality` values (`DELTA` 0, `CUMULATIVE` 1), as numbers so that no SDK is needed.
 */
export const DATA_POINT_TYPE = Object.freeze({
  HISTOGRAM: 0,
  EXPONENTIAL_HISTOGRAM: 1,
  GAUGE: 2,
  SUM: 3,
} as const);

interface OtlpMetricBase {
  readonly descriptor: OtlpMetricDescriptor;
  /** The SDK's `AggregationTemporality`: 0 delta, 1 cumulative. */
  readonly aggregationTemporality: number;
}

/** A sum (counter, up-down counter) metric. */
export interface OtlpSumMetric extends OtlpMetricBase {
  readonly dataPointType: 3;
  readonly dataPoints: readonly OtlpDataPoint<number>[];
  readonly isMonotonic: boolean;
}

/** A gauge metric. */
export interface OtlpGaugeMetric extends OtlpMetricBase {
  readonly dataPointType: 2;
  readonly dataPoints: readonly OtlpDataPoint<number>[];
}

/** An explicit-bucket histogram metric. */
export interface OtlpHistogramMetric extends OtlpMetricBase {
  readonly dataPointType: 0;
  readonly dataPoints: readonly OtlpDataPoint<OtlpHistogram>[];
}

/** An exponential histogram metric. */
export interface OtlpExponentialHistogramMetric extends OtlpMetricBase {
  readonly dataPointType: 1;
  readonly dataPoints: readonly OtlpDataPoint<OtlpExponentialHistogram>[];
}

/** An SDK `MetricData`. */
export type OtlpMetricData =
  | OtlpSumMetric
  | OtlpGaugeMetric
  | OtlpHistogramMetric
  | OtlpExponentialHistogramMetric;

/** An SDK `ScopeMetrics`. */
export interface OtlpScopeMetrics {
  readonly scope: OtlpScope;
  readonly metrics: readonly OtlpMetricData[];
}

/** An SDK `ResourceMetrics`: what a `PushMetricExporter` gets from its reader. */
export interface OtlpResourceMetrics {
  readonly resource: OtlpResource;
  readonly scopeMetrics: readonly OtlpScopeMetrics[];
}
