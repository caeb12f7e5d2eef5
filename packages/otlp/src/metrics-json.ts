import { exemplarAsInt, filteredAttributesOf, writableExemplars } from './exemplars.js';
import { OtlpJsonWriter } from './json-common.js';
import { CLOSE_BRACE, CLOSE_BRACKET, COMMA, OPEN_BRACKET, utf8 } from './json-writer.js';
import { JsonMessageCache } from './message-cache.js';
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

// The fixed text of a request, in the order the transformer's objects have their keys.
const REQUEST = utf8('{"resourceMetrics":[');
const RESOURCE = utf8('{"resource":');
const SCHEMA_URL = utf8(',"schemaUrl":');
const SCOPE_METRICS = utf8(',"scopeMetrics":[');
const SCOPE = utf8('{"scope":');
const METRICS = utf8(',"metrics":[');
const NAME = utf8('{"name":');
const DESCRIPTION = utf8(',"description":');
const UNIT = utf8(',"unit":');
const SUM = utf8(',"sum":{');
const GAUGE = utf8(',"gauge":{');
const HISTOGRAM = utf8(',"histogram":{');
const EXPONENTIAL_HISTOGRAM = utf8(',"exponentialHistogram":{');
const TEMPORALITY = utf8('"aggregationTemporality":');
const IS_MONOTONIC = utf8('"isMonotonic":');
const DATA_POINTS = utf8('"dataPoints":[');
const ATTRIBUTES = utf8('{"attributes":');
const START_TIME = utf8(',"startTimeUnixNano":');
const TIME = utf8(',"timeUnixNano":');
const AS_INT = utf8(',"asInt":');
const AS_DOUBLE = utf8(',"asDouble":');
const BUCKET_COUNTS = utf8(',"bucketCounts":');
const EXPLICIT_BOUNDS = utf8(',"explicitBounds":');
const COUNT = utf8(',"count":');
const SUM_FIELD = utf8(',"sum":');
const MIN = utf8(',"min":');
const MAX = utf8(',"max":');
const POSITIVE = utf8(',"positive":{"offset":');
const NEGATIVE = utf8(',"negative":{"offset":');
const SCALE = utf8(',"scale":');
const ZERO_COUNT = utf8(',"zeroCount":');
const EXEMPLARS = utf8(',"exemplars":[');
const FILTERED_ATTRIBUTES = utf8('{"filteredAttributes":');
const SPAN_ID = utf8(',"spanId":');
const TRACE_ID = utf8(',"traceId":');
const REQUEST_END = utf8(']}');

const VALUE_TYPE_INT = 0;
const VALUE_TYPE_DOUBLE = 1;

/** A JSON array of numbers (`null` for NaN, the infinities and holes, as `JSON.stringify`). */
function writeNumbers(w: OtlpJsonWriter, values: readonly number[]): void {
  w.byte(OPEN_BRACKET);
  for (let i = 0; i < values.length; i++) {
    if (i > 0) w.byte(COMMA);
    w.value(values[i]);
  }
  w.byte(CLOSE_BRACKET);
}

/** `,"exemplars":[…]` when the point has writable exemplars; nothing otherwise. */
function writeExemplars(w: OtlpJsonWriter, point: object, valueType: number): void {
  const exemplars = writableExemplars(point);
  if (exemplars.length === 0) return;
  w.raw(EXEMPLARS);
  for (let i = 0; i < exemplars.length; i++) {
    const exemplar = exemplars[i]!;
    if (i > 0) w.byte(COMMA);
    w.raw(FILTERED_ATTRIBUTES);
    w.keyValues(filteredAttributesOf(exemplar));
    w.raw(TIME);
    w.time(exemplar.time);
    w.raw(exemplarAsInt(valueType, exemplar.value) ? AS_INT : AS_DOUBLE);
    w.number(exemplar.value);
    if (exemplar.spanId !== undefined && exemplar.traceId !== undefined) {
      // OTLP/JSON ids are hex (not base64), lowercase.
      w.raw(SPAN_ID);
      w.string(exemplar.spanId.toLowerCase());
      w.raw(TRACE_ID);
      w.string(exemplar.traceId.toLowerCase());
    }
    w.byte(CLOSE_BRACE);
  }
  w.byte(CLOSE_BRACKET);
}

