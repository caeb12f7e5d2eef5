import { exemplarAsInt, filteredAttributesOf, writableExemplars } from './exemplars.js';
import { ProtobufMessageCache } from './message-cache.js';
import type {
  OtlpDataPoint,
  OtlpExponentialBuckets,
  OtlpExponentialHistogram,
  OtlpHistogram,
  OtlpMetricData,
  OtlpResourceMetrics,
} from './metric-data.js';
import { DATA_POINT_TYPE } from './metric-data.js';
import { otlpTemporality } from './metric-temporality.js';
import { tag, writeKeyValues, writeResourceMessage, writeTime } from './protobuf-common.js';
import { ProtobufWriter } from './protobuf-writer.js';

const LEN = 2;
const VARINT = 0;
const I64 = 1;
const TWO_32 = 4_294_967_296;
const VALUE_TYPE_INT = 0;

/** A count as fixed64, split as the transformer splits it. */
function writeCount(w: ProtobufWriter, count: number): void {
  w.fixed64(count >>> 0, (count / TWO_32) >>> 0);
}

function writeOptionalDouble(w: ProtobufWriter, field: number, value: number | undefined): void {
  if (value === undefined) return;
  w.byte(tag(field, I64));
  w.double(value);
}

/**
 * The point's writable exemplars (`metrics.proto` `Exemplar`), each as field `field` of the point:
 * time, value (`as_int` or `as_double`), span and trace ids when it has them, filtered attributes.
 */
function writeExemplars(w: ProtobufWriter, point: object, field: number, valueType: number): void {
  const exemplars = writableExemplars(point);
  for (let i = 0; i < exemplars.length; i++) {
    const exemplar = exemplars[i]!;
    w.byte(tag(field, LEN));
    const start = w.begin(1);
    writeTime(w, 2, exemplar.time);
    if (exemplarAsInt(valueType, exemplar.value)) {
      w.byte(tag(6, I64));
      w.sfixed64(exemplar.value);
    } else {
      w.byte(tag(3, I64));
      w.double(exemplar.value);
    }
    if (exemplar.spanId !== undefined && exemplar.traceId !== undefined) {
      w.byte(tag(4, LEN));
      w.hex(exemplar.spanId);
      w.byte(tag(5, LEN));
      w.hex(exemplar.traceId);
    }
    writeKeyValues(w, filteredAttributesOf(exemplar), 7);
    w.end(start, 1);
  }
}

/** A `NumberDataPoint` (of a Sum or Gauge), tag included: field 1 of its container. */
function writeNumberPoint(
  w: ProtobufWriter,
  point: OtlpDataPoint<number>,
  valueType: number,
): void {
  w.byte(tag(1, LEN));
  const start = w.begin(2);
  writeTime(w, 2, point.startTime);
  writeTime(w, 3, point.endTime);
  if (valueType === VALUE_TYPE_INT) {
    w.byte(tag(6, I64));
    w.sfixed64(point.value);
  } else {
    w.byte(tag(4, I64));
    w.double(point.value);
  }
  if (point.attributes) writeKeyValues(w, point.attributes, 7);
  writeExemplars(w, point, 5, valueType);
  w.end(start, 2);
}

function writeHistogramPoint(
  w: ProtobufWriter,
  point: OtlpDataPoint<OtlpHistogram>,
  valueType: number,
): void {
  w.byte(tag(1, LEN));
  const start = w.begin(2);
  const histogram = point.value;
  writeTime(w, 2, point.startTime);
  writeTime(w, 3, point.endTime);
  w.byte(tag(4, I64));
  writeCount(w, histogram.count);
  writeOptionalDouble(w, 5, histogram.sum);
  const counts = histogram.buckets.counts;
  if (counts.length > 0) {
    w.byte(tag(6, LEN));
    w.varint(counts.length * 8);
    for (let i = 0; i < counts.length; i++) writeCount(w, counts[i]!);
  }
  const bounds = histogram.buckets.boundaries;
  if (bounds.length > 0) {
    w.byte(tag(7, LEN));
    w.varint(bounds.length * 8);
    for (let i = 0; i < bounds.length; i++) w.double(bounds[i]!);
  }
  if (point.attributes) writeKeyValues(w, point.attributes, 9);
  writeOptionalDouble(w, 11, histogram.min);
  writeOptionalDouble(w, 12, histogram.max);
  writeExemplars(w, point, 8, valueType);
  w.end(start, 2);
}

function writeExponentialBuckets(
  w: ProtobufWriter,
  field: number,
  buckets: OtlpExponentialBuckets,
) {
  w.byte(tag(field, LEN));
  const start = w.begin(1);
  if (buckets.offset !== 0) {
    w.byte(tag(1, VARINT));
    w.sint32(buckets.offset);
  }
  const counts = buckets.bucketCounts;
  if (counts.length > 0) {
    w.byte(tag(2, LEN));
    const packed = w.begin(1);
    for (let i = 0; i < counts.length; i++) w.varint(counts[i]!);
    w.end(packed, 1);
  }
  w.end(start, 1);
}

