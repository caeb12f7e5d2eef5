// Property tests of the metrics encoders. Without exemplars: our bytes are the stock transformer's
// (ProtobufMetricsSerializer / JsonMetricsSerializer of @opentelemetry/otlp-transformer 0.301)
// byte for byte. With exemplars (good and bad): the official metrics.proto, decoded by protobufjs,
// shows the stock request plus exactly the good exemplars on their points; the same for OTLP/JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonMetricsEncoder, ProtobufMetricsEncoder } from '../src/index.js';
import { resourceMetrics } from './support/metric-arbitraries.js';
import {
  jsonExemplar,
  protobufExemplar,
  survivingExemplars,
  takeExemplars,
} from './support/metric-exemplars.js';
import { decodeMetricsRequest, parseJson, stock } from './support/oracle.js';

const RUNS = { numRuns: 300 };

describe('metrics without exemplars', () => {
  const protobuf = new ProtobufMetricsEncoder();
  const json = new JsonMetricsEncoder();

  it('protobuf: the bytes of ProtobufMetricsSerializer, for every point kind', () => {
    fc.assert(
      fc.property(resourceMetrics(false), (metrics) => {
        const ours = protobuf.encode(metrics as never);
        const theirs = stock.metricsProtobuf(metrics);
        expect(decodeMetricsRequest(ours)).toEqual(decodeMetricsRequest(theirs));
        expect(Buffer.compare(ours, Buffer.from(theirs))).toBe(0);
      }),
      RUNS,
    );
  });

  it('JSON: the bytes of JsonMetricsSerializer, for every point kind', () => {
    fc.assert(
      fc.property(resourceMetrics(false), (metrics) => {
        const ours = json.encode(metrics as never);
        const theirs = stock.metricsJson(metrics);
        expect(parseJson(ours)).toEqual(parseJson(theirs));
        expect(Buffer.compare(ours, Buffer.from(theirs))).toBe(0);
      }),
      RUNS,
    );
  });
});

describe('metrics with exemplars, good and bad', () => {
  const protobuf = new ProtobufMetricsEncoder();
  const json = new JsonMetricsEncoder();

  it('protobuf: decodes to the stock request plus exactly the good exemplars of each point', () => {
    fc.assert(
      fc.property(resourceMetrics(true), (metrics) => {
        const ours = decodeMetricsRequest(protobuf.encode(metrics as never));
        const exemplars = takeExemplars(ours);
        expect(ours).toEqual(decodeMetricsRequest(stock.metricsProtobuf(metrics)));
        const expected = survivingExemplars(metrics as never).map((list) =>
          list.map(({ valueType, exemplar }) => protobufExemplar(valueType, exemplar)),
        );
        expect(exemplars).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('JSON: parses to the stock JSON plus exactly the good exemplars of each point', () => {
    fc.assert(
      fc.property(resourceMetrics(true), (metrics) => {
        const ours = parseJson(json.encode(metrics as never)) as Record<string, unknown>;
        const exemplars = takeExemplars(ours);
        expect(ours).toEqual(parseJson(stock.metricsJson(metrics)));
        const expected = survivingExemplars(metrics as never).map((list) =>
          list.map(({ valueType, exemplar }) => jsonExemplar(valueType, exemplar)),
        );
        expect(exemplars).toEqual(expected);
      }),
      RUNS,
    );
  });
});
