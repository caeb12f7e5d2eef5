import type { Tracer } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import { requestInfoFromNode } from './attributes.js';
import { Instruments } from './instruments.js';
import type { ResolvedOptions } from './options.js';
import { resolveOptions } from './options.js';
import { RequestTelemetry } from './request-telemetry.js';
import { SCOPE_NAME, SCOPE_VERSION } from './scope.js';
import type { HttpTelemetryOptions, RequestInfo } from './types.js';

/** The framework-neutral core the adapters call: one `start()` per request. */
export interface HttpTelemetry {
  /** The options after validation and defaults. */
  readonly options: ResolvedOptions;
  /**
   * Starts the telemetry of one request. `native` is the framework's own request object (Express
   * `req`, Koa `ctx`), handed to `requestHook` only. Returns `undefined` for ignored paths: the
   * adapter then passes the request on untouched.
   */
  start(request: RequestInfo, native?: unknown): RequestTelemetry | undefined;
}

/**
 * Creates the HTTP instrumentation. Options are validated here, once: an invalid option throws a
 * `ConfigError` naming it (a misspelt one with a did-you-mean). Spans, metrics and logs each light up when their provider
 * (or logger) is present, through the OpenTelemetry API only.
 */
export function createHttpTelemetry(options: HttpTelemetryOptions = {}): HttpTelemetry {
  const resolved = resolveOptions(options);
  const tracer: Tracer = trace.getTracer(SCOPE_NAME, SCOPE_VERSION);
  const instruments = resolved.metrics
    ? new Instruments(resolved.service, resolved.durationBuckets)
    : undefined;
  return {
    options: resolved,
    start(request, native) {
      if (resolved.isIgnored(request.path)) return undefined;
      return new RequestTelemetry(request, resolved, tracer, instruments, native);
    },
  };
}

export { requestInfoFromNode };
