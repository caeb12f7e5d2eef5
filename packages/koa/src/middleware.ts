import type { RequestTelemetry } from '@datum-telemetry/http';
import {
  createHttpTelemetry,
  defineRequestLog,
  requestInfoFromNode,
  withNativeRequest,
} from '@datum-telemetry/http';
import { context, diag } from '@opentelemetry/api';
import { koaRoute } from './route.js';
import type { KoaMiddleware, KoaTelemetryOptions } from './types.js';

/**
 * The Koa middleware: `app.use(telemetry({ service: 'network', resources: [...] }))`, first, before
 * your router. Every request gets a server span (`{Operation}{Kind}` for declared resources,
 * `{METHOD} {route}` otherwise), request metrics, `ctx.log` and an access log line. Errors thrown
 * downstream (including `ctx.throw`) are recorded and rethrown unchanged, so Koa's error handling
 * and `app.on('error')` behave as without it. Options are checked here.
 */
export function telemetry(options: KoaTelemetryOptions = {}): KoaMiddleware {
  const core = createHttpTelemetry(withNativeRequest(options, 'ctx'));

  return async function datumTelemetry(ctx, next) {
    let rec: RequestTelemetry | undefined;
    try {
      rec = core.start(
        requestInfoFromNode(
          ctx.req,
          typeof ctx.originalUrl === 'string' ? ctx.originalUrl : ctx.req.url,
        ),
        ctx,
      );
    } catch (error) {
      diag.error(
        '@datum-telemetry/koa: could not start request telemetry; the request goes on without it',
        error,
      );
      rec = undefined;
    }
    defineRequestLog(ctx);
    if (rec === undefined) {
      await next();
      return;
    }
    ctx.telemetry = rec;
    const res = ctx.res;
    const started = rec;
    res.once('close', () => {
      let route: string | undefined;
      try {
        route = koaRoute(ctx);
      } catch (error) {
        diag.debug('@datum-telemetry/koa: route template not found', error);
      }
      started.end({
        statusCode: res.headersSent ? res.statusCode : undefined,
        route,
        aborted: !res.writableFinished,
        responseHeaders: started.wantsResponseHeaders
          ? (res.getHeaders() as Record<string, unknown>)
          : undefined,
      });
    });
    try {
      await context.with(rec.context, next);
    } catch (error) {
      rec.recordError(error);
      throw error;
    }
  };
}
