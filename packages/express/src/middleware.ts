import type { OptionsSchema } from '@datum-telemetry/config';
import { rules, validateOptions } from '@datum-telemetry/config';
import type { NodeAdapter } from '@datum-telemetry/http';
import {
  createHttpTelemetry,
  httpTelemetryOptionRules,
  withNativeRequest,
} from '@datum-telemetry/http';
import { context, diag } from '@opentelemetry/api';
import { attachRequestTelemetry } from './request-properties.js';
import { expressRoute } from './route.js';
import type {
  ExpressErrorMiddleware,
  ExpressMiddleware,
  ExpressRequest,
  ExpressTelemetryOptions,
} from './types.js';

/** The options of `@datum-telemetry/http` and the one of this adapter, checked together. */
const expressTelemetryOptionRules: OptionsSchema<ExpressTelemetryOptions> = {
  ...httpTelemetryOptionRules,
  captureUnhandledErrors: rules.boolean,
};

interface AppLike {
  use(handler: ExpressErrorMiddleware): unknown;
}

/**
 * Records an error on the request's span (it is marked as an error if the response is a 5xx) and
 * passes it on unchanged. Mount it after your routes and before your own error handlers.
 */
export function recordErrors(): ExpressErrorMiddleware {
  return function datumTelemetryRecordErrors(error, req, _res, next) {
    req.telemetry?.recordError(error);
    next(error);
  };
}

/** What the core needs from Express: the route template, read when the response ends. */
const EXPRESS: NodeAdapter<ExpressRequest> = Object.freeze({
  name: '@datum-telemetry/express',
  route: (req: ExpressRequest) => expressRoute(req as Parameters<typeof expressRoute>[0]),
});

/**
 * The Express middleware: `app.use(telemetry({ service: 'compute', resources: [...] }))`, first,
 * before your routes. Every request gets a server span (`{Operation}{Kind}` for declared resources,
 * `{METHOD} {route}` otherwise), request metrics, `req.log` and an access log line. Options are
 * checked here: an invalid one throws a `ConfigError` with its name and what it expects (a
 * misspelt one with a did-you-mean).
 */
export function telemetry(options: ExpressTelemetryOptions = {}): ExpressMiddleware {
  validateOptions<ExpressTelemetryOptions>(options, expressTelemetryOptionRules);
  const { captureUnhandledErrors, ...httpOptions } = options;
  const core = createHttpTelemetry(withNativeRequest(httpOptions, 'req'), EXPRESS);
  const captureUnhandled = captureUnhandledErrors ?? true;
  const appsWithRecorder = new WeakSet<object>();
  const recorder = recordErrors();

  return function datumTelemetry(req, res, next) {
    // The core starts from `req` and ends the request when `res` closes.
    const rec = core.startNode(
      req,
      res,
      req,
      typeof req.originalUrl === 'string' ? req.originalUrl : req.url,
    );
    attachRequestTelemetry(req, rec);
    if (rec === undefined) {
      next();
      return;
    }
    if (captureUnhandled) {
      const app = req.app as AppLike | undefined;
      if (app !== undefined && typeof app.use === 'function' && !appsWithRecorder.has(app)) {
        appsWithRecorder.add(app);
        try {
          app.use(recorder);
        } catch (error) {
          diag.warn('@datum-telemetry/express: could not add the error recorder', error);
        }
      }
    }
    // With no span and no caller's context, the request's context is the active one already.
    if (rec.context === context.active()) next();
    else context.with(rec.context, next);
  };
}
