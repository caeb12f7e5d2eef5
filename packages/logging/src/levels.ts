import type { OptionRule } from '@datum-telemetry/config';
import { rules, warnInvalidEnv } from '@datum-telemetry/config';
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
const EXPECTED = `one of ${SETTINGS.join(', ')}`;

function levelNumber(value: unknown): number | undefined {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (text === undefined || !SETTINGS.includes(text)) return undefined;
  return text === 'silent' ? SILENT_LEVEL : LOG_SEVERITY[text as LogLevelName].level;
}

/** The rule of the `level` option: a level name or `silent`, in any case. */
export const levelRule: OptionRule = rules.custom(
  EXPECTED,
  (value) => levelNumber(value) !== undefined,
);

/**
 * The level setting from the option (checked beforehand with {@link levelRule}), else `LOG_LEVEL`,
 * else `info`. A bad `LOG_LEVEL` is reported through `diag.warn` and `info` used.
 */
export function levelFromOptions(
  option: LogLevelSetting | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number {
  if (option !== undefined) {
    levelRule.check(option, 'level');
    return levelNumber(option)!;
  }
  const fromEnv = env.LOG_LEVEL;
  if (fromEnv === undefined || fromEnv.trim() === '') return LOG_SEVERITY.info.level;
  const level = levelNumber(fromEnv);
  if (level !== undefined) return level;
  warnInvalidEnv('LOG_LEVEL', fromEnv, EXPECTED, 'info');
  return LOG_SEVERITY.info.level;
}
