// The Express 5 configurations. Express (and every middleware that wraps it) is loaded with
// require() after any instrumentation started, as a CommonJS app would; the bare app loads the
// same way so that loading is not a difference.
import { createRequire } from 'node:module';
import { expressManualMiddleware, manualInstruments } from './otel-manual.mjs';
import { RESOURCES, ROUTE, virtualMachine } from './route.mjs';

const require = createRequire(import.meta.url);

// Loaded only by the configurations that use them, so the others carry none of their code.
async function setupSignals(options) {
  return (await import('./signals.mjs')).setupSignals(options);
}
async function startOtelAuto(options) {
  return (await import('./otel-auto.mjs')).startOtelAuto(options);
}

/** Adds the route every configuration serves; returns the app (a listener). */
export function withRoute(app) {
  app.get(ROUTE, (req, res) => {
    res.json(virtualMachine(req.params.namespace, req.params.name));
  });
  return app;
}

const nothing = { shutdown: async () => {} };

export const expressConfigs = {
  'express-bare': async () => {
    const express = require('express');
    return { listener: withRoute(express()), ...nothing };
  },

  'express-ours-all': async ({ sinkUrl, logFile }) => {
    const signals = await setupSignals({ sinkUrl, logFile, logs: true });
    const express = require('express');
    const { telemetry } = await import('@datum-telemetry/express');
    const app = express();
    app.use(telemetry({ service: 'compute', resources: RESOURCES, logger: signals.logger }));
    return {
      listener: withRoute(app),
      shutdown: signals.shutdown,
      droppedSpans: signals.droppedSpans,
    };
  },

  'express-ours-tm': async ({ sinkUrl, logFile }) => {
    const signals = await setupSignals({ sinkUrl, logFile, logs: false });
    const express = require('express');
    const { telemetry } = await import('@datum-telemetry/express');
    const app = express();
    app.use(telemetry({ service: 'compute', resources: RESOURCES, logger: false }));
    return { listener: withRoute(app), shutdown: signals.shutdown };
  },

  // Metrics only, next to express-prom-bundle: what it does is aggregate in memory and serve
  // /metrics on the app for Prometheus to pull, so ours gets the same, the Prometheus reader
  // without an endpoint of its own and `metricsHandler` on the app. No tracing set up.
  'express-ours-metrics': async () => {
    const { setupMetrics } = await import('@datum-telemetry/metrics');
    const metrics = setupMetrics({
      service: 'compute',
      exporter: 'prometheus',
      prometheus: { serve: false },
    });
    const express = require('express');
    const { telemetry } = await import('@datum-telemetry/express');
    const app = express();
    app.use(telemetry({ service: 'compute', resources: RESOURCES, traces: false, logger: false }));
    app.get('/metrics', metrics.metricsHandler);
    return { listener: withRoute(app), shutdown: () => metrics.shutdown() };
  },

  // The access log only, next to pino-http: JSON lines to a file with the package's file writer
  // (as pino-http's configuration uses pino.destination); no tracing or metrics set up.
  'express-ours-log': async ({ logFile }) => {
    const { createLogFile, createLogger } = await import('@datum-telemetry/logging');
    const file = createLogFile(logFile);
    const logger = createLogger({ service: 'compute', stream: file });
    const express = require('express');
    const { telemetry } = await import('@datum-telemetry/express');
    const app = express();
    app.use(
      telemetry({
        service: 'compute',
        resources: RESOURCES,
        traces: false,
        metrics: false,
        logger,
      }),
    );
    return { listener: withRoute(app), shutdown: async () => file.close() };
  },

  'express-otel-auto': async ({ sinkUrl }) => {
    const otel = await startOtelAuto({ sinkUrl, framework: 'express' });
    const express = require('express');
    return { listener: withRoute(express()), shutdown: otel.shutdown };
  },

  'express-otel-manual': async ({ sinkUrl, logFile }) => {
    const signals = await setupSignals({ sinkUrl, logFile, logs: false });
    const express = require('express');
    const instruments = manualInstruments();
    const app = express();
    app.use(expressManualMiddleware(instruments));
    return { listener: withRoute(app), shutdown: signals.shutdown };
  },

  'express-prom-bundle': async () => {
    const express = require('express');
    const promBundle = require('express-prom-bundle');
    const app = express();
    app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
    return { listener: withRoute(app), ...nothing };
  },

  'express-pino-http': async ({ logFile }) => {
    const express = require('express');
    const pino = require('pino');
    const pinoHttp = require('pino-http');
    const destination = pino.destination({ dest: logFile, sync: false });
    const app = express();
    app.use(pinoHttp({ logger: pino(destination) }));
    return {
      listener: withRoute(app),
      shutdown: async () => {
        destination.flushSync();
        destination.end();
      },
    };
  },
};
