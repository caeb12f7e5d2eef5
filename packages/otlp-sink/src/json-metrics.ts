import type { MetricData, PointBase } from './builders.js';
import {
  buildExemplar,
  buildMetric,
  exponentialPoint,
  histogramPoint,
  numberPoint,
  summaryPoint,
  withExemplars,
} from './builders.js';
import type { JsonObject } from './json-common.js';
import {
  boolean,
  double,
  enumValue,
  forEachItem,
  get,
  hexId,
  int32,
  int64,
  keyValues,
  list,
  object,
  objects,
  optionalDouble,
  string,
} from './json-common.js';
import { TEMPORALITY_NUMBERS } from './normalize.js';
import type { SinkExemplar, SinkMetric, SinkPoint } from './types.js';

const DATA_FIELDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'] as const;

/** Decodes an OTLP/JSON `ExportMetricsServiceRequest` (already parsed). */
export function decodeMetricsJson(request: unknown): SinkMetric[] {
  const metrics: SinkMetric[] = [];
  const names = { resources: 'resourceMetrics', scopes: 'scopeMetrics', items: 'metrics' };
  forEachItem(request, names, (m, path, context) => {
    const type = DATA_FIELDS.find((name) => get(m, name) !== undefined);
    // A metric with no data carries nothing to assert: skipped, as in the protobuf decoder.
    if (type === undefined) return;
    const dataPath = `${path}.${type}`;
    const data = object(get(m, type), dataPath) ?? {};
    const readPoint = POINT_READERS[type];
    const decoded: MetricData = {
      type,
      points: objects(get(data, 'dataPoints'), `${dataPath}.dataPoints`).map((p, i) =>
        readPoint(p, `${dataPath}.dataPoints[${i}]`),
      ),
    };
    if (type === 'sum')
      decoded.monotonic = boolean(get(data, 'isMonotonic'), `${dataPath}.isMonotonic`);
    if (type === 'sum' || type === 'histogram' || type === 'exponentialHistogram') {
      decoded.temporality = enumValue(
        get(data, 'aggregationTemporality'),
        `${dataPath}.aggregationTemporality`,
        TEMPORALITY_NUMBERS,
      );
    }
    metrics.push(
      buildMetric(
        string(get(m, 'name'), `${path}.name`),
        string(get(m, 'description'), `${path}.description`),
        string(get(m, 'unit'), `${path}.unit`),
        decoded,
        context,
      ),
    );
  });
  return metrics;
}

function base(p: JsonObject, path: string): PointBase {
  return {
    attributes: keyValues(get(p, 'attributes'), `${path}.attributes`),
    start: int64(get(p, 'startTimeUnixNano'), `${path}.startTimeUnixNano`),
    time: int64(get(p, 'timeUnixNano'), `${path}.timeUnixNano`),
  };
}

/** `asInt` or `asDouble` of a point or an exemplar; `undefined` for neither. */
function numberValue(p: JsonObject, path: string): bigint | number | undefined {
  const asInt = get(p, 'asInt');
  const asDouble = get(p, 'asDouble');
  return asInt !== undefined
    ? int64(asInt, `${path}.asInt`)
    : asDouble !== undefined
      ? double(asDouble, `${path}.asDouble`)
      : undefined;
}

/** A point's `exemplars` (ids in hex, as OTLP/JSON has them). */
function exemplarsJson(p: JsonObject, path: string): SinkExemplar[] {
  return objects(get(p, 'exemplars'), `${path}.exemplars`).map((e, i) => {
    const at = `${path}.exemplars[${i}]`;
    return buildExemplar({
      time: int64(get(e, 'timeUnixNano'), `${at}.timeUnixNano`),
      value: numberValue(e, at),
      traceId: hexId(get(e, 'traceId'), `${at}.traceId`, 16),
      spanId: hexId(get(e, 'spanId'), `${at}.spanId`, 8),
      filteredAttributes: keyValues(get(e, 'filteredAttributes'), `${at}.filteredAttributes`),
    });
  });
}

function numberPointJson(p: JsonObject, path: string): SinkPoint {
  return withExemplars(numberPoint(base(p, path), numberValue(p, path)), exemplarsJson(p, path));
}

function histogramPointJson(p: JsonObject, path: string): SinkPoint {
  const point = histogramPoint(base(p, path), {
    count: int64(get(p, 'count'), `${path}.count`),
    sum: optionalDouble(get(p, 'sum'), `${path}.sum`),
    min: optionalDouble(get(p, 'min'), `${path}.min`),
    max: optionalDouble(get(p, 'max'), `${path}.max`),
    bucketCounts: list(get(p, 'bucketCounts'), `${path}.bucketCounts`).map((c, i) =>
      int64(c, `${path}.bucketCounts[${i}]`),
    ),
    explicitBounds: list(get(p, 'explicitBounds'), `${path}.explicitBounds`).map((b, i) =>
      double(b, `${path}.explicitBounds[${i}]`),
    ),
  });
  return withExemplars(point, exemplarsJson(p, path));
}

function bucketsJson(
  value: unknown,
  path: string,
): { offset: number; bucketCounts: bigint[] } | undefined {
  const o = object(value, path);
  if (!o) return undefined;
  return {
    offset: int32(get(o, 'offset'), `${path}.offset`),
    bucketCounts: list(get(o, 'bucketCounts'), `${path}.bucketCounts`).map((c, i) =>
      int64(c, `${path}.bucketCounts[${i}]`),
    ),
  };
}

function exponentialPointJson(p: JsonObject, path: string): SinkPoint {
  const point = exponentialPoint(base(p, path), {
    count: int64(get(p, 'count'), `${path}.count`),
    sum: optionalDouble(get(p, 'sum'), `${path}.sum`),
    min: optionalDouble(get(p, 'min'), `${path}.min`),
    max: optionalDouble(get(p, 'max'), `${path}.max`),
    scale: int32(get(p, 'scale'), `${path}.scale`),
    zeroCount: int64(get(p, 'zeroCount'), `${path}.zeroCount`),
    positive: bucketsJson(get(p, 'positive'), `${path}.positive`),
    negative: bucketsJson(get(p, 'negative'), `${path}.negative`),
  });
  return withExemplars(point, exemplarsJson(p, path));
}

function summaryPointJson(p: JsonObject, path: string): SinkPoint {
  return summaryPoint(
    base(p, path),
    int64(get(p, 'count'), `${path}.count`),
    double(get(p, 'sum'), `${path}.sum`),
    objects(get(p, 'quantileValues'), `${path}.quantileValues`).map((q, i) => ({
      quantile: double(get(q, 'quantile'), `${path}.quantileValues[${i}].quantile`),
      value: double(get(q, 'value'), `${path}.quantileValues[${i}].value`),
    })),
  );
}

const POINT_READERS: Record<
  (typeof DATA_FIELDS)[number],
  (p: JsonObject, path: string) => SinkPoint
> = {
  gauge: numberPointJson,
  sum: numberPointJson,
  histogram: histogramPointJson,
  exponentialHistogram: exponentialPointJson,
  summary: summaryPointJson,
};
