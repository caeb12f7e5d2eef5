import { UsageError } from '../errors.js';
import type { Scenario } from '../types.js';
import type { ValidateArgs } from './args.js';
import { DEFAULT_BASE_URL } from './scenario.js';

/** The placeholders `validate` gives a value to, and only when it starts the service itself. */
export const SERVICE_PLACEHOLDERS: readonly string[] = ['PORT', 'PROMETHEUS_PORT'];

/**
 * The URL polled until the service is ready: `--ready-url`, else the scenario's `readyPath` (a URL,
 * or a path under its base URL); `undefined` when neither is given (the first request is the probe).
 */
export function readinessUrl(
  args: ValidateArgs,
  scenario: Scenario | undefined,
): string | undefined {
  if (args.readyUrl !== undefined) return args.readyUrl;
  const path = scenario?.readyPath;
  if (path === undefined) return undefined;
  if (/^https?:/.test(path)) return path;
  return `${(scenario?.baseUrl ?? DEFAULT_BASE_URL).replace(/\/$/, '')}${path}`;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]!);
}

const placeholder = (name: string) => `\${${name}}`;

/** One URL `validate` will fetch, and how to name it in a message. */
interface Target {
  readonly url: string;
  readonly what: string;
  /** What to change so that it has no placeholder. */
  readonly fix: string;
}

function targets(args: ValidateArgs, scenario: Scenario | undefined): Target[] {
  const list: Target[] = [];
  const file = args.scenario ?? 'the scenario';
  const base = scenario?.baseUrl ?? DEFAULT_BASE_URL;
  const baseFix = `set "baseUrl" in ${file} to the address of the running service (such as "http://127.0.0.1:8080")`;
  const baseWhat =
    scenario?.baseUrl === undefined
      ? `${file} has no "baseUrl", and the default, ${DEFAULT_BASE_URL},`
      : `the "baseUrl" of ${file} (${base})`;
  const ready = readinessUrl(args, scenario);
  if (args.readyUrl !== undefined) {
    list.push({
      url: args.readyUrl,
      what: `--ready-url ${args.readyUrl}`,
      fix: 'change --ready-url',
    });
  } else if (ready !== undefined && ready === scenario?.readyPath) {
    list.push({
      url: ready,
      what: `the "readyPath" of ${file} (${ready})`,
      fix: `change "readyPath" in ${file}`,
    });
  } else if (ready !== undefined) {
    list.push({ url: base, what: baseWhat, fix: baseFix });
  }
  if (scenario !== undefined && scenario.requests.length > 0) {
    list.push({ url: base, what: baseWhat, fix: baseFix });
  }
  for (const url of args.prometheus) {
    list.push({ url, what: `--prometheus ${url}`, fix: 'change --prometheus' });
  }
  return list;
}

/**
 * Refuses, before anything is started or any request sent, a URL `validate` would fetch with a
 * placeholder that would have no value: `${PORT}` and `${PROMETHEUS_PORT}` (the default base URL of
 * a scenario is `http://127.0.0.1:${PORT}`) are given only when validate starts the service (a
 * command after `--`); any other name never is. Without this check the URL cannot be parsed, and
 * the run waits out the readiness timeout before it says so.
 */
export function checkTargets(args: ValidateArgs, scenario: Scenario | undefined): void {
  const started = args.command.length > 0;
  for (const target of targets(args, scenario)) {
    const names = placeholders(target.url);
    const unknown = names.find((name) => !SERVICE_PLACEHOLDERS.includes(name));
    if (unknown !== undefined) {
      throw new UsageError(
        `${target.what} uses ${placeholder(unknown)}, which has no value: the only placeholders are ${SERVICE_PLACEHOLDERS.map(placeholder).join(' and ')}, the ports validate gives a service it starts; ${target.fix}`,
      );
    }
    if (!started && names.length > 0) {
      throw new UsageError(
        `${target.what} uses ${placeholder(names[0]!)}, which has a value only when validate starts the service, and no command follows --. Either ${target.fix}, or pass the command that starts the service after --, as in: datum-telemetry validate ... -- node dist/server.js`,
      );
    }
  }
}
