import type { NodeAdapter } from '@datum-telemetry/http';
import { createHttpTelemetry, defineRequestLog, withNativeRequest } from '@datum-telemetry/http';
import { context } from '@opentelemetry/api';
import { koaRoute } from './route.js';
import type { KoaContext, KoaMiddleware, KoaTelemetryOptions } from './types.js';

/** What the core needs from Koa: the route @koa/router matched, read when the response ends. */
const KOA: NodeAdapter<KoaContext> = Object.freeze({
  name: '@datum-telemetry/koa',
  route: koaRoute,
});

/**
 * The Koa middleware: `app.use(telemetry({ service: 'network', resources: [...] }))`, first, before
 * your router. Every request gets a server span (`{Operation}{Kind}` for declared resources,
 * `{METHOD} {route}` otherwise), request metrics, `ctx.log` and an access log line. Errors thrown
 * downstream (including `ctx.throw`) are recorded and rethrown unchanged, so Koa's error handling
 * and `app.on('error')` behave as without it. Options are checked here.
 */
export function telemetry(options: KoaTelemetryOptions = {}): KoaMiddleware {
  const core = createHttpTelemetry(withNativeRequest(options, 'ctx'), KOA);

  return async function datumTelemetry(ctx, next) {
    // The core starts from `ctx.req` and ends the request when `ctx.res` closes.
    const rec = core.startNode(
      ctx.req,
      ctx.res,
      ctx,
      typeof ctx.originalUrl === 'string' ? ctx.originalUrl : ctx.req.url,
    );
    defineRequestLog(ctx);
    if (rec === undefined) {
      await next();
      return;
    }
    ctx.telemetry = rec;
    try {
      // With no span and no caller's context, the request's context is the active one already.
      if (rec.context === context.active()) await next();
      else await context.with(rec.context, next);
    } catch (error) {
      rec.recordError(error);
      throw error;
    }
  };
}
