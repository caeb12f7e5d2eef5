import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpTelemetryOptions, RequestLogger, RequestTelemetry } from '@datum-telemetry/http';

/** Options of `telemetry()` for Koa: the options of `@datum-telemetry/http`. */
export type KoaTelemetryOptions = HttpTelemetryOptions;

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
