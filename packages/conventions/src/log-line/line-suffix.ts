import { LOG_LEVELS, LOG_SEVERITY } from './levels.js';
import type { LogLineSpanContext } from './types.js';

/** `trace_flags` as two hex digits, as OpenTelemetry writes it in non-OTLP log formats. */
export const TRACE_FLAGS: readonly string[] = Array.from({ length: 256 }, (_, flags) =>
  flags.toString(16).padStart(2, '0'),
);

/** `,"severity_text":"INFO","severity_number":9}` for each bunyan level, by `level / 10`. */
const SEVERITY_SUFFIX: readonly string[] = [
  '}',
  ...LOG_LEVELS.map((name) => {
    const { severityText, severityNumber } = LOG_SEVERITY[name];
    return `,"severity_text":"${severityText}","severity_number":${severityNumber}}`;
  }),
];

/**
 * The fields every line ends with, as JSON text to put in place of the record's closing `}`:
 * `severity_text`, `severity_number`, and inside a span `trace_id`, `span_id`, `trace_flags`.
 * Written as text rather than added to the record because `JSON.stringify` would spend more on
 * them than the rest of the line costs to build; the ids were checked to be hex by
 * `isSpanContextValid`, so they need no escaping.
 */
export function lineSuffix(level: number, spanContext: LogLineSpanContext | undefined): string {
  const severity = SEVERITY_SUFFIX[level / 10] ?? '}';
  if (spanContext === undefined) return severity;
  return `,"trace_id":"${spanContext.traceId}","span_id":"${spanContext.spanId}","trace_flags":"${TRACE_FLAGS[spanContext.traceFlags & 0xff]}"${severity}`;
}
