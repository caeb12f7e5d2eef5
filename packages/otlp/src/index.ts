export { OtlpExportError } from './errors.js';
export { OtlpHttpLogRecordExporter } from './log-exporter.js';
export { JsonLogsEncoder } from './logs-json.js';
export { ProtobufLogsEncoder } from './logs-protobuf.js';
export type {
  OtlpDataPoint,
  OtlpExemplar,
  OtlpExponentialBuckets,
  OtlpExponentialHistogram,
  OtlpExponentialHistogramMetric,
  OtlpGaugeMetric,
  OtlpHistogram,
  OtlpHistogramMetric,
  OtlpMetricData,
  OtlpMetricDescriptor,
  OtlpResourceMetrics,
  OtlpScopeMetrics,
  OtlpSumMetric,
  OtlpWithExemplars,
} from './metric-data.js';
export type { OtlpHttpMetricExporterOptions } from './metric-exporter.js';
export { OtlpHttpMetricExporter } from './metric-exporter.js';
export type { OtlpTemporalityPreference } from './metric-temporality.js';
export { JsonMetricsEncoder } from './metrics-json.js';
export { ProtobufMetricsEncoder } from './metrics-protobuf.js';
export type {
  OtlpReadableLogRecord,
  OtlpReadableSpan,
  OtlpResource,
  OtlpScope,
  OtlpSpanEvent,
  OtlpSpanLink,
} from './readable.js';
export { OtlpHttpSpanExporter } from './span-exporter.js';
export { JsonTraceEncoder } from './trace-json.js';
export { ProtobufTraceEncoder } from './trace-protobuf.js';
export type { OtlpEncoding, OtlpHttpExporterOptions } from './types.js';
export { VERSION } from './version.js';
