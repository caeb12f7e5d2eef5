import { groupByResourceAndScope } from './grouping.js';
import { OtlpJsonWriter } from './json-common.js';
import { CLOSE_BRACE, CLOSE_BRACKET, COMMA, utf8 } from './json-writer.js';
import { JsonMessageCache } from './message-cache.js';
import type { OtlpReadableLogRecord } from './readable.js';

// The fixed text of a request, in the order the transformer's objects have their keys.
const TIME = utf8('{"timeUnixNano":');
const OBSERVED_TIME = utf8(',"observedTimeUnixNano":');
const SEVERITY_NUMBER = utf8(',"severityNumber":');
const SEVERITY_TEXT = utf8(',"severityText":');
const BODY = utf8(',"body":');
const EVENT_NAME = utf8(',"eventName":');
const ATTRIBUTES = utf8(',"attributes":');
const DROPPED_ATTRIBUTES = utf8(',"droppedAttributesCount":');
const FLAGS = utf8(',"flags":');
const TRACE_ID = utf8(',"traceId":');
const SPAN_ID = utf8(',"spanId":');
const REQUEST = utf8('{"resourceLogs":[');
const RESOURCE = utf8('{"resource":');
const SCOPE_LOGS = utf8(',"scopeLogs":[');
const SCOPE = utf8('{"scope":');
const LOG_RECORDS = utf8(',"logRecords":[');
const SCHEMA_URL = utf8(',"schemaUrl":');
const REQUEST_END = utf8(']}');

function writeLogRecord(w: OtlpJsonWriter, record: OtlpReadableLogRecord): void {
  const context = record.spanContext;
  w.raw(TIME);
  w.time(record.hrTime);
  w.raw(OBSERVED_TIME);
  w.time(record.hrTimeObserved);
  w.field(SEVERITY_NUMBER, record.severityNumber);
  w.field(SEVERITY_TEXT, record.severityText);
  w.raw(BODY);
  w.anyValue(record.body);
  w.field(EVENT_NAME, record.eventName);
  w.raw(ATTRIBUTES);
  w.keyValues(record.attributes);
  w.field(DROPPED_ATTRIBUTES, record.droppedAttributesCount);
  if (context !== undefined) {
    w.field(FLAGS, context.traceFlags);
    w.field(TRACE_ID, context.traceId);
    w.field(SPAN_ID, context.spanId);
  }
  w.byte(CLOSE_BRACE);
}

/**
 * Encodes sdk-logs `ReadableLogRecord`s as an OTLP/JSON `ExportLogsServiceRequest`, the JSON of
 * the stock `@opentelemetry/exporter-logs-otlp-http` (`JsonLogsSerializer`), written as UTF-8
 * straight into one reused buffer as `JsonTraceEncoder` writes spans.
 */
export class JsonLogsEncoder {
  private readonly writer = new OtlpJsonWriter();
  private readonly cache = new JsonMessageCache();

  /** The request for `records`, UTF-8, as a Buffer of its own. */
  encode(records: readonly OtlpReadableLogRecord[]): Buffer {
    this.write(records);
    return this.writer.copy();
  }

  /** The request for `records` as a JSON string. */
  encodeString(records: readonly OtlpReadableLogRecord[]): string {
    this.write(records);
    return this.writer.view().toString('utf8');
  }

  private write(records: readonly OtlpReadableLogRecord[]): void {
    const w = this.writer;
    w.reset();
    w.raw(REQUEST);
    let firstResource = true;
    for (const [resource, scopes] of groupByResourceAndScope(records)) {
      if (!firstResource) w.byte(COMMA);
      firstResource = false;
      w.raw(RESOURCE);
      w.raw(this.cache.resource(resource));
      w.raw(SCOPE_LOGS);
      let firstScope = true;
      for (const [scope, scopeRecords] of scopes) {
        if (!firstScope) w.byte(COMMA);
        firstScope = false;
        w.raw(SCOPE);
        w.raw(this.cache.scope(scope));
        w.raw(LOG_RECORDS);
        for (let i = 0; i < scopeRecords.length; i++) {
          if (i > 0) w.byte(COMMA);
          writeLogRecord(w, scopeRecords[i]!);
        }
        w.byte(CLOSE_BRACKET);
        w.field(SCHEMA_URL, scope.schemaUrl);
        w.byte(CLOSE_BRACE);
      }
      w.byte(CLOSE_BRACKET);
      if (resource.schemaUrl) w.field(SCHEMA_URL, resource.schemaUrl);
      w.byte(CLOSE_BRACE);
    }
    w.raw(REQUEST_END);
  }
}
