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

/** What a level setting may be: a level name or `silent`. */
export const LOG_LEVEL_SETTINGS: readonly string[] = Object.freeze([...LOG_LEVELS, 'silent']);

/** What {@link LOG_LEVEL_SETTINGS} says, for messages. */
export const LOG_LEVEL_EXPECTED = `one of ${LOG_LEVEL_SETTINGS.join(', ')}`;

/** The bunyan number of a level setting (`info`, `WARN`, ` silent `), or undefined for anything else. */
export function parseLogLevel(value: unknown): number | undefined {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === undefined || !LOG_LEVEL_SETTINGS.includes(text)) return undefined;
  return text === 'silent' ? SILENT_LEVEL : LOG_SEVERITY[text as LogLevelName].level;
}

/**
 * The level of a logger: the option (already checked with {@link parseLogLevel}), else the
 * `LOG_LEVEL` variable, else `info`. A `LOG_LEVEL` that is not a level is given to `onInvalid`
 * (which reports it) and `info` is used: a variable never stops a service.
 */
export function resolveLogLevel(
  option: string | undefined,
  variable: string | undefined,
  onInvalid: (value: string, expected: string, fallback: string) => void,
): number {
  if (option !== undefined) return parseLogLevel(option) ?? LOG_SEVERITY.info.level;
  if (variable === undefined || variable.trim() === '') return LOG_SEVERITY.info.level;
  const level = parseLogLevel(variable);
  if (level !== undefined) return level;
  onInvalid(variable, LOG_LEVEL_EXPECTED, 'info');
  return LOG_SEVERITY.info.level;
}
