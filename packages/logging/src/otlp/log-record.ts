import { LogField } from '@datum-telemetry/conventions';
import type { LogLineRecord } from '@datum-telemetry/conventions/log-line';
import type { Attributes, Context, LogRecord, SpanContext } from '@opentelemetry/api';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SEVERITY_BY_BUNYAN_INDEX } from '../levels.js';

/** Record fields that become the LogRecord's own parts (body, time, severity) or its resource. */
const NOT_ATTRIBUTES = new Set(['v', 'level', 'msg', 'time', 'name', 'hostname', 'pid']);

/**
 * One bunyan record as an OpenTelemetry LogRecord: body = `msg`, attributes = the fields (values
 * are already plain JSON data), severity from the level, timestamp = `time`, and the span context
 * the line was written in. An `error` field also gives the semantic-convention attributes
 * `exception.type`, `exception.message` and `exception.stacktrace`.
 */
export function toLogRecord(
  record: LogLineRecord,
  spanContext: SpanContext | undefined,
): LogRecord {
  const attributes: Attributes = {};
  for (const key in record) {
    if (!NOT_ATTRIBUTES.has(key)) attributes[key] = record[key] as Attributes[string];
  }
  const error = record[LogField.Error];
  if (error !== null && typeof error === 'object' && !Array.isArray(error)) {
    const { type, message, stack } = error as Record<string, unknown>;
    if (typeof type === 'string') attributes['exception.type'] = type;
    if (typeof message === 'string') attributes['exception.message'] = message;
    if (typeof stack === 'string') attributes['exception.stacktrace'] = stack;
  }
  const severity = SEVERITY_BY_BUNYAN_INDEX[record.level / 10];
  const context: Context =
    spanContext === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, spanContext);
  return {
    timestamp: record.time,
    severityNumber: severity?.severityNumber,
    severityText: severity?.severityText,
    body: record.msg,
    attributes,
    context,
  };
}
