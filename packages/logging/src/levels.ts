import type { OptionRule } from '@datum-telemetry/config';
import { rules, warnInvalidEnv } from '@datum-telemetry/config';
import {
  LOG_LEVEL_EXPECTED,
  parseLogLevel,
  resolveLogLevel,
} from '@datum-telemetry/conventions/log-line';
import type { LogLevelSetting } from './types.js';

export {
  LOG_LEVELS,
  LOG_SEVERITY,
  SEVERITY_BY_BUNYAN_INDEX,
} from '@datum-telemetry/conventions/log-line';

/** The rule of the `level` option: a level name or `silent`, in any case. */
export const levelRule: OptionRule = rules.custom(
  LOG_LEVEL_EXPECTED,
  (value) => parseLogLevel(value) !== undefined,
);

/**
 * The level setting from the option (checked here with {@link levelRule}), else `LOG_LEVEL`,
 * else `info`. A bad `LOG_LEVEL` is reported through `diag.warn` and `info` used.
 */
export function levelFromOptions(
  option: LogLevelSetting | undefined,
  env: Readonly<Record<string, string | undefined>>,
): number {
  if (option !== undefined) levelRule.check(option, 'level');
  return resolveLogLevel(option, env.LOG_LEVEL, (value, expected, fallback) =>
    warnInvalidEnv('LOG_LEVEL', value, expected, fallback),
  );
}
