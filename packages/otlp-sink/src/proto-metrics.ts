import type { ExponentialFields, HistogramFields, MetricData, PointBase } from './builders.js';
import {
  buildExemplar,
  buildMetric,
  exponentialPoint,
  histogramPoint,
  numberPoint,
  summaryPoint,
  withExemplars,
} from './builders.js';
import type { ItemContext } from './normalize.js';
import { toHex } from './normalize.js';
import { readId, readKeyValueInto, readResource, readScope } from './proto-common.js';
import { ProtobufReader } from './protobuf-reader.js';
import type { SinkAttributes, SinkExemplar, SinkMetric, SinkPoint } from './types.js';

// Field numbers from opentelemetry/proto/metrics/v1/metrics.proto and
// collector/metrics/v1/metrics_service.proto.

/** Decodes an `ExportMetricsServiceRequest`. */
export function decodeMetricsProtobuf(body: Uint8Array): SinkMetric[] {
  const metrics: SinkMetric[] = [];
  const request = new ProtobufReader(body, 'ExportMetricsServiceRequest');
  request.forEachField((field, wire) => {
    if (field === 1) readResourceMetrics(request.message(wire, 'resource_metrics'), metrics);
  });
  return metrics;
}

function readResourceMetrics(reader: ProtobufReader, out: SinkMetric[]): void {
  let resource: SinkAttributes = {};
  const blocks: ProtobufReader[] = [];
  reader.forEachField((field, wire) => {
    if (field === 1) resource = readResource(reader.message(wire, 'resource'));
    else if (field === 2) blocks.push(reader.message(wire, 'scope_metrics'));
  });
  for (const block of blocks) {
    const context: ItemContext = { resource, scope: { name: '' } };
    const metrics: ProtobufReader[] = [];
    block.forEachField((field, wire) => {
      if (field === 1) context.scope = readScope(block.message(wire, 'scope'));
      else if (field === 2) metrics.push(block.message(wire, 'metrics'));
    });
    for (const metric of metrics) {
      const decoded = readMetric(metric, context);
      if (decoded) out.push(decoded);
    }
  }
}

/** A metric with no data (none of gauge, sum, histogram, ...) carries nothing to assert: skipped. */
function readMetric(reader: ProtobufReader, context: ItemContext): SinkMetric | undefined {
  let name = '';
  let description = '';
  let unit = '';
  let data: MetricData | undefined;
  reader.forEachField((field, wire) => {
    switch (field) {
      case 1:
        name = reader.string(wire, 'name');
        break;
      case 2:
        description = reader.string(wire, 'description');
        break;
      case 3:
        unit = reader.string(wire, 'unit');
        break;
      case 5:
        data = readData(reader.message(wire, 'gauge'), 'gauge', readNumberPoint);
        break;
      case 7:
        data = readData(reader.message(wire, 'sum'), 'sum', readNumberPoint);
        break;
      case 9:
        data = readData(reader.message(wire, 'histogram'), 'histogram', readHistogramPoint);
        break;
      case 10:
        data = readData(
          reader.message(wire, 'exponential_histogram'),
          'exponentialHistogram',
          readExponentialPoint,
        );
        break;
      case 11:
        data = readData(reader.message(wire, 'summary'), 'summary', readSummaryPoint);
        break;
    }
  });
  return data && buildMetric(name, description, unit, data, context);
}

function readData(
  reader: ProtobufReader,
  type: MetricData['type'],
  readPoint: (point: ProtobufReader) => SinkPoint,
): MetricData {
  const data: MetricData = { type, points: [] };
  if (type === 'sum') data.monotonic = false;
  if (type === 'sum' || type === 'histogram' || type === 'exponentialHistogram')
    data.temporality = 0;
  reader.forEachField((field, wire) => {
    if (field === 1) data.points.push(readPoint(reader.message(wire, 'data_points')));
    else if (field === 2 && data.temporality !== undefined)
      data.temporality = reader.int32(wire, 'aggregation_temporality');
    else if (field === 3 && type === 'sum') data.monotonic = reader.bool(wire, 'is_monotonic');
  });
  return data;
}

/** Reads the common point fields, whose numbers differ per point type. */
function readBase(
  reader: ProtobufReader,
  field: number,
  wire: number,
  base: PointBase,
  attributesField: number,
): boolean {
  if (field === attributesField)
    readKeyValueInto(reader.message(wire, 'attributes'), base.attributes);
  else if (field === 2) base.start = reader.fixed64(wire, 'start_time_unix_nano');
  else if (field === 3) base.time = reader.fixed64(wire, 'time_unix_nano');
  else return false;
  return true;
}

const newBase = (): PointBase => ({ attributes: {}, start: 0n, time: 0n });

