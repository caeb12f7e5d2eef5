import { ConfigError } from '@datum-telemetry/config';
import type { LogLevelName, LogLevelSetting, LogSeverity } from './types.js';

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

/** Above fatal: bunyan writes nothing. */
export const SILENT_LEVEL = 70;

/** The severity of a bunyan level number, by `level / 10` (index 0 is unused). */
export const SEVERITY_BY_BUNYAN_INDEX: readonly (LogSeverity | undefined)[] = [
  undefined,
  ...LOG_LEVELS.map((name) => LOG_SEVERITY[name]),
];

const SETTINGS: readonly string[] = [...LOG_LEVELS, 'silent'];

/** The bunyan number of a level setting; throws a `ConfigError` naming `source` when invalid. */
export function resolveLevel(source: string, value: unknown): number {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if (typeof text === 'string' && SETTINGS.includes(text)) {
    return text === 'silent' ? SILENT_LEVEL : LOG_SEVERITY[text as LogLevelName].level;
  }
  throw new ConfigError(
    source,
    `got ${JSON.stringify(String(value)).slice(0, 80)}; expected one of ${SETTINGS.join(', ')}`,
  );
}

/** The level setting from the option, else `LOG_LEVEL`, else `info`. */
export function levelFromOptions(
  option: LogLevelSetting | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number {
  if (option !== undefined) return resolveLevel('level', option);
  const fromEnv = env.LOG_LEVEL;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return resolveLevel('LOG_LEVEL', fromEnv);
  return LOG_SEVERITY.info.level;
}
