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
export { JsonTraceEncoder } from './trace-json.js';
export { ProtobufTraceEncoder } from './trace-protobuf.js';
