import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OptionsSchema } from '@datum-telemetry/config';
import { ConfigError, rules, validateOptions } from '@datum-telemetry/config';
import { CliError } from '../errors.js';
import type { Scenario, ScenarioRequest } from '../types.js';

/** The base URL when the scenario has none: the port the validator gave the service. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder substituted at run time
export const DEFAULT_BASE_URL = 'http://127.0.0.1:${PORT}';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

const REQUEST_SCHEMA: OptionsSchema<ScenarioRequest> = {
  method: rules.custom(
    `one of ${METHODS.join(', ')}`,
    (v) => typeof v === 'string' && METHODS.includes(v.toUpperCase()),
  ),
  path: rules.required(
    rules.custom('a path starting with /', (v) => typeof v === 'string' && v.startsWith('/')),
  ),
  headers: rules.record(rules.string, 'an object of header names to string values'),
  body: rules.any,
  expectStatus: rules.integer(100, 599, 'an HTTP status (100-599)'),
};

/**
 * The scenario file's keys and what each accepts. A key it does not list is refused with a
 * did-you-mean (`expectStaus`), so that a typo fails the CI gate instead of being ignored.
 */
const SCENARIO_SCHEMA: OptionsSchema<Scenario> = {
  baseUrl: rules.custom(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the placeholder, as users write it
    'http://HOST:PORT (${PORT} is substituted)',
    (v) => typeof v === 'string' && /^https?:\/\//.test(v),
  ),
  readyPath: rules.nonEmptyString,
  canaries: rules.arrayOf(
    rules.custom(
      'a secret string of at least 6 characters',
      (v) => typeof v === 'string' && v.length >= 6,
    ),
    'an array of secret strings, each at least 6 characters long',
  ),
  timeoutMs: rules.positiveMillis,
  requests: rules.required(
    rules.arrayOf(
      rules.object(REQUEST_SCHEMA, '{ method, path, headers?, body?, expectStatus? }'),
      'an array of requests',
    ),
  ),
};

/**
 * Checks a scenario object against its schema (`validateOptions` of `@datum-telemetry/config`):
 * throws a `CliError` naming the field (`scenario.requests[0].expectStatus`) and what it expects,
 * or the unknown key and the known one it is closest to.
 */
export function normalizeScenario(value: unknown, where = 'scenario'): Scenario {
  try {
    validateOptions<Scenario>(
      value,
      SCENARIO_SCHEMA,
      where,
      'an object { baseUrl?, requests: [...] }',
    );
  } catch (error) {
    // A scenario file has keys, not options: the same message, in its words.
    if (error instanceof ConfigError) {
      throw new CliError(error.message.replace(': unknown option;', ': unknown key;'));
    }
    throw error;
  }
  const { baseUrl, readyPath, canaries, timeoutMs, requests } = value;
  return {
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(readyPath === undefined ? {} : { readyPath }),
    ...(canaries === undefined ? {} : { canaries }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    requests: requests.map(({ method = 'GET', path, headers, body, expectStatus }) => ({
      method: method.toUpperCase(),
      path,
      ...(headers === undefined ? {} : { headers }),
      ...(body === undefined ? {} : { body }),
      ...(expectStatus === undefined ? {} : { expectStatus }),
    })),
  };
}

/** Reads and checks `--scenario FILE`. */
export async function loadScenarioFile(path: string, cwd: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new CliError(
      `--scenario ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--scenario ${path}: not valid JSON (${(error as Error).message})`);
  }
  return normalizeScenario(data, path);
}

/** Replaces `${PORT}` and the other known placeholders; unknown ones are left as they are. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Z_]+)\}/g, (whole, name: string) => values[name] ?? whole);
}
