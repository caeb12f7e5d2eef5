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

/** JSON text with the characters that split lines in some readers escaped (see above). */
function escapeSeparators(text: string): string {
  return LINE_SEPARATORS.test(text) ? text.replace(LINE_SEPARATORS_ALL, escapeSeparator) : text;
}

/**
 * The start of every line of a logger, made once: `{"name":...,"hostname":...,"pid":...,` and the
 * logger's (child) fields, then `"level":`. Undefined when the fields cannot be written as JSON.
 */
export function linePrefix(base: Readonly<Record<string, unknown>>): string | undefined {
  try {
    const json = JSON.stringify(base);
    if (typeof json !== 'string' || !json.endsWith('}')) return undefined;
    return `${escapeSeparators(json.slice(0, -1))}${json === '{}' ? '' : ','}"level":`;
  } catch {
    return undefined;
  }
}

/**
 * The same line as {@link toJsonLine} gives for the record `{ ...base, level, ...call, msg, time,
 * v: 0 }` when no key of `call` is one of the base's, without building that record: the base is
 * the prefix made once per logger, so only the call's own fields are serialised. Undefined when
 * `call` cannot be serialised (the caller then takes the record path and its fallbacks).
 */
export function jsonLineFromParts(
  prefix: string,
  level: number,
  call: Readonly<Record<string, unknown>>,
  msg: string,
  time: Date,
  spanContext: SpanContext | undefined,
): string | undefined {
  let fields: string;
  try {
    fields = JSON.stringify(call);
  } catch {
    return undefined;
  }
  const own = fields.length > 2 ? `,${escapeSeparators(fields.slice(1, -1))}` : '';
  return `${prefix}${level}${own},"msg":${escapeSeparators(JSON.stringify(msg))},"time":"${time.toISOString()}","v":0${lineSuffix(level, spanContext)}\n`;
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

  /** Writes a line made by {@link jsonLineFromParts}. */
  writeLine(line: string): void {
    this.#lines.write(line);
  }
}