/** `{"attributes":[…]`, which every point starts with. */
function writePointStart(w: OtlpJsonWriter, point: OtlpDataPoint<unknown>): void {
  w.raw(ATTRIBUTES);
  w.keyValues(point.attributes);
}

/** `,"startTimeUnixNano":…,"timeUnixNano":…`. */
function writeTimes(w: OtlpJsonWriter, point: OtlpDataPoint<unknown>): void {
  w.raw(START_TIME);
  w.time(point.startTime);
  w.raw(TIME);
  w.time(point.endTime);
}

function writeNumberPoint(w: OtlpJsonWriter, point: OtlpDataPoint<number>, valueType: number) {
  writePointStart(w, point);
  writeTimes(w, point);
  if (valueType === VALUE_TYPE_INT) w.field(AS_INT, point.value);
  else if (valueType === VALUE_TYPE_DOUBLE) w.field(AS_DOUBLE, point.value);
  writeExemplars(w, point, valueType);
  w.byte(CLOSE_BRACE);
}

function writeHistogramPoint(
  w: OtlpJsonWriter,
  point: OtlpDataPoint<OtlpHistogram>,
  valueType: number,
): void {
  const histogram = point.value;
  writePointStart(w, point);
  w.raw(BUCKET_COUNTS);
  writeNumbers(w, histogram.buckets.counts);
  w.raw(EXPLICIT_BOUNDS);
  writeNumbers(w, histogram.buckets.boundaries);
  w.field(COUNT, histogram.count);
  w.field(SUM_FIELD, histogram.sum);
  w.field(MIN, histogram.min);
  w.field(MAX, histogram.max);
  writeTimes(w, point);
  writeExemplars(w, point, valueType);
  w.byte(CLOSE_BRACE);
}

function writeBuckets(w: OtlpJsonWriter, name: Uint8Array, buckets: OtlpExponentialBuckets) {
  w.raw(name);
  w.value(buckets.offset);
  w.raw(BUCKET_COUNTS);
  writeNumbers(w, buckets.bucketCounts);
  w.byte(CLOSE_BRACE);
}

function writeExponentialPoint(
  w: OtlpJsonWriter,
  point: OtlpDataPoint<OtlpExponentialHistogram>,
  valueType: number,
): void {
  const histogram = point.value;
  writePointStart(w, point);
  w.field(COUNT, histogram.count);
  w.field(MIN, histogram.min);
  w.field(MAX, histogram.max);
  w.field(SUM_FIELD, histogram.sum);
  writeBuckets(w, POSITIVE, histogram.positive);
  writeBuckets(w, NEGATIVE, histogram.negative);
  w.field(SCALE, histogram.scale);
  w.field(ZERO_COUNT, histogram.zeroCount);
  writeTimes(w, point);
  writeExemplars(w, point, valueType);
  w.byte(CLOSE_BRACE);
}

/** `"aggregationTemporality":n,` unless the temporality is unknown (the transformer leaves it out). */
function writeTemporality(w: OtlpJsonWriter, temporality: number): void {
  const value = otlpTemporality(temporality);
  if (value === 0) return;
  w.raw(TEMPORALITY);
  w.unsigned(value);
  w.byte(COMMA);
}

function writePoints<T>(
  w: OtlpJsonWriter,
  points: readonly OtlpDataPoint<T>[],
  valueType: number,
  write: (w: OtlpJsonWriter, point: OtlpDataPoint<T>, valueType: number) => void,
): void {
  w.raw(DATA_POINTS);
  for (let i = 0; i < points.length; i++) {
    if (i > 0) w.byte(COMMA);
    write(w, points[i]!, valueType);
  }
  w.byte(CLOSE_BRACKET);
  w.byte(CLOSE_BRACE);
}

