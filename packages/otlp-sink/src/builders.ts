import type { ItemContext } from './normalize.js';
import { spanKindName, statusCodeName, temporalityName } from './normalize.js';
import type {
  SinkAttributes,
  SinkExemplar,
  SinkExponentialBuckets,
  SinkLogRecord,
  SinkMetric,
  SinkMetricType,
  SinkPoint,
  SinkSpan,
  SinkSpanEvent,
  SinkSpanLink,
} from './types.js';

// The protobuf and JSON decoders both end here, so equal data gives equal objects whatever the
// encoding: empty optional fields are left out the same way, enums are named the same way.

export function buildLink(
  traceId: string,
  spanId: string,
  traceState: string,
  attributes: SinkAttributes,
): SinkSpanLink {
  const link: SinkSpanLink = { traceId, spanId, attributes };
  if (traceState !== '') link.traceState = traceState;
  return link;
}

export interface SpanFields {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  flags: number | undefined;
  name: string;
  kind: number;
  start: bigint;
  end: bigint;
  attributes: SinkAttributes;
  events: SinkSpanEvent[];
  links: SinkSpanLink[];
  statusCode: number;
  statusMessage: string;
  context: ItemContext;
}

export function buildSpan(f: SpanFields): SinkSpan {
  const span: SinkSpan = {
    traceId: f.traceId,
    spanId: f.spanId,
    name: f.name,
    kind: spanKindName(f.kind),
    startTimeUnixNano: f.start,
    endTimeUnixNano: f.end,
    attributes: f.attributes,
    status: { code: statusCodeName(f.statusCode) },
    events: f.events,
    links: f.links,
    resource: f.context.resource,
    scope: f.context.scope,
  };
  if (f.parentSpanId !== '') span.parentSpanId = f.parentSpanId;
  if (f.traceState !== '') span.traceState = f.traceState;
  if (f.flags !== undefined) span.flags = f.flags;
  if (f.statusMessage !== '') span.status.message = f.statusMessage;
  return span;
}

/** The fields every data point has. */
export interface PointBase {
  attributes: SinkAttributes;
  start: bigint;
  time: bigint;
}

function basePoint(base: PointBase): SinkPoint {
  return { attributes: base.attributes, startTimeUnixNano: base.start, timeUnixNano: base.time };
}

// 64-bit counts are read exactly, then shown as numbers: a test compares them with literals.
const num = (value: bigint): number => Number(value);

export function numberPoint(base: PointBase, value: number | bigint | undefined): SinkPoint {
  const point = basePoint(base);
  if (value !== undefined) point.value = Number(value);
  return point;
}

export interface HistogramFields {
  count: bigint;
  sum: number | undefined;
  min: number | undefined;
  max: number | undefined;
  bucketCounts: bigint[];
  explicitBounds: number[];
}

export function histogramPoint(base: PointBase, h: HistogramFields): SinkPoint {
  const point = basePoint(base);
  point.count = num(h.count);
  setOptionalStats(point, h);
  point.bucketCounts = h.bucketCounts.map(num);
  point.explicitBounds = h.explicitBounds;
  return point;
}

export interface ExponentialFields {
  count: bigint;
  sum: number | undefined;
  min: number | undefined;
  max: number | undefined;
  scale: number;
  zeroCount: bigint;
  positive: { offset: number; bucketCounts: bigint[] } | undefined;
  negative: { offset: number; bucketCounts: bigint[] } | undefined;
}

function buckets(from: ExponentialFields['positive']): SinkExponentialBuckets {
  return { offset: from?.offset ?? 0, bucketCounts: (from?.bucketCounts ?? []).map(num) };
}

export function exponentialPoint(base: PointBase, e: ExponentialFields): SinkPoint {
  const point = basePoint(base);
  point.count = num(e.count);
  setOptionalStats(point, e);
  point.scale = e.scale;
  point.zeroCount = num(e.zeroCount);
  point.positive = buckets(e.positive);
  point.negative = buckets(e.negative);
  return point;
}

function setOptionalStats(
  point: SinkPoint,
  stats: { sum: number | undefined; min: number | undefined; max: number | undefined },
): void {
  if (stats.sum !== undefined) point.sum = stats.sum;
  if (stats.min !== undefined) point.min = stats.min;
  if (stats.max !== undefined) point.max = stats.max;
}

export function summaryPoint(
  base: PointBase,
  count: bigint,
  sum: number,
  quantiles: { quantile: number; value: number }[],
): SinkPoint {
  const point = basePoint(base);
  point.count = num(count);
  point.sum = sum;
  point.quantiles = quantiles;
  return point;
}

export interface ExemplarFields {
  time: bigint;
  value: number | bigint | undefined;
  traceId: string;
  spanId: string;
  filteredAttributes: SinkAttributes;
}

export function buildExemplar(f: ExemplarFields): SinkExemplar {
  const exemplar: SinkExemplar = {
    timeUnixNano: f.time,
    filteredAttributes: f.filteredAttributes,
  };
  if (f.value !== undefined) exemplar.value = Number(f.value);
  if (f.traceId !== '') exemplar.traceId = f.traceId;
  if (f.spanId !== '') exemplar.spanId = f.spanId;
  return exemplar;
}

/** The point with its exemplars, set only when there are some (so other points stay as they were). */
export function withExemplars(point: SinkPoint, exemplars: SinkExemplar[]): SinkPoint {
  if (exemplars.length > 0) point.exemplars = exemplars;
  return point;
}

export interface MetricData {
  type: SinkMetricType;
  points: SinkPoint[];
  /** Only for sums. */
  monotonic?: boolean;
  /** For sums and (exponential) histograms. */
  temporality?: number;
}

export function buildMetric(
  name: string,
  description: string,
  unit: string,
  data: MetricData,
  context: ItemContext,
): SinkMetric {
  const metric: SinkMetric = {
    name,
    description,
    unit,
    type: data.type,
    points: data.points,
    resource: context.resource,
    scope: context.scope,
  };
  if (data.type === 'sum') metric.monotonic = data.monotonic ?? false;
  if (data.temporality !== undefined) metric.temporality = temporalityName(data.temporality);
  return metric;
}

export interface LogFields {
  time: bigint;
  observedTime: bigint;
  severityNumber: number;
  severityText: string;
  body: unknown;
  attributes: SinkAttributes;
  traceId: string;
  spanId: string;
  flags: number;
  eventName: string;
  context: ItemContext;
}

export function buildLogRecord(f: LogFields): SinkLogRecord {
  const record: SinkLogRecord = {
    timeUnixNano: f.time,
    observedTimeUnixNano: f.observedTime,
    severityNumber: f.severityNumber,
    body: f.body,
    attributes: f.attributes,
    resource: f.context.resource,
    scope: f.context.scope,
  };
  if (f.severityText !== '') record.severityText = f.severityText;
  if (f.traceId !== '') record.traceId = f.traceId;
  if (f.spanId !== '') record.spanId = f.spanId;
  if (f.traceId !== '' || f.flags !== 0) record.traceFlags = f.flags & 0xff;
  if (f.eventName !== '') record.eventName = f.eventName;
  return record;
}
