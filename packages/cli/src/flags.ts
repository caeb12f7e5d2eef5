import type { ParseArgsConfig } from 'node:util';
import { parseArgs } from 'node:util';
import { didYouMean } from '@datum-telemetry/config';
import { checkServiceName } from '@datum-telemetry/conventions';
import { UsageError } from './errors.js';

/** The flags of one command, as `parseArgs` of `node:util` takes them. */
export type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/** The values `parseArgs` returns for `FlagOptions`. */
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/**
 * The message of a `parseArgs` error, for people: Node's hint about positionals dropped, and an
 * unknown flag followed by the known one it is closest to (`--scenaro`: did you mean --scenario?),
 * with the same did-you-mean as unknown code options (`didYouMean` of `@datum-telemetry/config`).
 */
export function flagErrorMessage(error: unknown, options: FlagOptions): string {
  const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
  const unknown = /^Unknown option '--?([^']+)'/.exec(message)?.[1];
  if (unknown === undefined) return message;
  const suggestion = didYouMean(unknown, Object.keys(options));
  return suggestion === undefined ? message : `${message}; did you mean --${suggestion}?`;
}

/**
 * `parseArgs` in strict mode with no positionals: a bad flag is a `UsageError` whose message says
 * which flag was meant. `positionalHint` is added to an unexpected positional's message.
 */
export function parseFlags(
  argv: readonly string[],
  options: FlagOptions,
  positionalHint = '',
): FlagValues {
  try {
    return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options })
      .values as FlagValues;
  } catch (error) {
    const message = flagErrorMessage(error, options);
    throw new UsageError(
      positionalHint !== '' && /positional/i.test(message)
        ? `${message}; ${positionalHint}`
        : message,
    );
  }
}

/**
 * Refuses a `--service` that cannot be the first metric segment, with the rule and the name to use
 * instead (`Compute-API`: use `compute_api`), as `checkServiceName` of the conventions says it.
 */
export function checkServiceFlag(service: string, flag = '--service'): void {
  const problem = checkServiceName(service)[0];
  if (problem !== undefined) throw new UsageError(`${flag}: [${problem.rule}] ${problem.message}`);
}

/**
 * The value of a flag that takes one of `allowed` (`fallback` when absent): anything else is a
 * `UsageError` listing them, with the one it is closest to (`--framework Express`: did you mean
 * express?), as an unknown flag gets.
 */
export function choiceFlag<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback?: T,
): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (value !== undefined && allowed.includes(value as T)) return value as T;
  const meant = value === undefined ? undefined : didYouMean(value, allowed);
  const expected =
    allowed.length === 1 ? allowed[0] : `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}`;
  throw new UsageError(
    `--${flag}: got ${JSON.stringify(value)}; expected ${expected}${meant === undefined ? '' : `; did you mean ${meant}?`}`,
  );
}
