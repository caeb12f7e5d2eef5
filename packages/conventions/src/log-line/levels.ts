/** The six levels, lowest first. Each maps to an OpenTelemetry severity (see `LOG_SEVERITY`). */
export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** The OpenTelemetry severity of a level, and bunyan's number for it. */
export interface LogSeverity {
  /** bunyan's `level` number on the JSON line (10, 20, ... 60). */
  readonly level: number;
  /** OpenTelemetry `SeverityNumber` (1, 5, 9, 13, 17, 21). */
  readonly severityNumber: number;
  /** OpenTelemetry severity text (`TRACE` ... `FATAL`). */
  readonly severityText: string;
}

/** The levels, lowest first. */
export const LOG_LEVELS: readonly LogLevelName[] = Object.freeze([
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
]);

/**
 * Each level's bunyan number and OpenTelemetry severity. The severity numbers are the first of each
 * OpenTelemetry range (TRACE 1-4, DEBUG 5-8, INFO 9-12, WARN 13-16, ERROR 17-20, FATAL 21-24).
 */
export const LOG_SEVERITY: Readonly<Record<LogLevelName, LogSeverity>> = Object.freeze({
  trace: Object.freeze({ level: 10, severityNumber: 1, severityText: 'TRACE' }),
  debug: Object.freeze({ level: 20, severityNumber: 5, severityText: 'DEBUG' }),
  info: Object.freeze({ level: 30, severityNumber: 9, severityText: 'INFO' }),
  warn: Object.freeze({ level: 40, severityNumber: 13, severityText: 'WARN' }),
  error: Object.freeze({ level: 50, severityNumber: 17, severityText: 'ERROR' }),
  fatal: Object.freeze({ level: 60, severityNumber: 21, severityText: 'FATAL' }),
});

/** Above fatal: nothing is written. */
export const SILENT_LEVEL = 70;

/** The severity of a bunyan level number, by `level / 10` (index 0 is unused). */
export const SEVERITY_BY_BUNYAN_INDEX: readonly (LogSeverity | undefined)[] = [
  undefined,
  ...LOG_LEVELS.map((name) => LOG_SEVERITY[name]),
];
