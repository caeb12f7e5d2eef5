import type { SpanContext } from '@opentelemetry/api';
import { lineSuffix } from './line-suffix.js';
import type { BunyanRecord, RecordOutput } from './record.js';
import type { Sanitizer } from './sanitize.js';
import { LineWriter } from './stream-errors.js';
import type { LogStream } from './types.js';

/**
 * JSON escapes every control character below U+0020, so no message or field can start a second
 * line. U+0085 (NEL, what a Latin-1 request byte 0x85 becomes), U+2028 and U+2029 are valid raw in
 * JSON but split lines in some readers (Python's `splitlines`, old JavaScript parsers): escape
 * them too.
 */
const LINE_SEPARATORS = /[\u0085\u2028\u2029]/;
const LINE_SEPARATORS_ALL = /[\u0085\u2028\u2029]/g;

/** `\u0085` and the like, as JSON escapes them. */
export function escapeSeparator(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One record as one JSON line (with its `\n`), whatever the record holds. */
export function toJsonLine(
  record: BunyanRecord,
  spanContext: SpanContext | undefined,
  sanitizer: Sanitizer,
): string {
  let line: string;
  try {
    line = JSON.stringify(record);
  } catch {
    // A getter that throws only the second time, a toJSON that changed its mind: copy it plain.
    try {
      line = JSON.stringify(sanitizer.record(record));
    } catch {
      line = JSON.stringify({
        level: record.level,
        msg: '[unserializable log record]',
        time: new Date().toISOString(),
        v: 0,
      });
    }
  }
  if (LINE_SEPARATORS.test(line)) line = line.replace(LINE_SEPARATORS_ALL, escapeSeparator);
  return `${line.slice(0, -1)}${lineSuffix(record.level, spanContext)}\n`;
}

/** Writes bunyan's JSON format, one line per record. */
export class JsonLinesOutput implements RecordOutput {
  readonly #lines: LineWriter;
  readonly #sanitizer: Sanitizer;

  constructor(stream: LogStream, sanitizer: Sanitizer) {
    this.#lines = new LineWriter(stream);
    this.#sanitizer = sanitizer;
  }

  write(record: BunyanRecord, spanContext: SpanContext | undefined): void {
    this.#lines.write(toJsonLine(record, spanContext, this.#sanitizer));
  }
}
