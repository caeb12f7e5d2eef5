// What each signal of the middleware costs: `node signal-cost.mjs <express|koa> <variant> <n>`
// drives one app in-process (see inprocess.mjs; exporters and the access log are live) and prints
// its CPU time per request as one JSON line, the export of its own spans included: the batch
// queue is flushed inside the measurement, and the event loop turns every 4 requests per
// connection so that the queue exports rather than drops (the dropped count is printed). Each
// variant runs in its own process, so `bare` carries no OpenTelemetry at all (no AsyncLocalStorage
// either). The variants add one thing at a time to the same app:
//   bare     the route alone
//   off      telemetry() with traces, metrics and the access log all turned off
//   traces   + the server span, exported over OTLP
//   metrics  + the request counter, duration histogram and in-flight gauge, exported over OTLP
//   log      + the access log line, written to a file
//   all      traces, metrics and the access log (the `*-ours-all` configuration); exemplars are
//            kept with the default filter `trace_based`, and every span is sampled
//   all-exemplars-off  the same with `OTEL_METRICS_EXEMPLAR_FILTER=always_off`: what exemplars cost
//            is `all` minus this
//   manual   the hand-written minimal OpenTelemetry middleware (span, counter, histogram) on the
//            same providers: the floor of any middleware built on the OpenTelemetry SDK
import { createRequire } from 'node:module';
import { withRoute as withExpressRoute } from './apps/express.mjs';
import { withRoute as withKoaRoute } from './apps/koa.mjs';
import {
  expressManualMiddleware,
  koaManualMiddleware,
  manualInstruments,
} from './apps/otel-manual.mjs';
import { PATHS, RESOURCES } from './apps/route.mjs';
import { drive } from './inprocess.mjs';

const require = createRequire(import.meta.url);
const { setupSignals } = await import('./apps/signals.mjs');

export const VARIANTS = [
  'bare',
  'off',
  'traces',
  'metrics',
  'log',
  'all',
  'all-exemplars-off',
  'manual',
];

const [framework, variant, requestsText = '20000'] = process.argv.slice(2);
if (!['express', 'koa'].includes(framework) || !VARIANTS.includes(variant)) {
  throw new Error(`usage: signal-cost.mjs <express|koa> <${VARIANTS.join('|')}> [requests]`);
}
const total = Number(requestsText);

const signals =
  variant === 'bare'
    ? undefined
    : setupSignals({
        sinkUrl: process.env.BENCH_SINK_URL,
        logFile: process.env.BENCH_LOG_FILE ?? '/dev/null',
        logs: variant === 'log' || variant.startsWith('all'),
        exemplarFilter: variant === 'all-exemplars-off' ? 'always_off' : 'trace_based',
      });
const OPTIONS = {
  off: { traces: false, metrics: false, logger: false },
  traces: { metrics: false, logger: false },
  metrics: { traces: false, logger: false },
  log: { traces: false, metrics: false, logger: signals?.logger },
  all: { logger: signals?.logger },
  'all-exemplars-off': { logger: signals?.logger },
};
const instruments = variant === 'manual' ? manualInstruments() : undefined;
const { telemetry: expressTelemetry } =
  framework === 'express' && variant in OPTIONS
    ? await import('@datum-telemetry/express')
    : { telemetry: undefined };
const { telemetry: koaTelemetry } =
  framework === 'koa' && variant in OPTIONS
    ? await import('@datum-telemetry/koa')
    : { telemetry: undefined };

function expressApp(variant) {
  const app = require('express')();
  if (variant in OPTIONS)
    app.use(expressTelemetry({ service: 'compute', resources: RESOURCES, ...OPTIONS[variant] }));
  if (variant === 'manual') {
    app.use(expressManualMiddleware(instruments));
  }
  return withExpressRoute(app);
}

function koaApp(variant) {
  const Koa = require('koa');
  const app = new Koa();
  if (variant in OPTIONS)
    app.use(koaTelemetry({ service: 'compute', resources: RESOURCES, ...OPTIONS[variant] }));
  if (variant === 'manual') {
    app.use(koaManualMiddleware(instruments));
  }
  return withKoaRoute(app);
}

const listener = framework === 'express' ? expressApp(variant) : koaApp(variant);

async function run(requests) {
  const dropped = signals?.droppedSpans() ?? 0;
  const cpu = process.cpuUsage();
  const failures = await drive(listener, { total: requests, paths: PATHS, yieldEvery: 4 });
  await signals?.flushSpans();
  const used = process.cpuUsage(cpu);
  return {
    cpuMicrosPerRequest: (used.user + used.system) / requests,
    droppedSpans: (signals?.droppedSpans() ?? 0) - dropped,
    failures,
  };
}

await run(Math.max(500, Math.round(total / 4)));
globalThis.gc?.();
const result = await run(total);
await signals?.shutdown();
process.stdout.write(`${JSON.stringify({ framework, variant, requests: total, ...result })}\n`);
process.exit(0);
