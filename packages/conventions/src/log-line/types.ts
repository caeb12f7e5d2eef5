/**
 * The trace context a line carries: OpenTelemetry's `SpanContext` fits. Pass only a context that
 * `isSpanContextValid` accepts: the ids are written as they are, being hex by then.
 */
export interface LogLineSpanContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
}

/** Fields of a line: a logger's own (`name`, `hostname`, `pid`, child fields) or one call's. */
export type LogLineFields = Record<string, unknown>;

/**
 * A record as bunyan builds it: `name`, `hostname`, `pid`, the logger's fields, `level`, the call's
 * fields, `msg`, `time`, `v`.
 */
export interface LogLineRecord {
  level: number;
  msg: string;
  time: Date;
  [field: string]: unknown;
}

/** Options of a {@link LogLineWriter}; every one is optional. */
export interface LogLineOptions {
  /**
   * More keys whose values are replaced by `[REDACTED]` (matched without regard to case, at any
   * depth), on top of the built-in ones (`authorization`, `cookie`, `set-cookie`, `password`,
   * `secret`, `token`, `api_key`, `x-api-key`, ...). The default value is `[]`.
   */
  readonly redactKeys?: readonly string[];
  /**
   * Longest string value (and message) written, in UTF-16 code units; longer ones are cut and end
   * in `…[truncated N chars]`. The default value is 8192.
   */
  readonly maxStringLength?: number;
}
