import { lineSuffix } from './line-suffix.js';
import type { Sanitizer } from './sanitize.js';
import type { LogLineFields, LogLineRecord, LogLineSpanContext } from './types.js';

/**
 * JSON escapes every control character below U+0020, so no message or field can start a second
 * line. U+0085 (NEL, what a Latin-1 request byte 0x85 becomes), U+2028 and U+2029 are valid raw in
 * JSON but split lines in some readers (Python's `splitlines`, old JavaScript parsers): escape
 * them too.
 */
const LINE_SEPARATORS_ALL = /[\u0085\u2028\u2029]/g;

/** `\u0085` and the like, as JSON escapes them. */
function escapeSeparator(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One record as one JSON line (with its `\n`), whatever the record holds. */
export function toJsonLine(
  record: LogLineRecord,
  spanContext: LogLineSpanContext | undefined,
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
  line = escapeLineSeparators(line);
  return `${line.slice(0, -1)}${lineSuffix(record.level, spanContext)}\n`;
}

/** JSON text with the characters that split lines in some readers escaped (see above). */
export function escapeLineSeparators(text: string): string {
  // Three `indexOf` rather than one character-class regex: V8 finds a character in a string with a
  // vectorised search, and answers at once for U+2028/U+2029 in a one-byte string; the regex
  // test cost more than serialising the line (bench/src/micro.mjs, "access log line").
  return text.indexOf('\u0085') === -1 &&
    text.indexOf('\u2028') === -1 &&
    text.indexOf('\u2029') === -1
    ? text
    : text.replace(LINE_SEPARATORS_ALL, escapeSeparator);
}

let lastTimeMillis = Number.NaN;
let lastTimeText = '';

/**
 * `time.toISOString()`, remembered for the last millisecond: lines come many to a millisecond
 * under load, and `toISOString` costs about as much as serialising a dozen fields.
 */
export function isoTime(time: Date): string {
  const millis = time.getTime();
  if (millis !== lastTimeMillis) {
    lastTimeText = time.toISOString();
    lastTimeMillis = millis;
  }
  return lastTimeText;
}

/**
 * The start of every line of a logger, made once: `{"name":...,"hostname":...,"pid":...,` and the
 * logger's (child) fields, then `"level":`. Undefined when the fields cannot be written as JSON.
 */
export function linePrefix(base: Readonly<Record<string, unknown>>): string | undefined {
  try {
    const json = JSON.stringify(base);
    if (typeof json !== 'string' || !json.endsWith('}')) return undefined;
    return `${escapeLineSeparators(json.slice(0, -1))}${json === '{}' ? '' : ','}"level":`;
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
  spanContext: LogLineSpanContext | undefined,
): string | undefined {
  let fields: string;
  try {
    fields = JSON.stringify(call);
  } catch {
    return undefined;
  }
  const own = fields.length > 2 ? `,${escapeLineSeparators(fields.slice(1, -1))}` : '';
  return `${prefix}${level}${own},"msg":${escapeLineSeparators(JSON.stringify(msg))},"time":"${isoTime(time)}","v":0${lineSuffix(level, spanContext)}\n`;
}

/**
 * True when the call's fields cannot simply follow the logger's in the line: one has the name of a
 * logger field (it replaces that one in place), or looks like an array index (JavaScript orders
 * those first in an object, so the record has it before `name`).
 */
export function needsRecord(base: object, call: LogLineFields): boolean {
  for (const key in call) {
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57) || Object.hasOwn(base, key)) return true;
  }
  return false;
}

/**
 * The record bunyan builds: the logger's fields, `level`, the call's fields (a call field with the
 * name of a logger field replaces it in place), `msg`, `time`, `v`.
 */
export function buildRecord(
  base: Readonly<LogLineFields>,
  level: number,
  call: Readonly<LogLineFields>,
  msg: string,
  time: Date,
): LogLineRecord {
  const record: LogLineFields = {};
  for (const key in base) record[key] = base[key];
  record.level = level;
  for (const key in call) record[key] = call[key];
  record.msg = msg;
  record.time = time;
  record.v = 0;
  return record as LogLineRecord;
}