/** An `Exemplar` message (field 5, 8 or 11 of its point). */
function readExemplar(reader: ProtobufReader): SinkExemplar {
  let time = 0n;
  let value: number | bigint | undefined;
  let spanId = '';
  let traceId = '';
  const filteredAttributes: SinkAttributes = {};
  reader.forEachField((field, wire) => {
    if (field === 2) time = reader.fixed64(wire, 'time_unix_nano');
    else if (field === 3) value = reader.double(wire, 'as_double');
    else if (field === 6) value = reader.sfixed64(wire, 'as_int');
    else if (field === 4) spanId = toHex(readId(reader, wire, 'span_id', 8));
    else if (field === 5) traceId = toHex(readId(reader, wire, 'trace_id', 16));
    else if (field === 7)
      readKeyValueInto(reader.message(wire, 'filtered_attributes'), filteredAttributes);
  });
  return buildExemplar({ time, value, traceId, spanId, filteredAttributes });
}

function readNumberPoint(reader: ProtobufReader): SinkPoint {
  const base = newBase();
  let value: number | bigint | undefined;
  const exemplars: SinkExemplar[] = [];
  reader.forEachField((field, wire) => {
    if (readBase(reader, field, wire, base, 7)) return;
    if (field === 4) value = reader.double(wire, 'as_double');
    else if (field === 6) value = reader.sfixed64(wire, 'as_int');
    else if (field === 5) exemplars.push(readExemplar(reader.message(wire, 'exemplars')));
  });
  return withExemplars(numberPoint(base, value), exemplars);
}

function readHistogramPoint(reader: ProtobufReader): SinkPoint {
  const base = newBase();
  const h: HistogramFields = {
    count: 0n,
    sum: undefined,
    min: undefined,
    max: undefined,
    bucketCounts: [],
    explicitBounds: [],
  };
  const exemplars: SinkExemplar[] = [];
  reader.forEachField((field, wire) => {
    if (readBase(reader, field, wire, base, 9)) return;
    if (field === 4) h.count = reader.fixed64(wire, 'count');
    else if (field === 5) h.sum = reader.double(wire, 'sum');
    else if (field === 6) reader.repeatedFixed64(wire, 'bucket_counts', h.bucketCounts);
    else if (field === 7) reader.repeatedDouble(wire, 'explicit_bounds', h.explicitBounds);
    else if (field === 11) h.min = reader.double(wire, 'min');
    else if (field === 12) h.max = reader.double(wire, 'max');
    else if (field === 8) exemplars.push(readExemplar(reader.message(wire, 'exemplars')));
  });
  return withExemplars(histogramPoint(base, h), exemplars);
}

function readBuckets(reader: ProtobufReader): { offset: number; bucketCounts: bigint[] } {
  const buckets = { offset: 0, bucketCounts: [] as bigint[] };
  reader.forEachField((field, wire) => {
    if (field === 1) buckets.offset = reader.sint32(wire, 'offset');
    else if (field === 2) reader.repeatedVarint(wire, 'bucket_counts', buckets.bucketCounts);
  });
  return buckets;
}

function readExponentialPoint(reader: ProtobufReader): SinkPoint {
  const base = newBase();
  const e: ExponentialFields = {
    count: 0n,
    sum: undefined,
    min: undefined,
    max: undefined,
    scale: 0,
    zeroCount: 0n,
    positive: undefined,
    negative: undefined,
  };
  const exemplars: SinkExemplar[] = [];
  reader.forEachField((field, wire) => {
    if (readBase(reader, field, wire, base, 1)) return;
    if (field === 4) e.count = reader.fixed64(wire, 'count');
    else if (field === 5) e.sum = reader.double(wire, 'sum');
    else if (field === 6) e.scale = reader.sint32(wire, 'scale');
    else if (field === 7) e.zeroCount = reader.fixed64(wire, 'zero_count');
    else if (field === 8) e.positive = readBuckets(reader.message(wire, 'positive'));
    else if (field === 9) e.negative = readBuckets(reader.message(wire, 'negative'));
    else if (field === 12) e.min = reader.double(wire, 'min');
    else if (field === 13) e.max = reader.double(wire, 'max');
    else if (field === 11) exemplars.push(readExemplar(reader.message(wire, 'exemplars')));
  });
  return withExemplars(exponentialPoint(base, e), exemplars);
}

function readSummaryPoint(reader: ProtobufReader): SinkPoint {
  const base = newBase();
  let count = 0n;
  let sum = 0;
  const quantiles: { quantile: number; value: number }[] = [];
  reader.forEachField((field, wire) => {
    if (readBase(reader, field, wire, base, 7)) return;
    if (field === 4) count = reader.fixed64(wire, 'count');
    else if (field === 5) sum = reader.double(wire, 'sum');
    else if (field === 6) {
      const q = reader.message(wire, 'quantile_values');
      const entry = { quantile: 0, value: 0 };
      q.forEachField((f, w) => {
        if (f === 1) entry.quantile = q.double(w, 'quantile');
        else if (f === 2) entry.value = q.double(w, 'value');
      });
      quantiles.push(entry);
    }
  });
  return summaryPoint(base, count, sum, quantiles);
}
