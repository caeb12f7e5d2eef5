import { resolveServiceName } from '@datum-telemetry/config';
import type { ResourceRegistry } from '@datum-telemetry/conventions';
import {
  checkServiceName,
  createResourceRegistry,
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

/** Thrown when `telemetry(options)` gets an option it cannot use. */
export class HttpTelemetryOptionsError extends TypeError {
  readonly option: string;

  constructor(option: string, message: string) {
    super(`telemetry(): option \`${option}\` ${message}`);
    this.name = 'HttpTelemetryOptionsError';
    this.option = option;
  }
}

export const DEFAULT_IGNORE_PATHS: readonly string[] = Object.freeze([
  '/healthz',
  '/readyz',
  '/livez',
  '/metrics',
]);
export const DEFAULT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);
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

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value).slice(0, 60) : typeof value;
}

function optionalFunction<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new HttpTelemetryOptionsError(name, `must be a function, got ${typeName(value)}`);
  }
  return value;
}

function optionalBoolean(name: string, value: boolean | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new HttpTelemetryOptionsError(name, `must be true or false, got ${typeName(value)}`);
  return value;
}

function resolveService(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (option !== undefined) {
    const findings = checkServiceName(option);
    if (findings.length > 0)
      throw new HttpTelemetryOptionsError('service', `is invalid: ${findings[0]!.message}`);
    return option;
  }
  const fromEnv = env.OTEL_SERVICE_NAME?.trim();
  if (fromEnv) {
    const segment = toServiceSegment(fromEnv);
    if (segment !== fromEnv) {
      diag.warn(
        `@datum-telemetry/http: OTEL_SERVICE_NAME ${JSON.stringify(fromEnv)} is not a metric segment; metric names use ${JSON.stringify(segment)}`,
      );
    }
    return segment;
  }
  diag.warn(
    '@datum-telemetry/http: no service name (option `service` or OTEL_SERVICE_NAME); metric names start with "unknown_service"',
  );
  return 'unknown_service';
}

function resolveIgnore(value: HttpTelemetryOptions['ignorePaths']): (path: string) => boolean {
  if (value === undefined) value = DEFAULT_IGNORE_PATHS;
  if (typeof value === 'function') return value;
  if (!Array.isArray(value)) {
    throw new HttpTelemetryOptionsError(
      'ignorePaths',
      `must be an array of paths and regular expressions or a function, got ${typeName(value)}`,
    );
  }
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const item of value) {
    if (typeof item === 'string' && item.startsWith('/'))
      exact.add(item.length > 1 ? item.replace(/\/+$/, '') : item);
    else if (item instanceof RegExp) patterns.push(item);
    else
      throw new HttpTelemetryOptionsError(
        'ignorePaths',
        `holds ${typeName(item)}: each entry is a path starting with "/" or a RegExp`,
      );
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
  if (!Array.isArray(value) || value.some((h) => typeof h !== 'string' || h.length === 0)) {
    throw new HttpTelemetryOptionsError(name, 'must be an array of header names');
  }
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

function resolveBuckets(value: readonly number[] | undefined): readonly number[] {
  if (value === undefined) return DEFAULT_DURATION_BUCKETS;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some(
      (b, i) =>
        typeof b !== 'number' || !Number.isFinite(b) || b < 0 || (i > 0 && b <= value[i - 1]!),
    )
  ) {
    throw new HttpTelemetryOptionsError(
      'durationBuckets',
      'must be a non-empty array of increasing non-negative numbers of seconds',
    );
  }
  return Object.freeze([...value]);
}

/** Validates and resolves the options once, at factory time. Throws for anything invalid. */
export function resolveOptions(
  options: HttpTelemetryOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new HttpTelemetryOptionsError('options', `must be an object, got ${typeName(options)}`);
  }
  let registry: ResourceRegistry | undefined;
  const resources = options.resources;
  if (resources !== undefined) {
    if (Array.isArray(resources)) {
      try {
        registry = resources.length > 0 ? createResourceRegistry(resources) : undefined;
      } catch (error) {
        throw new HttpTelemetryOptionsError(
          'resources',
          `is invalid:\n${(error as Error).message}`,
        );
      }
    } else if (
      resources !== null &&
      typeof resources === 'object' &&
      typeof (resources as ResourceRegistry).match === 'function'
    ) {
      registry = resources as ResourceRegistry;
    } else {
      throw new HttpTelemetryOptionsError(
        'resources',
        `must be an array of { group, plural, kind, short } or a registry, got ${typeName(resources)}`,
      );
    }
  }

  const policy = options.incomingContext ?? 'continue';
  if (typeof policy !== 'function' && !POLICIES.includes(policy)) {
    throw new HttpTelemetryOptionsError(
      'incomingContext',
      `must be one of ${POLICIES.map((p) => `"${p}"`).join(', ')} or a function, got ${typeName(policy)}`,
    );
  }

  const service = resolveService(options.service, env);
  let logger: RequestLogger | undefined;
  // Named as `@datum-telemetry/logging` names its lines: the `service.name` the resource carries.
  if (options.logger === undefined)
    logger = createJsonLogger({ name: options.service ?? resolveServiceName({}, env) });
  else if (options.logger === false) logger = undefined;
  else if (
    options.logger !== null &&
    typeof options.logger === 'object' &&
    typeof options.logger.child === 'function' &&
    typeof options.logger.info === 'function'
  ) {
    logger = options.logger;
  } else {
    throw new HttpTelemetryOptionsError(
      'logger',
      `must be a logger with child() and info()/warn()/error() (bunyan or @datum-telemetry/logging), or false; got ${typeName(options.logger)}`,
    );
  }

  const accessLog = options.accessLog ?? true;
  if (typeof accessLog !== 'boolean' && typeof accessLog !== 'function') {
    throw new HttpTelemetryOptionsError(
      'accessLog',
      `must be true, false or a function, got ${typeName(accessLog)}`,
    );
  }

  return {
    service,
    registry,
    isIgnored: resolveIgnore(options.ignorePaths),
    policy,
    logger,
    accessLog: logger === undefined ? false : accessLog,
    traces: optionalBoolean('traces', options.traces, true),
    metrics: optionalBoolean('metrics', options.metrics, true),
    requestHeaders: resolveHeaders('captureRequestHeaders', options.captureRequestHeaders),
    responseHeaders: resolveHeaders('captureResponseHeaders', options.captureResponseHeaders),
    durationBuckets: resolveBuckets(options.durationBuckets),
    requestHook: optionalFunction('requestHook', options.requestHook),
    spanName: optionalFunction('spanName', options.spanName),
  };
}
