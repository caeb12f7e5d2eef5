import type { OptionRule } from '@datum-telemetry/config';
import { rules, warnInvalidEnv } from '@datum-telemetry/config';
import type { LogLevelName } from '@datum-telemetry/conventions/log-line';
import { LOG_LEVELS, LOG_SEVERITY, SILENT_LEVEL } from '@datum-telemetry/conventions/log-line';
import type { LogLevelSetting } from './types.js';

export {
  LOG_LEVELS,
  LOG_SEVERITY,
  SEVERITY_BY_BUNYAN_INDEX,
} from '@datum-telemetry/conventions/log-line';

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
