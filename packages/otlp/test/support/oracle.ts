// The oracles these tests compare with, none of them ours: the official OTLP definitions
// (vendor/opentelemetry-proto, copied from open-telemetry/opentelemetry-proto) decoded by
// protobufjs, and what @opentelemetry/otlp-transformer 0.301 writes for the same data.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import protobuf from 'protobufjs';

const PROTO_ROOT = fileURLToPath(
  new URL('../../../../vendor/opentelemetry-proto', import.meta.url),
);

function loadDefinitions(): protobuf.Root {
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => join(PROTO_ROOT, target);
  root.loadSync(
    [
      'opentelemetry/proto/collector/trace/v1/trace_service.proto',
      'opentelemetry/proto/collector/logs/v1/logs_service.proto',
      'opentelemetry/proto/collector/metrics/v1/metrics_service.proto',
    ],
    { keepCase: false },
  );
  return root;
}

const root = loadDefinitions();
const TYPES = {
  traceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
  logsRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
  traceResponse: root.lookupType(
    'opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse',
  ),
  logsResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
  metricsRequest: root.lookupType(
    'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  ),
  metricsResponse: root.lookupType(
    'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse',
  ),
};

/** What the decoded message looks like: int64 as strings, bytes as base64, only fields on the wire. */
const AS_OBJECT: protobuf.IConversionOptions = {
  longs: String,
  bytes: String,
  enums: Number,
  defaults: false,
  arrays: false,
};

function decode(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  return type.toObject(type.decode(bytes), AS_OBJECT);
}

export const decodeTraceRequest = (bytes: Uint8Array) => decode(TYPES.traceRequest, bytes);
export const decodeLogsRequest = (bytes: Uint8Array) => decode(TYPES.logsRequest, bytes);
export const decodeMetricsRequest = (bytes: Uint8Array) => decode(TYPES.metricsRequest, bytes);
export function encodeMetricsResponse(value: Record<string, unknown>): Uint8Array {
  return TYPES.metricsResponse.encode(TYPES.metricsResponse.fromObject(value)).finish();
}

/** Encodes a response message from a plain object, for test collectors that answer with one. */
export function encodeTraceResponse(value: Record<string, unknown>): Uint8Array {
  return TYPES.traceResponse.encode(TYPES.traceResponse.fromObject(value)).finish();
}
export function encodeLogsResponse(value: Record<string, unknown>): Uint8Array {
  return TYPES.logsResponse.encode(TYPES.logsResponse.fromObject(value)).finish();
}

/** The stock serializers, for the same input as ours. */
export const stock = {
  traceProtobuf: (spans: readonly unknown[]) =>
    ProtobufTraceSerializer.serializeRequest(spans as ReadableSpan[])!,
  traceJson: (spans: readonly unknown[]) =>
    JsonTraceSerializer.serializeRequest(spans as ReadableSpan[])!,
  logsProtobuf: (records: readonly unknown[]) =>
    ProtobufLogsSerializer.serializeRequest(records as ReadableLogRecord[])!,
  logsJson: (records: readonly unknown[]) =>
    JsonLogsSerializer.serializeRequest(records as ReadableLogRecord[])!,
  metricsProtobuf: (metrics: unknown) =>
    ProtobufMetricsSerializer.serializeRequest(metrics as ResourceMetrics)!,
  metricsJson: (metrics: unknown) =>
    JsonMetricsSerializer.serializeRequest(metrics as ResourceMetrics)!,
};

export function parseJson(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}
