// Exemplars of sum, gauge, histogram and exponential histogram points, decoded from protobuf and
// from OTLP/JSON. The protobuf bodies are written by protobufjs from the official metrics.proto
// (vendor/opentelemetry-proto), and what the sink returns is checked against protobufjs's own
// decoding of the same bytes; the JSON bodies carry the same data and must decode the same.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { SinkMetric } from '../src/index.js';
import { decodeOtlpRequest, OtlpDecodeError } from '../src/index.js';

const PROTO_ROOT = fileURLToPath(new URL('../../../vendor/opentelemetry-proto', import.meta.url));
const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
root.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');
const Request = root.lookupType(
  'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
);

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';
const TRACE_2 = '0af7651916cd43dd8448eb211c80319c';
const SPAN_2 = 'b7ad6b7169203331';
const hex = (id: string) => Buffer.from(id, 'hex');

/** The same data twice: for protobufjs (ids as bytes) and as OTLP/JSON (ids as hex). */
function exemplar(
  time: string,
  value: { asInt: string } | { asDouble: number },
  ids?: [string, string],
  attributes: Record<string, string> = {},
) {
  const filteredAttributes = Object.entries(attributes).map(([key, v]) => ({
    key,
    value: { stringValue: v },
  }));
  const common = { timeUnixNano: time, ...value, filteredAttributes };
  return {
    proto: ids ? { ...common, traceId: hex(ids[0]), spanId: hex(ids[1]) } : common,
    json: ids ? { ...common, traceId: ids[0].toUpperCase(), spanId: ids[1] } : common,
  };
}

const sumExemplar = exemplar('1700000000000000001', { asInt: '7' }, [TRACE, SPAN], {
  'user.id': 'u-1',
});
const gaugeExemplar = exemplar('1700000000000000002', { asDouble: 0.25 });
const histogramExemplars = [
  exemplar('1700000000000000003', { asDouble: 0.05 }, [TRACE, SPAN]),
  exemplar('1700000000000000004', { asDouble: 3 }, [TRACE_2, SPAN_2]),
];
const exponentialExemplar = exemplar('1700000000000000005', { asDouble: 8 }, [TRACE_2, SPAN_2]);

