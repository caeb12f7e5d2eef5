import { ConfigError, shown } from './errors.js';
import type { Env } from './types.js';

/**
 * A positive integer of milliseconds from a code option, else an environment variable, else the
 * fallback. Throws a {@link ConfigError} naming the option or the variable when the value is not a
 * positive integer.
 */
export function readDurationMillis(
  name: string,
  option: number | undefined,
  envName: string,
  fallback: number,
  env: Env = process.env,
): number {
  if (option !== undefined) {
    if (typeof option !== 'number' || !Number.isInteger(option) || option <= 0) {
      throw new ConfigError(
        name,
        `got ${shown(option)}; expected a positive integer of milliseconds`,
      );
    }
    return option;
  }
  const text = env[envName]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(
      envName,
      `got ${shown(env[envName])}; expected a positive integer of milliseconds`,
    );
  }
  return value;
}

/**
 * A positive integer from a code option, else an environment variable, else the fallback (queue
 * sizes, batch sizes, limits). Throws a {@link ConfigError} naming the option or the variable.
 */
export function readPositiveInteger(
  name: string,
  option: number | undefined,
  envName: string | undefined,
  fallback: number,
  env: Env = process.env,
): number {
  if (option !== undefined) {
    if (typeof option !== 'number' || !Number.isSafeInteger(option) || option <= 0) {
      throw new ConfigError(name, `got ${shown(option)}; expected a positive integer`);
    }
    return option;
  }
  const text = envName === undefined ? undefined : env[envName]?.trim();
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(envName!, `got ${shown(env[envName!])}; expected a positive integer`);
  }
  return value;
}