function writeExponentialPoint(
  w: ProtobufWriter,
  point: OtlpDataPoint<OtlpExponentialHistogram>,
  valueType: number,
): void {
  w.byte(tag(1, LEN));
  const start = w.begin(2);
  const histogram = point.value;
  if (point.attributes) writeKeyValues(w, point.attributes, 1);
  writeTime(w, 2, point.startTime);
  writeTime(w, 3, point.endTime);
  w.byte(tag(4, I64));
  writeCount(w, histogram.count);
  writeOptionalDouble(w, 5, histogram.sum);
  if (histogram.scale !== 0) {
    w.byte(tag(6, VARINT));
    w.sint32(histogram.scale);
  }
  w.byte(tag(7, I64));
  writeCount(w, histogram.zeroCount);
  writeExponentialBuckets(w, 8, histogram.positive);
  writeExponentialBuckets(w, 9, histogram.negative);
  writeOptionalDouble(w, 12, histogram.min);
  writeOptionalDouble(w, 13, histogram.max);
  writeExemplars(w, point, 11, valueType);
  w.end(start, 2);
}

/** `aggregation_temporality`, field 2 of Sum, Histogram and ExponentialHistogram, unless unset. */
function writeTemporality(w: ProtobufWriter, temporality: number): void {
  const value = otlpTemporality(temporality);
  if (value === 0) return;
  w.byte(tag(2, VARINT));
  w.varint(value);
}

/** One `Metric` message, tag included: field 2 of ScopeMetrics. */
function writeMetric(w: ProtobufWriter, metric: OtlpMetricData): void {
  w.byte(tag(2, LEN));
  const start = w.begin(3);
  const descriptor = metric.descriptor;
  const valueType = descriptor.valueType;
  w.byte(tag(1, LEN));
  w.string(descriptor.name);
  if (descriptor.description) {
    w.byte(tag(2, LEN));
    w.string(descriptor.description);
  }
  if (descriptor.unit) {
    w.byte(tag(3, LEN));
    w.string(descriptor.unit);
  }
  switch (metric.dataPointType) {
    case DATA_POINT_TYPE.GAUGE: {
      w.byte(tag(5, LEN));
      const gauge = w.begin(3);
      const points = metric.dataPoints;
      for (let i = 0; i < points.length; i++) writeNumberPoint(w, points[i]!, valueType);
      w.end(gauge, 3);
      break;
    }
    case DATA_POINT_TYPE.SUM: {
      w.byte(tag(7, LEN));
      const sum = w.begin(3);
      const points = metric.dataPoints;
      for (let i = 0; i < points.length; i++) writeNumberPoint(w, points[i]!, valueType);
      writeTemporality(w, metric.aggregationTemporality);
      if (metric.isMonotonic) {
        w.byte(tag(3, VARINT));
        w.byte(1);
      }
      w.end(sum, 3);
      break;
    }
    case DATA_POINT_TYPE.HISTOGRAM: {
      w.byte(tag(9, LEN));
      const histogram = w.begin(3);
      const points = metric.dataPoints;
      for (let i = 0; i < points.length; i++) writeHistogramPoint(w, points[i]!, valueType);
      writeTemporality(w, metric.aggregationTemporality);
      w.end(histogram, 3);
      break;
    }
    case DATA_POINT_TYPE.EXPONENTIAL_HISTOGRAM: {
      w.byte(tag(10, LEN));
      const histogram = w.begin(3);
      const points = metric.dataPoints;
      for (let i = 0; i < points.length; i++) writeExponentialPoint(w, points[i]!, valueType);
      writeTemporality(w, metric.aggregationTemporality);
      w.end(histogram, 3);
      break;
    }
  }
  w.end(start, 3);
}

/**
 * Encodes the SDK's `ResourceMetrics` (what a `PushMetricExporter` gets) as an OTLP
 * `ExportMetricsServiceRequest` in protobuf, into one buffer reused from export to export, with
 * the resource and scopes encoded once (as {@link ProtobufTraceEncoder} does spans). For points
 * without exemplars the bytes are those of `ProtobufMetricsSerializer`
 * (`@opentelemetry/otlp-transformer` 0.301), which writes no exemplars; the `exemplars` a point
 * carries (see `OtlpExemplar`) are written as OTLP `Exemplar` messages, the bad ones dropped.
 */
export class ProtobufMetricsEncoder {
  private readonly writer = new ProtobufWriter();
  private readonly cache = new ProtobufMessageCache();

  /** The request for `metrics` (one `ResourceMetrics`, or several), as a Buffer of its own. */
  encode(metrics: OtlpResourceMetrics | readonly OtlpResourceMetrics[]): Buffer {
    this.write(metrics);
    return this.writer.copy();
  }

  /** The request as a view into the reused buffer: valid only until the next call. */
  encodeShared(metrics: OtlpResourceMetrics | readonly OtlpResourceMetrics[]): Buffer {
    this.write(metrics);
    return this.writer.view();
  }

  private write(metrics: OtlpResourceMetrics | readonly OtlpResourceMetrics[]): void {
    const w = this.writer;
    w.reset();
    const list: readonly OtlpResourceMetrics[] = Array.isArray(metrics)
      ? metrics
      : [metrics as OtlpResourceMetrics];
    for (let r = 0; r < list.length; r++) {
      const { resource, scopeMetrics } = list[r]!;
      // ResourceMetrics, field 1 of the request.
      writeResourceMessage(
        w,
        this.cache,
        resource,
        scopeMetrics.map(({ scope, metrics: scopeList }) => [scope, scopeList] as const),
        writeMetric,
      );
    }
  }
}
