import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  HttpTelemetryOptions,
  RequestInfo,
  RequestLogger,
  RequestTelemetry,
} from '@datum-telemetry/http';
import type { Span } from '@opentelemetry/api';

/** What `requestHook` gets: the request as the core describes it, and Koa's context. */
export interface KoaRequestInfo extends RequestInfo {
  /** Koa's `ctx`, before any route matched. */
  readonly ctx: KoaContext;
}

/** Options of `telemetry()` for Koa: the options of `@datum-telemetry/http`. */
export interface KoaTelemetryOptions extends Omit<HttpTelemetryOptions, 'requestHook'> {
  /**
   * Called with the server span when it starts, to add attributes; `request.ctx` is Koa's context.
   * Runs guarded: a throw is reported through the diag logger and never breaks the request.
   */
  readonly requestHook?: (span: Span, request: KoaRequestInfo) => void;
}

/** The parts of a Koa context the middleware reads and sets. */
export interface KoaContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly originalUrl?: string;
  /** Set by @koa/router: the template of the matched route, prefixes included. */
  readonly _matchedRoute?: unknown;
  /** Set by @koa/router: the layers that matched. */
  readonly matched?: ReadonlyArray<{
    readonly path?: unknown;
    readonly methods?: readonly string[];
  }>;
  /** See {@link TelemetryFields}. */
  log?: RequestLogger;
  /** See {@link TelemetryFields}. */
  telemetry?: RequestTelemetry;
}

/** `(ctx, next)`: usable with `app.use()` of Koa 2 and 3. */
export type KoaMiddleware = (ctx: KoaContext, next: () => Promise<unknown>) => Promise<void>;

/**
 * The fields the middleware adds to a Koa context. Annotate handlers with it
 * (`async (ctx: ParameterizedContext & TelemetryFields) => ctx.log?.info('hi')`), or augment Koa's
 * `DefaultContext` with it. Both fields are optional because a context that has not passed through
 * `telemetry()` (a middleware mounted before it, an app without it) has neither.
 */
export interface TelemetryFields {
  /**
   * Request-scoped logger with trace ids and resource fields: a no-op logger on an ignored path,
   * `undefined` before `telemetry()` has seen the request.
   */
  log?: RequestLogger;
  /** This request's telemetry; `undefined` on an ignored path and before `telemetry()`. */
  telemetry?: RequestTelemetry;
}