function writeMetric(w: OtlpJsonWriter, metric: OtlpMetricData): void {
  const descriptor = metric.descriptor;
  const valueType = descriptor.valueType;
  w.raw(NAME);
  w.value(descriptor.name);
  w.field(DESCRIPTION, descriptor.description);
  w.field(UNIT, descriptor.unit);
  switch (metric.dataPointType) {
    case DATA_POINT_TYPE.SUM:
      w.raw(SUM);
      writeTemporality(w, metric.aggregationTemporality);
      if (metric.isMonotonic !== undefined) {
        w.raw(IS_MONOTONIC);
        w.value(metric.isMonotonic);
        w.byte(COMMA);
      }
      writePoints(w, metric.dataPoints, valueType, writeNumberPoint);
      break;
    case DATA_POINT_TYPE.GAUGE:
      w.raw(GAUGE);
      writePoints(w, metric.dataPoints, valueType, writeNumberPoint);
      break;
    case DATA_POINT_TYPE.HISTOGRAM:
      w.raw(HISTOGRAM);
      writeTemporality(w, metric.aggregationTemporality);
      writePoints(w, metric.dataPoints, valueType, writeHistogramPoint);
      break;
    case DATA_POINT_TYPE.EXPONENTIAL_HISTOGRAM:
      w.raw(EXPONENTIAL_HISTOGRAM);
      writeTemporality(w, metric.aggregationTemporality);
      writePoints(w, metric.dataPoints, valueType, writeExponentialPoint);
      break;
  }
  w.byte(CLOSE_BRACE);
}

/**
 * Encodes the SDK's `ResourceMetrics` as an OTLP/JSON `ExportMetricsServiceRequest`, the JSON of
 * the stock `@opentelemetry/exporter-metrics-otlp-http` (`JsonMetricsSerializer`) for points
 * without exemplars, written as UTF-8 straight into one reused buffer as {@link JsonTraceEncoder}
 * writes spans. The `exemplars` a point carries are written after its other fields (ids in hex).
 */
export class JsonMetricsEncoder {
  private readonly writer = new OtlpJsonWriter();
  private readonly cache = new JsonMessageCache();

  /** The request for `metrics` (one `ResourceMetrics`, or several), UTF-8, as a Buffer of its own. */
  encode(metrics: OtlpResourceMetrics | readonly OtlpResourceMetrics[]): Buffer {
    this.write(metrics);
    return this.writer.copy();
  }

  /** The request for `metrics` as a JSON string. */
  encodeString(metrics: OtlpResourceMetrics | readonly OtlpResourceMetrics[]): string {
    this.write(metrics);
    return this.writer.view().toString('utf8');
  }

  private write(metrics: OtlpResourceMetrics | readonly OtlpResourceMetrics[]): void {
    const w = this.writer;
    w.reset();
    w.raw(REQUEST);
    const list: readonly OtlpResourceMetrics[] = Array.isArray(metrics)
      ? metrics
      : [metrics as OtlpResourceMetrics];
    for (let r = 0; r < list.length; r++) {
      const { resource, scopeMetrics } = list[r]!;
      if (r > 0) w.byte(COMMA);
      w.raw(RESOURCE);
      w.raw(this.cache.resource(resource));
      if (resource.schemaUrl) w.field(SCHEMA_URL, resource.schemaUrl);
      w.raw(SCOPE_METRICS);
      for (let s = 0; s < scopeMetrics.length; s++) {
        const { scope, metrics: scopeList } = scopeMetrics[s]!;
        if (s > 0) w.byte(COMMA);
        w.raw(SCOPE);
        w.raw(this.cache.scope(scope));
        w.raw(METRICS);
        for (let i = 0; i < scopeList.length; i++) {
          if (i > 0) w.byte(COMMA);
          writeMetric(w, scopeList[i]!);
        }
        w.byte(CLOSE_BRACKET);
        w.field(SCHEMA_URL, scope.schemaUrl);
        w.byte(CLOSE_BRACE);
      }
      w.byte(CLOSE_BRACKET);
      w.byte(CLOSE_BRACE);
    }
    w.raw(REQUEST_END);
  }
}
