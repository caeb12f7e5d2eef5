import { warnInvalidEnv } from './env-warning.js';
import type { Env } from './types.js';
import { rules } from './validate.js';

/** The variable as a positive integer; the fallback, reported through `diag`, when it is not one. */
function positiveIntegerFromEnv(
  envName: string,
  fallback: number,
  expected: string,
  env: Env,
): number {
  const text = env[envName]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) {
    warnInvalidEnv(envName, env[envName], expected, String(fallback));
    return fallback;
  }
  return value;
}

/**
 * A positive integer of milliseconds from a code option, else an environment variable, else the
 * fallback. An invalid option throws a {@link ConfigError} naming it; an invalid variable is
 * reported through `diag.warn` and the fallback used.
 */
export function readDurationMillis(
  name: string,
  option: number | undefined,
  envName: string,
  fallback: number,
  env: Env = process.env,
): number {
  if (option !== undefined) {
    rules.positiveMillis.check(option, name);
    return option;
  }
  return positiveIntegerFromEnv(envName, fallback, rules.positiveMillis.expected, env);
}

/**
 * A positive integer from a code option, else an environment variable, else the fallback (queue
 * sizes, batch sizes, limits). An invalid option throws a {@link ConfigError} naming it; an invalid
 * variable is reported through `diag.warn` and the fallback used.
 */
export function readPositiveInteger(
  name: string,
  option: number | undefined,
  envName: string | undefined,
  fallback: number,
  env: Env = process.env,
): number {
  if (option !== undefined) {
    rules.positiveInteger.check(option, name);
    return option;
  }
  if (envName === undefined) return fallback;
  return positiveIntegerFromEnv(envName, fallback, rules.positiveInteger.expected, env);
}
