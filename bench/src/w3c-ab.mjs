// The W3C propagators of two builds and the stock ones: `node --expose-gc src/w3c-ab.mjs <other
// checkout, built> [rounds]` measures each workload of `w3c-workloads.mjs` with the other
// checkout's TraceContextPropagator / BaggagePropagator ("before"), this checkout's ("after") and
// @opentelemetry/core's W3CTraceContextPropagator / W3CBaggagePropagator ("stock"), the three
// interleaved in the same loop of one process (`harness.mjs`, median CPU ns per call). Each round
// is a fresh process (JIT decisions differ from one process to the next, and move a case by up to
// a third); the table gives each side's median over the rounds and the range of the ratios, which
// are taken within a round. Prints a Markdown table.
//
//   git worktree add --detach /tmp/w3c-base <old-commit> && (cd /tmp/w3c-base &&
//     pnpm install --frozen-lockfile && pnpm turbo run build --filter=@datum-telemetry/tracing)
//   node --expose-gc bench/src/w3c-ab.mjs /tmp/w3c-base 5
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BaggagePropagator, TraceContextPropagator } from '@datum-telemetry/tracing';
import { W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { compare } from './harness.mjs';
import { median } from './stats.mjs';
import { w3cWorkloads } from './w3c-workloads.mjs';

const [otherRoot, roundsText = '5', mode] = process.argv.slice(2);
const otherDist = otherRoot && resolve(otherRoot, 'packages/tracing/dist/w3c');
if (otherDist === undefined || !existsSync(otherDist)) {
  throw new Error('usage: w3c-ab.mjs <other checkout, tracing built> [rounds]');
}

/** One round in this process: `{ workload: { before, after, stock } }` in ns per call. */
async function round() {
  const load = (file) => import(pathToFileURL(resolve(otherDist, file)).href);
  const sides = {
    before: w3cWorkloads({
      traceContext: new (await load('trace-context-propagator.js')).TraceContextPropagator(),
      baggage: new (await load('baggage-propagator.js')).BaggagePropagator(),
    }),
    after: w3cWorkloads({
      traceContext: new TraceContextPropagator(),
      baggage: new BaggagePropagator(),
    }),
    stock: w3cWorkloads({
      traceContext: new W3CTraceContextPropagator(),
      baggage: new W3CBaggagePropagator(),
    }),
  };
  const options = { samples: 11, sampleMs: 60, warmupMs: 400 };
  const result = {};
  for (const name of Object.keys(sides.after)) {
    const r = compare(
      Object.fromEntries(Object.entries(sides).map(([side, fns]) => [side, fns[name]])),
      options,
    );
    result[name] = { before: r.before.nsPerOp, after: r.after.nsPerOp, stock: r.stock.nsPerOp };
  }
  return result;
}

if (mode === '--round') {
  process.stdout.write(`${JSON.stringify(await round())}\n`);
} else {
  const rounds = [];
  for (let i = 0; i < Number(roundsText); i++) {
    const out = execFileSync(
      process.execPath,
      ['--expose-gc', fileURLToPath(import.meta.url), otherRoot, '1', '--round'],
      { encoding: 'utf8' },
    );
    rounds.push(JSON.parse(out.trim().split('\n').pop()));
    process.stderr.write(`round ${i + 1} of ${roundsText} done\n`);
  }
  const ns = (value) => value.toFixed(0);
  const ratio = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return `${median(values).toFixed(2)}x (${sorted[0].toFixed(2)}-${sorted.at(-1).toFixed(2)})`;
  };
  const lines = [
    `| workload (median of ${rounds.length} processes) | before (ns) | after (ns) | stock (ns) | after / before | after / stock |`,
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const name of Object.keys(rounds[0])) {
    const side = (key) => rounds.map((r) => r[name][key]);
    lines.push(
      `| ${name} | ${ns(median(side('before')))} | ${ns(median(side('after')))} | ${ns(median(side('stock')))} | ${ratio(rounds.map((r) => r[name].after / r[name].before))} | ${ratio(rounds.map((r) => r[name].after / r[name].stock))} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
