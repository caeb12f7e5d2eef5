// The W3C propagators of two builds and the stock ones, in one process: `node --expose-gc
// src/w3c-ab.mjs <other checkout, built> [samples]` measures each workload of
// `w3c-workloads.mjs` with the other checkout's TraceContextPropagator / BaggagePropagator
// ("before"), this checkout's ("after") and @opentelemetry/core's W3CTraceContextPropagator /
// W3CBaggagePropagator ("stock") interleaved in the same loop (`harness.mjs`), and prints a
// Markdown table of median ns per call.
//
//   git worktree add --detach /tmp/w3c-base <old-commit> && (cd /tmp/w3c-base &&
//     pnpm install --frozen-lockfile && pnpm turbo run build --filter=@datum-telemetry/tracing)
//   node --expose-gc bench/src/w3c-ab.mjs /tmp/w3c-base
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BaggagePropagator, TraceContextPropagator } from '@datum-telemetry/tracing';
import { W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { compare } from './harness.mjs';
import { w3cWorkloads } from './w3c-workloads.mjs';

const [otherRoot, samplesText = '11'] = process.argv.slice(2);
const otherDist = otherRoot && resolve(otherRoot, 'packages/tracing/dist/w3c');
if (otherDist === undefined || !existsSync(otherDist)) {
  throw new Error('usage: w3c-ab.mjs <other checkout, tracing built> [samples]');
}
const load = (file) => import(pathToFileURL(resolve(otherDist, file)).href);
const before = {
  traceContext: new (await load('trace-context-propagator.js')).TraceContextPropagator(),
  baggage: new (await load('baggage-propagator.js')).BaggagePropagator(),
};
const sides = {
  before: w3cWorkloads(before),
  after: w3cWorkloads({
    traceContext: new TraceContextPropagator(),
    baggage: new BaggagePropagator(),
  }),
  stock: w3cWorkloads({
    traceContext: new W3CTraceContextPropagator(),
    baggage: new W3CBaggagePropagator(),
  }),
};
const options = { samples: Number(samplesText), sampleMs: 60, warmupMs: 400 };
const ns = (value) => value.toFixed(0);
const lines = [
  '| workload | before (ns) | after (ns) | stock (ns) | after / before | after / stock |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
];
for (const name of Object.keys(sides.after)) {
  const r = compare(
    Object.fromEntries(Object.entries(sides).map(([side, fns]) => [side, fns[name]])),
    options,
  );
  const [b, a, s] = [r.before.nsPerOp, r.after.nsPerOp, r.stock.nsPerOp];
  lines.push(
    `| ${name} | ${ns(b)} | ${ns(a)} | ${ns(s)} | ${(a / b).toFixed(2)}x | ${(a / s).toFixed(2)}x |`,
  );
  process.stderr.write(`${lines.at(-1)}\n`);
}
process.stdout.write(`${lines.join('\n')}\n`);
