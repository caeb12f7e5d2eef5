import type { Env, OptionsSchema } from '@datum-telemetry/config';
import {
  ConfigError,
  is,
  resolveServiceName,
  rules,
  UNKNOWN_SERVICE_NAME,
  validateOptions,
} from '@datum-telemetry/config';
import type { ResourceDeclaration, ResourceRegistry } from '@datum-telemetry/conventions';
import {
  checkServiceName,
  createResourceRegistry,
  DEFAULT_REQUEST_DURATION_BUCKETS,
  isSensitiveKey,
  toServiceSegment,
} from '@datum-telemetry/conventions';
import { diag } from '@opentelemetry/api';
import { createJsonLogger } from './json-logger.js';
import type {
  AccessLogEntry,
  HttpTelemetryOptions,
  IncomingContextPolicy,
  RequestInfo,
  RequestLogger,
} from './types.js';

export const DEFAULT_IGNORE_PATHS: readonly string[] = Object.freeze([
  '/healthz',
  '/readyz',
  '/livez',
  '/metrics',
]);
/** The request duration buckets: the conventions' default, which dashboards and alerts assume. */
export const DEFAULT_DURATION_BUCKETS: readonly number[] = DEFAULT_REQUEST_DURATION_BUCKETS;
const POLICIES: readonly IncomingContextPolicy[] = ['continue', 'restart', 'ignore'];

/** Everything the per-request path needs, decided once. */
export interface ResolvedOptions {
  readonly service: string;
  readonly registry: ResourceRegistry | undefined;
  readonly isIgnored: (path: string) => boolean;
  readonly policy: IncomingContextPolicy | ((request: RequestInfo) => IncomingContextPolicy);
  readonly logger: RequestLogger | undefined;
  readonly accessLog: false | true | ((entry: AccessLogEntry) => boolean);
  readonly traces: boolean;
  readonly metrics: boolean;
  readonly requestHeaders: readonly string[];
  readonly responseHeaders: readonly string[];
  readonly durationBuckets: readonly number[];
  readonly requestHook: HttpTelemetryOptions['requestHook'];
  readonly spanName: HttpTelemetryOptions['spanName'];
}

const isPath = (value: unknown): boolean =>
  (typeof value === 'string' && value.startsWith('/')) || value instanceof RegExp;

function isRegistry(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ResourceRegistry).match === 'function'
  );
}

function isLogger(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RequestLogger).child === 'function' &&
    typeof (value as RequestLogger).info === 'function'
  );
}

function isBuckets(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (b: unknown, i) =>
        typeof b === 'number' &&
        Number.isFinite(b) &&
        b >= 0 &&
        (i === 0 || b > (value[i - 1] as number)),
    )
  );
}

const resourceDeclarationRules: OptionsSchema<ResourceDeclaration> = {
  group: rules.required(rules.string),
  plural: rules.required(rules.nonEmptyString),
  kind: rules.required(rules.nonEmptyString),
  short: rules.required(rules.nonEmptyString),
  versions: rules.arrayOf(rules.nonEmptyString, 'an array of versions such as ["v1alpha1"]'),
  scope: rules.oneOf(['Namespaced', 'Cluster']),
};

const headerNames = rules.arrayOf(rules.nonEmptyString, 'an array of header names');

/**
 * Every option of the HTTP instrumentation (`telemetry()` of the Express and Koa adapters), checked
 * by the one validator of `@datum-telemetry/config`. An adapter with options of its own checks them
 * with these (`{ ...httpTelemetryOptionRules, captureUnhandledErrors: rules.boolean }`).
 */
export const httpTelemetryOptionRules: OptionsSchema<HttpTelemetryOptions> = Object.freeze({
  service: rules.nonEmptyString,
  resources: rules.union(
    'an array of { group, plural, kind, short } or a registry',
    [
      is.array,
      rules.arrayOf(
        rules.object(resourceDeclarationRules, '{ group, plural, kind, short }'),
        'an array of { group, plural, kind, short }',
      ),
    ],
    [isRegistry, rules.any],
  ),
  ignorePaths: rules.union(
    'an array of paths and regular expressions, or a function',
    [
      is.array,
      rules.arrayOf(
        rules.custom('a path starting with "/" or a RegExp', isPath),
        'an array of paths and regular expressions',
      ),
    ],
    [is.function, rules.any],
  ),
  incomingContext: rules.custom(
    `one of ${POLICIES.map((p) => `"${p}"`).join(', ')} or a function`,
    (value) => typeof value === 'function' || POLICIES.includes(value as IncomingContextPolicy),
  ),
  logger: rules.custom(
    'a logger with child() and info()/warn()/error() (bunyan or @datum-telemetry/logging), or false',
    (value) => value === false || isLogger(value),
  ),
  accessLog: rules.custom(
    'true, false or a function',
    (value) => typeof value === 'boolean' || typeof value === 'function',
  ),
  traces: rules.boolean,
  metrics: rules.boolean,
  captureRequestHeaders: headerNames,
  captureResponseHeaders: headerNames,
  durationBuckets: rules.custom(
    'a non-empty array of increasing non-negative numbers of seconds',
    isBuckets,
  ),
  requestHook: rules.function,
  spanName: rules.function,
});

