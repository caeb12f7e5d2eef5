// What exemplars cost per measurement, next to the same measurement without them, in one process:
// the middleware's request recorder (the per-series cells of `@datum-telemetry/metrics`, reached
// through the `@datum-telemetry/config/request-cells` handoff, as the middleware reaches it) and an
// instrument of `defineMetrics`, each under the exemplar filter `always_off` (nothing read, no
// reservoir) and `trace_based` with a sampled span (every measurement offered to the reservoirs)
// and with an unsampled one (the span context read, nothing kept). Blocks alternate; the median of
// the samples is taken as ns per measurement, then the median over rounds.
// `node --expose-gc src/exemplar-cost.mjs [rounds]` prints one JSON line (the cost section of
// `pnpm bench` runs it and writes the table).
import { randomBytes } from 'node:crypto';
import { defineMetrics, setupMetrics } from '@datum-telemetry/metrics';
import { context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { compare } from './harness.mjs';

// The handoff's well-known symbol (`REQUEST_CELLS` of @datum-telemetry/config/request-cells).
const REQUEST_CELLS = Symbol.for('@datum-telemetry/request-cells.v1');
const rounds = Number(process.argv[2] ?? 3);
const options =
  process.env.BENCH_QUICK === '1'
    ? { samples: 3, sampleMs: 20, warmupMs: 50 }
    : { samples: 11, sampleMs: 60, warmupMs: 400 };

const SPEC = {
  scope: { name: '@datum-telemetry/http', version: 'bench' },
  keys: {
    method: 'http.request.method',
    route: 'http.route',
    status: 'http.response.status_code',
    operation: 'operation',
  },
  counter: { name: 'compute.http.requests.total', description: 'Requests', unit: '{request}' },
  histogram: {
    name: 'compute.http.request.duration.seconds',
    description: 'Duration',
    unit: 's',
    boundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
};

/** A metrics set-up under `filter`: its request recorder and a defineMetrics histogram. */
function setup(filter) {
  const handle = setupMetrics({
    service: 'compute',
    exporter: 'prometheus',
    prometheus: false,
    register: false,
    exemplarFilter: filter,
    env: {},
  });
  const store = handle.meterProvider[REQUEST_CELLS];
  if (store === undefined) throw new Error('the metrics set-up carries no request-cell store');
  const recorder = store.requestMetrics(SPEC);
  const { duration } = defineMetrics({
    service: 'compute',
    metrics: {
      duration: {
        name: 'compute.vm.op.duration.seconds',
        kind: 'histogram',
        attributes: ['operation'],
      },
    },
  }).create(handle.meter());
  return { recorder, duration };
}

const off = setup('always_off');
const on = setup('trace_based');
if (off.recorder.exemplars || !on.recorder.exemplars) throw new Error('unexpected filter state');

/** 64 span contexts with random ids (flat hex strings, as the SDK's generator makes them). */
function spans(flags) {
  return Array.from({ length: 64 }, () => ({
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: flags,
  }));
}
const sampled = spans(TraceFlags.SAMPLED);
const unsampled = spans(TraceFlags.NONE);
const ROUTES = ['/vms', '/vms/:name', '/nets', '/nets/:name'];
const seconds = (i) => 0.001 * ((i * 7) % 300);

const request = () =>
  compare(
    {
      always_off: (i) => off.recorder.record(ROUTES[i & 3], 'GET', 200, 'Get', seconds(i)),
      'trace_based, sampled': (i) =>
        on.recorder.record(ROUTES[i & 3], 'GET', 200, 'Get', seconds(i), sampled[i & 63]),
      'trace_based, unsampled': (i) =>
        on.recorder.record(ROUTES[i & 3], 'GET', 200, 'Get', seconds(i), unsampled[i & 63]),
    },
    options,
  );

// Own instruments read the active span: each variant runs inside a context with one.
const inSpan = (spanContext, fn) => (i) =>
  context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext[i & 63]), fn, undefined, i);
const own = () =>
  compare(
    {
      always_off: inSpan(sampled, (i) => off.duration.record(seconds(i), { operation: 'Get' })),
      'trace_based, sampled': inSpan(sampled, (i) =>
        on.duration.record(seconds(i), { operation: 'Get' }),
      ),
      'trace_based, unsampled': inSpan(unsampled, (i) =>
        on.duration.record(seconds(i), { operation: 'Get' }),
      ),
    },
    options,
  );

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const VARIANTS = ['always_off', 'trace_based, sampled', 'trace_based, unsampled'];
const all = { request: [], own: [] };
for (let r = 0; r < rounds; r++) {
  all.request.push(request());
  all.own.push(own());
}
const summary = { rounds };
for (const [what, results] of Object.entries(all)) {
  const round1 = (n) => Math.round(n * 10) / 10;
  const diffs = results.map((r) => r['trace_based, sampled'].nsPerOp - r.always_off.nsPerOp);
  summary[what] = {
    ...Object.fromEntries(
      VARIANTS.map((v) => [v, round1(median(results.map((r) => r[v].nsPerOp)))]),
    ),
    sampledMinusOff: round1(median(diffs)),
    range: [round1(Math.min(...diffs)), round1(Math.max(...diffs))],
  };
}
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exit(0);
