// The Koa 3 configurations, with @koa/router. Loaded with require() after any instrumentation
// started, like the Express ones.
import { createRequire } from 'node:module';
import { koaManualMiddleware, manualInstruments } from './otel-manual.mjs';
import { RESOURCES, ROUTE, virtualMachine } from './route.mjs';

const require = createRequire(import.meta.url);

// Loaded only by the configurations that use them, so the others carry none of their code.
async function setupSignals(options) {
  return (await import('./signals.mjs')).setupSignals(options);
}
async function startOtelAuto(options) {
  return (await import('./otel-auto.mjs')).startOtelAuto(options);
}

/** Adds the route every configuration serves (with @koa/router); returns the listener. */
export function withRoute(app) {
  const Router = require('@koa/router');
  const router = new Router();
  router.get(ROUTE, (ctx) => {
    ctx.body = virtualMachine(ctx.params.namespace, ctx.params.name);
  });
  app.use(router.routes());
  return app.callback();
}

export const koaConfigs = {
  'koa-bare': async () => {
    const Koa = require('koa');
    return { listener: withRoute(new Koa()), shutdown: async () => {} };
  },

  'koa-ours-all': async ({ sinkUrl, logFile }) => {
    const signals = await setupSignals({ sinkUrl, logFile, logs: true });
    const Koa = require('koa');
    const { telemetry } = await import('@datum-telemetry/koa');
    const app = new Koa();
    app.use(telemetry({ service: 'compute', resources: RESOURCES, logger: signals.logger }));
    return {
      listener: withRoute(app),
      shutdown: signals.shutdown,
      droppedSpans: signals.droppedSpans,
    };
  },

  'koa-ours-tm': async ({ sinkUrl, logFile }) => {
    const signals = await setupSignals({ sinkUrl, logFile, logs: false });
    const Koa = require('koa');
    const { telemetry } = await import('@datum-telemetry/koa');
    const app = new Koa();
    app.use(telemetry({ service: 'compute', resources: RESOURCES, logger: false }));
    return { listener: withRoute(app), shutdown: signals.shutdown };
  },

  'koa-otel-auto': async ({ sinkUrl }) => {
    const otel = await startOtelAuto({ sinkUrl, framework: 'koa' });
    const Koa = require('koa');
    return { listener: withRoute(new Koa()), shutdown: otel.shutdown };
  },

  'koa-otel-manual': async ({ sinkUrl, logFile }) => {
    const signals = await setupSignals({ sinkUrl, logFile, logs: false });
    const Koa = require('koa');
    const instruments = manualInstruments();
    const app = new Koa();
    app.use(koaManualMiddleware(instruments));
    return { listener: withRoute(app), shutdown: signals.shutdown };
  },
};