/**
 * The metric segment of the service: the `service` option (which must be one), else the service
 * name `@datum-telemetry/config` resolves for every signal (`OTEL_SERVICE_NAME`, then `service.name`
 * in `OTEL_RESOURCE_ATTRIBUTES`, then `unknown_service:node`), made a segment.
 */
function resolveService(option: string | undefined, env: Env): string {
  if (option !== undefined) {
    const findings = checkServiceName(option);
    if (findings.length > 0)
      throw new ConfigError('service', `is invalid: ${findings[0]!.message}`);
    return option;
  }
  const name = resolveServiceName({}, env);
  const segment = toServiceSegment(name);
  if (name === UNKNOWN_SERVICE_NAME) {
    diag.warn(
      `@datum-telemetry/http: no service name (option \`service\`, OTEL_SERVICE_NAME or service.name in OTEL_RESOURCE_ATTRIBUTES): the service is ${JSON.stringify(name)} and metric names start with ${JSON.stringify(segment)}`,
    );
  } else if (segment !== name) {
    diag.warn(
      `@datum-telemetry/http: the service name ${JSON.stringify(name)} is not a metric segment; metric names use ${JSON.stringify(segment)}`,
    );
  }
  return segment;
}

function resolveIgnore(value: HttpTelemetryOptions['ignorePaths']): (path: string) => boolean {
  if (value === undefined) value = DEFAULT_IGNORE_PATHS;
  if (typeof value === 'function') return value;
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const item of value) {
    if (typeof item === 'string') exact.add(item.length > 1 ? item.replace(/\/+$/, '') : item);
    else patterns.push(item);
  }
  if (exact.size === 0 && patterns.length === 0) return () => false;
  return (path) => {
    if (exact.has(path)) return true;
    if (path.length > 1 && path.endsWith('/') && exact.has(path.replace(/\/+$/, ''))) return true;
    for (const p of patterns) {
      p.lastIndex = 0;
      if (p.test(path)) return true;
    }
    return false;
  };
}

function resolveHeaders(name: string, value: readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const header of value) {
    const lower = header.toLowerCase();
    if (isSensitiveKey(lower) || lower === 'proxy-authorization' || lower === 'x-api-key') {
      diag.warn(
        `@datum-telemetry/http: ${name} lists ${JSON.stringify(header)}, a secret header; it is never recorded`,
      );
      continue;
    }
    out.push(lower);
  }
  return Object.freeze(out);
}

/**
 * Validates and resolves the options once, at factory time: an invalid option throws a
 * `ConfigError` naming it (a misspelt one with a did-you-mean).
 */
export function resolveOptions(
  options: HttpTelemetryOptions,
  env: Env = process.env,
): ResolvedOptions {
  validateOptions<HttpTelemetryOptions>(options, httpTelemetryOptionRules);
  let registry: ResourceRegistry | undefined;
  const resources = options.resources;
  if (Array.isArray(resources)) {
    try {
      registry = resources.length > 0 ? createResourceRegistry(resources) : undefined;
    } catch (error) {
      throw new ConfigError('resources', `is invalid:\n${(error as Error).message}`);
    }
  } else {
    registry = resources as ResourceRegistry | undefined;
  }

  const service = resolveService(options.service, env);
  let logger: RequestLogger | undefined;
  // Named as `@datum-telemetry/logging` names its lines: the `service.name` the resource carries.
  if (options.logger === undefined)
    logger = createJsonLogger({ name: options.service ?? resolveServiceName({}, env) });
  else if (options.logger !== false) logger = options.logger;

  const accessLog = options.accessLog ?? true;
  return {
    service,
    registry,
    isIgnored: resolveIgnore(options.ignorePaths),
    policy: options.incomingContext ?? 'continue',
    logger,
    accessLog: logger === undefined ? false : accessLog,
    traces: options.traces ?? true,
    metrics: options.metrics ?? true,
    requestHeaders: resolveHeaders('captureRequestHeaders', options.captureRequestHeaders),
    responseHeaders: resolveHeaders('captureResponseHeaders', options.captureResponseHeaders),
    durationBuckets:
      options.durationBuckets === undefined
        ? DEFAULT_DURATION_BUCKETS
        : Object.freeze([...options.durationBuckets]),
    requestHook: options.requestHook,
    spanName: options.spanName,
  };
}
