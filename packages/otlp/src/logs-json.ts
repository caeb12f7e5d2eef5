import { groupByResourceAndScope } from './grouping.js';
import {
  JsonMessageCache,
  jsonAnyValue,
  jsonField,
  jsonKeyValues,
  jsonTime,
} from './json-common.js';
import type { OtlpReadableLogRecord } from './readable.js';

function jsonLogRecord(record: OtlpReadableLogRecord): string {
  const context = record.spanContext;
  let out = `{"timeUnixNano":${jsonTime(record.hrTime)},"observedTimeUnixNano":${jsonTime(
    record.hrTimeObserved,
  )}`;
  out += jsonField('severityNumber', record.severityNumber);
  out += jsonField('severityText', record.severityText);
  out += `,"body":${jsonAnyValue(record.body)}`;
  out += jsonField('eventName', record.eventName);
  out += `,"attributes":${jsonKeyValues(record.attributes)}`;
  out += jsonField('droppedAttributesCount', record.droppedAttributesCount);
  out += jsonField('flags', context?.traceFlags);
  out += jsonField('traceId', context?.traceId);
  out += jsonField('spanId', context?.spanId);
  return `${out}}`;
}

/**
 * Encodes sdk-logs `ReadableLogRecord`s as an OTLP/JSON `ExportLogsServiceRequest`, the JSON of
 * the stock `@opentelemetry/exporter-logs-otlp-http` (`JsonLogsSerializer`), written as one string.
 */
export class JsonLogsEncoder {
  private readonly cache = new JsonMessageCache();

  /** The request for `records`, UTF-8. */
  encode(records: readonly OtlpReadableLogRecord[]): Buffer {
    return Buffer.from(this.encodeString(records), 'utf8');
  }

  /** The request for `records` as a JSON string. */
  encodeString(records: readonly OtlpReadableLogRecord[]): string {
    let out = '{"resourceLogs":[';
    let firstResource = true;
    for (const [resource, scopes] of groupByResourceAndScope(records)) {
      out += `${firstResource ? '' : ','}{"resource":${this.cache.resource(resource)},"scopeLogs":[`;
      firstResource = false;
      let firstScope = true;
      for (const [scope, scopeRecords] of scopes) {
        out += `${firstScope ? '' : ','}{"scope":${this.cache.scope(scope)},"logRecords":[`;
        firstScope = false;
        for (let i = 0; i < scopeRecords.length; i++) {
          out += (i > 0 ? ',' : '') + jsonLogRecord(scopeRecords[i]!);
        }
        out += `]${jsonField('schemaUrl', scope.schemaUrl)}}`;
      }
      out += `]${resource.schemaUrl ? jsonField('schemaUrl', resource.schemaUrl) : ''}}`;
    }
    return `${out}]}`;
  }
}
