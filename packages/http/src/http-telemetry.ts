import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Tracer } from '@opentelemetry/api';
import { diag, trace } from '@opentelemetry/api';
import { Instruments } from './instruments.js';
import { requestInfoFromNode } from './node-request.js';
import { trackNodeResponse } from './node-response.js';
import type { ResolvedOptions } from './options.js';
import { resolveOptions } from './options.js';
import { ActiveRequest } from './request-telemetry.js';
import { SCOPE_NAME, SCOPE_VERSION } from './scope.js';
import type { HttpTelemetryOptions, NodeAdapter, RequestInfo, RequestTelemetry } from './types.js';

/** The framework-neutral core the adapters call: one `start()` (or `startNode()`) per request. */
export interface HttpTelemetry<Native = unknown> {
  /** The options after validation and defaults. */
  readonly options: ResolvedOptions;
  /**
   * Starts the telemetry of one request; the adapter calls its `end()`. `native` is the
   * framework's own request object (Express `req`, Koa `ctx`), handed to `requestHook` only.
   * Returns `undefined` for ignored paths: the adapter then passes the request on untouched.
   */
  start(request: RequestInfo, native?: unknown): RequestTelemetry | undefined;
  /**
   * Starts the telemetry of one request from Node's `req` and ends it when `res` closes (status,
   * aborted, response headers, and the route from the adapter given to `createHttpTelemetry`).
   * `native` is the framework's request (Express `req`, Koa `ctx`): for `requestHook` and the
   * adapter's `route`. `url` is the original URL (Express `req.originalUrl`), which routers may
   * rewrite on `req.url`. Never throws: returns `undefined` for ignored paths and, reported on the
   * diag logger, when the telemetry could not start; the adapter then passes the request on.
   */
  startNode(
    req: IncomingMessage,
    res: ServerResponse,
    native: Native,
    url?: string,
  ): RequestTelemetry | undefined;
}

/** The adapter of `startNode` when none is given: no route template. */
const NO_ROUTE: NodeAdapter<unknown> = Object.freeze({
  name: '@datum-telemetry/http',
  route: () => undefined,
});

/**
 * Creates the HTTP instrumentation. Options are validated here, once: an invalid option throws a
 * `ConfigError` naming it (a misspelt one with a did-you-mean). Spans, metrics and logs each light up when their provider
 * (or logger) is present, through the OpenTelemetry API only. `adapter` tells `startNode` how to
 * read the framework's route and how to name itself in diag messages.
 */
export function createHttpTelemetry<Native = unknown>(
  options: HttpTelemetryOptions = {},
  adapter: NodeAdapter<Native> = NO_ROUTE,
): HttpTelemetry<Native> {
  const resolved = resolveOptions(options);
  const tracer: Tracer = trace.getTracer(SCOPE_NAME, SCOPE_VERSION);
  const instruments = resolved.metrics
    ? new Instruments(resolved.service, resolved.durationBuckets)
    : undefined;
  const start = (request: RequestInfo, native?: unknown): ActiveRequest | undefined =>
    resolved.isIgnored(request.path)
      ? undefined
      : new ActiveRequest(request, resolved, tracer, instruments, native);
  return {
    options: resolved,
    start,
    startNode(req, res, native, url) {
      let rec: ActiveRequest | undefined;
      try {
        rec = start(requestInfoFromNode(req, url), native);
      } catch (error) {
        diag.error(
          `${adapter.name}: could not start request telemetry; the request goes on without it`,
          error,
        );
        return undefined;
      }
      if (rec?.recordsEnd === true) trackNodeResponse(rec, res, adapter, native);
      return rec;
    },
  };
}
