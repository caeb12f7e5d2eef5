import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CliError } from '../errors.js';
import type { Scenario, ScenarioRequest } from '../types.js';

/** The base URL when the scenario has none: the port the validator gave the service. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a placeholder substituted at run time
export const DEFAULT_BASE_URL = 'http://127.0.0.1:${PORT}';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, message: string): never {
  throw new CliError(`${where}: ${message}`);
}

function request(value: unknown, where: string): ScenarioRequest {
  if (!isObject(value)) fail(where, 'expected { method, path, headers?, body?, expectStatus? }');
  const { method = 'GET', path, headers, body, expectStatus } = value;
  if (typeof method !== 'string' || !METHODS.has(method.toUpperCase())) {
    fail(
      `${where}.method`,
      `got ${JSON.stringify(method)}; expected one of ${[...METHODS].join(', ')}`,
    );
  }
  if (typeof path !== 'string' || !path.startsWith('/')) {
    fail(`${where}.path`, `got ${JSON.stringify(path)}; expected a path starting with /`);
  }
  if (
    headers !== undefined &&
    (!isObject(headers) || Object.values(headers).some((v) => typeof v !== 'string'))
  ) {
    fail(`${where}.headers`, 'expected an object of header names to string values');
  }
  if (
    expectStatus !== undefined &&
    (!Number.isInteger(expectStatus) ||
      (expectStatus as number) < 100 ||
      (expectStatus as number) > 599)
  ) {
    fail(
      `${where}.expectStatus`,
      `got ${JSON.stringify(expectStatus)}; expected an HTTP status (100-599)`,
    );
  }
  return {
    method: method.toUpperCase(),
    path,
    ...(headers === undefined ? {} : { headers: headers as Record<string, string> }),
    ...(body === undefined ? {} : { body }),
    ...(expectStatus === undefined ? {} : { expectStatus: expectStatus as number }),
  };
}

/** Checks a scenario object; throws a `CliError` naming the field and what it expects. */
export function normalizeScenario(value: unknown, where = 'scenario'): Scenario {
  if (!isObject(value)) fail(where, 'expected an object { baseUrl?, requests: [...] }');
  const { baseUrl, readyPath, canaries, timeoutMs, requests } = value;
  if (baseUrl !== undefined && (typeof baseUrl !== 'string' || !/^https?:\/\//.test(baseUrl))) {
    fail(
      `${where}.baseUrl`,
      `got ${JSON.stringify(baseUrl)}; expected http://HOST:PORT (\${PORT} is substituted)`,
    );
  }
  if (readyPath !== undefined && (typeof readyPath !== 'string' || readyPath === '')) {
    fail(`${where}.readyPath`, 'expected a path such as /healthz');
  }
  if (
    canaries !== undefined &&
    (!Array.isArray(canaries) || canaries.some((c) => typeof c !== 'string' || c.length < 6))
  ) {
    fail(
      `${where}.canaries`,
      'expected an array of secret strings, each at least 6 characters long',
    );
  }
  if (timeoutMs !== undefined && (!Number.isInteger(timeoutMs) || (timeoutMs as number) <= 0)) {
    fail(`${where}.timeoutMs`, `got ${JSON.stringify(timeoutMs)}; expected a positive integer`);
  }
  if (!Array.isArray(requests)) fail(`${where}.requests`, 'expected an array of requests');
  return {
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(readyPath === undefined ? {} : { readyPath }),
    ...(canaries === undefined ? {} : { canaries: canaries as string[] }),
    ...(timeoutMs === undefined ? {} : { timeoutMs: timeoutMs as number }),
    requests: requests.map((r, i) => request(r, `${where}.requests[${i}]`)),
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
