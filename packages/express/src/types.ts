import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  HttpTelemetryOptions,
  RequestInfo,
  RequestLogger,
  RequestTelemetry,
} from '@datum-telemetry/http';
import type { Span } from '@opentelemetry/api';

/** What `requestHook` gets: the request as the core describes it, and Express's own request. */
export interface ExpressRequestInfo extends RequestInfo {
  /** Express's `req`, before any route matched (no `req.params` yet). */
  readonly req: ExpressRequest;
}

/** Options of `telemetry()` for Express: the options of `@datum-telemetry/http`. */
export interface ExpressTelemetryOptions extends Omit<HttpTelemetryOptions, 'requestHook'> {
  /**
   * Called with the server span when it starts, to add attributes; `request.req` is Express's
   * request. Runs guarded: a throw is reported through the diag logger and never breaks the
   * request.
   */
  readonly requestHook?: (span: Span, request: ExpressRequestInfo) => void;
  /**
   * Record errors that reach the end of the app (passed to `next(err)` or thrown, and not answered
   * by an error handler of yours) by adding a pass-through error handler after your routes, the
   * first time a request comes in. The default value is `true`. For errors your own error handlers
   * answer, mount `recordErrors()` before them.
   */
  readonly captureUnhandledErrors?: boolean;
}

/** The request as the middleware sees it: a Node request with Express's fields. */
export interface ExpressRequest extends IncomingMessage {
  originalUrl?: string;
  baseUrl?: string;
  route?: { path?: unknown } | undefined;
  app?: unknown;
  /** See `Express.Request['log']`: `undefined` before `telemetry()` has seen the request. */
  log?: RequestLogger;
  /** See `Express.Request['telemetry']`. */
  telemetry?: RequestTelemetry;
}

/** `(req, res, next)`: usable with `app.use()` of Express 4 and 5. */
export type ExpressMiddleware = (
  req: ExpressRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/** `(err, req, res, next)`: an Express error handler. */
export type ExpressErrorMiddleware = (
  error: unknown,
  req: ExpressRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

declare global {
  // Express's own request type is augmented through this global namespace, so `req.log` and
  // `req.telemetry` are typed in handlers without importing anything from Express here. The
  // augmentation reaches every Express request, also those that never pass through `telemetry()`
  // (a route mounted before it, an app without it), and those read `undefined`: so both are optional.
  namespace Express {
    interface Request {
      /**
       * Request-scoped logger with trace ids and resource fields (from @datum-telemetry/express): a
       * no-op logger on an ignored path, `undefined` on a request that did not pass through
       * `telemetry()`. Write `req.log?.info(...)`.
       */
      log?: RequestLogger;
      /**
       * This request's telemetry (from @datum-telemetry/express); `undefined` on an ignored path and
       * on a request that did not pass through `telemetry()`.
       */
      telemetry?: RequestTelemetry;
    }
  }
}
