import type { Logger, LoggerOptions } from '../types.js';

/** One emitted line, parsed: bunyan's fields, the standard ones, and whatever the call added. */
export interface LoggedRecord {
  readonly name: string;
  readonly hostname: string;
  readonly pid: number;
  /** bunyan's level number (10 trace ... 60 fatal). */
  readonly level: number;
  readonly msg: string;
  /** ISO 8601 time. */
  readonly time: string;
  readonly v: number;
  readonly severity_text: string;
  readonly severity_number: number;
  readonly trace_id?: string;
  readonly span_id?: string;
  readonly trace_flags?: string;
  readonly [field: string]: unknown;
}

/**
 * What a record must hold, field by field: a value (compared deeply; an object matches when its
 * own fields match), a `RegExp` (for strings), or a predicate. `level` also takes a level name.
 */
export type RecordMatch = Readonly<Record<string, unknown>>;

/** Options of `createTestLogger`: those of `createLogger`, without the output ones. */
export interface TestLoggerOptions extends Omit<LoggerOptions, 'stream' | 'pretty'> {}

/** A logger that keeps its lines in memory. */
export interface TestLogger {
  /** Log with this. `level` defaults to `trace` and `service` to `test`. */
  readonly logger: Logger;
  /** Every line written so far, as written (each ends in `\n`). */
  lines(): readonly string[];
  /** Every line written so far, parsed. */
  records(): readonly LoggedRecord[];
  /** The first record the predicate accepts. */
  find(predicate: (record: LoggedRecord) => boolean): LoggedRecord | undefined;
  /** Forgets every record. */
  clear(): void;
  /** The first record that matches; throws an error listing the records and how each differs. */
  assertLogged(match: RecordMatch): LoggedRecord;
  /** Throws an error showing the record when one matches. */
  assertNotLogged(match: RecordMatch): void;
}
