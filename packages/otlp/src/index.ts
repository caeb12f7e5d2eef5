export { OtlpExportError } from './errors.js';
export { OtlpHttpLogRecordExporter } from './log-exporter.js';
export { JsonLogsEncoder } from './logs-json.js';
export { ProtobufLogsEncoder } from './logs-protobuf.js';
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
