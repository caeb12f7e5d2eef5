export type { DecodedOtlpRequest } from './decode.js';
export { decodeOtlpRequest } from './decode.js';
export { OtlpDecodeError } from './protobuf-reader.js';
export { startOtlpSink } from './sink.js';
export type {
  OtlpSink,
  OtlpSinkOptions,
  SinkAttributes,
  SinkEncoding,
  SinkExemplar,
  SinkExponentialBuckets,
  SinkLogRecord,
  SinkMetric,
  SinkMetricType,
  SinkPoint,
  SinkRejectedRequest,
  SinkRequest,
  SinkResponseMode,
  SinkScope,
  SinkSignal,
  SinkSpan,
  SinkSpanEvent,
  SinkSpanKind,
  SinkSpanLink,
  SinkStatusCode,
  SinkTemporality,
  WaitForOptions,
} from './types.js';