function request(side: 'proto' | 'json') {
  const time = { startTimeUnixNano: '1700000000000000000', timeUnixNano: '1700000001000000000' };
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'compute' } }] },
        scopeMetrics: [
          {
            scope: { name: 'test' },
            metrics: [
              {
                name: 'http.server.requests',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: [{ ...time, asInt: '3', exemplars: [sumExemplar[side]] }],
                },
              },
              {
                name: 'cpu.load',
                gauge: {
                  dataPoints: [{ ...time, asDouble: 0.5, exemplars: [gaugeExemplar[side]] }],
                },
              },
              {
                name: 'http.server.request.duration',
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: [
                    {
                      ...time,
                      count: '2',
                      sum: 3.05,
                      bucketCounts: ['1', '0', '1'],
                      explicitBounds: [0.1, 1],
                      exemplars: histogramExemplars.map((e) => e[side]),
                    },
                    { ...time, count: '0', bucketCounts: ['0'] },
                  ],
                },
              },
              {
                name: 'queue.wait',
                exponentialHistogram: {
                  aggregationTemporality: 1,
                  dataPoints: [
                    {
                      ...time,
                      count: '1',
                      scale: 2,
                      zeroCount: '0',
                      positive: { offset: 12, bucketCounts: ['1'] },
                      exemplars: [exponentialExemplar[side]],
                    },
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

const protobufBody = () => Request.encode(Request.fromObject(request('proto'))).finish();

function metricsOf(encoding: 'protobuf' | 'json', body: Uint8Array): SinkMetric[] {
  const decoded = decodeOtlpRequest('metrics', encoding, body);
  if (decoded.signal !== 'metrics') throw new Error('wrong signal');
  return decoded.metrics;
}

type OracleExemplar = {
  timeUnixNano: string;
  asInt?: string;
  asDouble?: number;
  traceId?: string;
  spanId?: string;
  filteredAttributes?: { key: string; value: { stringValue: string } }[];
};

/** What protobufjs reads back from the bytes, per point, in the sink's terms. */
function oracleExemplars(body: Uint8Array): unknown[][] {
  const decoded = Request.toObject(Request.decode(body), {
    longs: String,
    bytes: String,
    defaults: false,
  }) as {
    resourceMetrics: {
      scopeMetrics: {
        metrics: Record<string, { dataPoints: { exemplars?: OracleExemplar[] }[] }>[];
      }[];
    }[];
  };
  const out: unknown[][] = [];
  for (const metric of decoded.resourceMetrics[0]!.scopeMetrics[0]!.metrics) {
    const data = metric.sum ?? metric.gauge ?? metric.histogram ?? metric.exponentialHistogram!;
    for (const point of data.dataPoints) {
      out.push(
        (point.exemplars ?? []).map((e) => {
          const expected: Record<string, unknown> = {
            timeUnixNano: BigInt(e.timeUnixNano),
            value: e.asInt !== undefined ? Number(e.asInt) : e.asDouble,
            filteredAttributes: Object.fromEntries(
              (e.filteredAttributes ?? []).map((a) => [a.key, a.value.stringValue]),
            ),
          };
          if (e.traceId) expected.traceId = Buffer.from(e.traceId, 'base64').toString('hex');
          if (e.spanId) expected.spanId = Buffer.from(e.spanId, 'base64').toString('hex');
          return expected;
        }),
      );
    }
  }
  return out;
}

const sinkExemplars = (metrics: SinkMetric[]) =>
  metrics.flatMap((metric) => metric.points.map((point) => point.exemplars ?? []));

describe('exemplars', () => {
  it('protobuf: every point kind’s exemplars, as protobufjs reads the same bytes', () => {
    const body = protobufBody();
    const metrics = metricsOf('protobuf', body);
    const expected = oracleExemplars(body);
    expect(expected.flat()).toHaveLength(5);
    expect(sinkExemplars(metrics)).toEqual(expected);
    expect(metrics[0]!.points[0]!.exemplars).toEqual([
      {
        timeUnixNano: 1700000000000000001n,
        value: 7,
        traceId: TRACE,
        spanId: SPAN,
        filteredAttributes: { 'user.id': 'u-1' },
      },
    ]);
    // Recorded outside a span: no ids.
    expect(metrics[1]!.points[0]!.exemplars).toEqual([
      { timeUnixNano: 1700000000000000002n, value: 0.25, filteredAttributes: {} },
    ]);
  });

  it('a point without exemplars has no `exemplars` field', () => {
    const metrics = metricsOf('protobuf', protobufBody());
    expect(metrics[2]!.points[1]).not.toHaveProperty('exemplars');
  });

  it('JSON: the same data decodes to the same metrics as protobuf (ids lowercased)', () => {
    const json = metricsOf('json', Buffer.from(JSON.stringify(request('json'))));
    expect(json).toEqual(metricsOf('protobuf', protobufBody()));
  });

  it('JSON: asInt as a number is read as well as the string form', () => {
    const body = request('json');
    const point = body.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.sum!.dataPoints[0]!;
    (point.exemplars[0] as { asInt: unknown }).asInt = 7;
    const [sum] = metricsOf('json', Buffer.from(JSON.stringify(body)));
    expect(sum!.points[0]!.exemplars![0]!.value).toBe(7);
  });

  it('bad input: an exemplar trace id of the wrong length refuses the request (400), as a span’s', () => {
    const body = request('proto');
    const point = body.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.sum!.dataPoints[0]!;
    (point.exemplars[0] as { traceId: Buffer }).traceId = Buffer.from('0102030405', 'hex');
    const bytes = Request.encode(Request.fromObject(body)).finish();
    expect(() => metricsOf('protobuf', bytes)).toThrow(OtlpDecodeError);
    expect(() => metricsOf('protobuf', bytes)).toThrow(/trace_id is 5 bytes, expected 16/);
  });

  it('bad input: a JSON exemplar span id that is not hex refuses the request, naming the path', () => {
    const body = request('json');
    const point = body.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.sum!.dataPoints[0]!;
    (point.exemplars[0] as { spanId: string }).spanId = 'not-a-span-id!!!';
    expect(() => metricsOf('json', Buffer.from(JSON.stringify(body)))).toThrow(
      /exemplars\[0\]\.spanId/,
    );
  });
});
