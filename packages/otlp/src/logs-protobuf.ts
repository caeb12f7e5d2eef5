import { groupByResourceAndScope } from './grouping.js';
import { ProtobufMessageCache } from './message-cache.js';
import {
  tag,
  writeAnyValue,
  writeKeyValues,
  writeResourceMessage,
  writeTime,
} from './protobuf-common.js';
import { ProtobufWriter } from './protobuf-writer.js';
import type { OtlpReadableLogRecord } from './readable.js';

const LEN = 2;
const VARINT = 0;
const I32 = 5;

/** One `LogRecord` message (`logs.proto`), tag included: field 2 of ScopeLogs. */
function writeLogRecord(w: ProtobufWriter, record: OtlpReadableLogRecord): void {
  w.byte(tag(2, LEN));
  const start = w.begin(2);
  writeTime(w, 1, record.hrTime);
  // SEVERITY_NUMBER_UNSPECIFIED (0) is the default: not written.
  if (record.severityNumber !== undefined && record.severityNumber !== 0) {
    w.byte(tag(2, VARINT));
    w.varint(record.severityNumber);
  }
  if (record.severityText) {
    w.byte(tag(3, LEN));
    w.string(record.severityText);
  }
  if (record.body !== undefined) {
    w.byte(tag(5, LEN));
    const body = w.begin(1);
    writeAnyValue(w, record.body);
    w.end(body, 1);
  }
  if (record.attributes) writeKeyValues(w, record.attributes, 6);
  w.byte(tag(7, VARINT));
  w.varint(record.droppedAttributesCount);
  const context = record.spanContext;
  if (context?.traceFlags) {
    w.byte(tag(8, I32));
    w.fixed32(context.traceFlags);
  }
  if (context?.traceId) {
    w.byte(tag(9, LEN));
    w.hex(context.traceId);
  }
  if (context?.spanId) {
    w.byte(tag(10, LEN));
    w.hex(context.spanId);
  }
  writeTime(w, 11, record.hrTimeObserved);
  if (record.eventName) {
    w.byte(tag(12, LEN));
    w.string(record.eventName);
  }
  w.end(start, 2);
}

/**
 * Encodes sdk-logs `ReadableLogRecord`s as an OTLP `ExportLogsServiceRequest` in protobuf, as
 * {@link ProtobufTraceEncoder} does spans: one reused buffer, resource and scope encoded once,
 * the bytes of `ProtobufLogsSerializer` (`@opentelemetry/otlp-transformer` 0.301).
 */
export class ProtobufLogsEncoder {
  private readonly writer = new ProtobufWriter();
  private readonly cache = new ProtobufMessageCache();

  /** The request for `records`, as a Buffer of its own. */
  encode(records: readonly OtlpReadableLogRecord[]): Buffer {
    this.write(records);
    return this.writer.copy();
  }

  /** The request as a view into the reused buffer: valid only until the next call. */
  encodeShared(records: readonly OtlpReadableLogRecord[]): Buffer {
    this.write(records);
    return this.writer.view();
  }

  private write(records: readonly OtlpReadableLogRecord[]): void {
    const w = this.writer;
    w.reset();
    for (const [resource, scopes] of groupByResourceAndScope(records)) {
      // ResourceLogs, field 1 of the request.
      writeResourceMessage(w, this.cache, resource, scopes, writeLogRecord);
    }
  }
}
