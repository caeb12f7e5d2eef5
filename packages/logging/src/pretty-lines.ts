import { LogField } from '@datum-telemetry/conventions';
import type { LogLineRecord } from '@datum-telemetry/conventions/log-line';
import {
  escapeLineSeparators,
  LineWriter,
  SEVERITY_BY_BUNYAN_INDEX,
  TRACE_FLAGS,
} from '@datum-telemetry/conventions/log-line';
import type { SpanContext } from '@opentelemetry/api';
import { reportStreamFailure } from './json-lines.js';
import type { RecordOutput } from './record.js';
import type { LogStream } from './types.js';

/** Fields shown in the line's head, not as `key=value`. */
const HEAD_FIELDS = new Set(['v', 'level', 'name', 'hostname', 'pid', 'time', 'msg']);

function json(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return '"[unserializable]"';
  }
}

/** JSON-escaped text without the quotes: control characters cannot break the line. */
function bare(value: unknown): string {
  return json(String(value)).slice(1, -1);
}

/**
 * `12:00:00.000Z INFO  compute: resource created resource.name="vm-1"`: one line per record, for
 * people. The message, keys and values are JSON-escaped, so a newline cannot start a second line.
 */
export function toPrettyLine(record: LogLineRecord, spanContext: SpanContext | undefined): string {
  const time = record.time instanceof Date ? record.time.toISOString().slice(11) : '';
  const severity =
    SEVERITY_BY_BUNYAN_INDEX[record.level / 10]?.severityText ?? String(record.level);
  let line = `${time} ${severity.padEnd(5)} ${bare(record.name)}: ${bare(record.msg)}`;
  for (const key of Object.keys(record)) {
    if (HEAD_FIELDS.has(key) || record[key] === undefined) continue;
    line += ` ${bare(key)}=${json(record[key])}`;
  }
  if (spanContext !== undefined) {
    line += ` ${LogField.TraceId}=${spanContext.traceId} ${LogField.SpanId}=${spanContext.spanId} ${LogField.TraceFlags}=${TRACE_FLAGS[spanContext.traceFlags & 0xff]}`;
  }
  return `${escapeLineSeparators(line)}\n`;
}

/** Writes `toPrettyLine` lines. */
export class PrettyLinesOutput implements RecordOutput {
  readonly #lines: LineWriter;

  constructor(stream: LogStream) {
    this.#lines = new LineWriter(stream, reportStreamFailure);
  }

  write(record: LogLineRecord, spanContext: SpanContext | undefined): void {
    this.#lines.write(toPrettyLine(record, spanContext));
  }
}
