import { ConfigError } from '@datum-telemetry/config';
import type { LogLevelName } from '@datum-telemetry/conventions/log-line';
import { LOG_LEVELS, LOG_SEVERITY, SILENT_LEVEL } from '@datum-telemetry/conventions/log-line';
import type { LogLevelSetting } from './types.js';

export {
  LOG_LEVELS,
  LOG_SEVERITY,
  SEVERITY_BY_BUNYAN_INDEX,
} from '@datum-telemetry/conventions/log-line';

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
