// What the middleware itself costs with every signal off, measured in one process:
// `node --expose-gc skeleton.mjs <express|koa> [rounds] [requests per block]`. Two apps serve
// the same route, one bare and one behind `telemetry({ traces: false, metrics: false, logger:
// false })`, with the tracing and metrics providers registered as a service would (so both pay
// the same context manager). Blocks of requests alternate between the two apps (the order
// flips every round) and each block's CPU time per request is read; the skeleton's cost is the
// difference within a round, and the median over rounds is printed as one JSON line. One
// process, so the two apps share the JIT, the GC and the machine's noise.
import { createRequire } from 'node:module';
import { withRoute as withExpressRoute } from './apps/express.mjs';
import { withRoute as withKoaRoute } from './apps/koa.mjs';
import { PATHS, RESOURCES } from './apps/route.mjs';
import { setupSignals } from './apps/signals.mjs';
import { drive } from './inprocess.mjs';

const require = createRequire(import.meta.url);
const [framework = 'koa', roundsText = '15', blockText] = process.argv.slice(2);
if (!['express', 'koa'].includes(framework)) {
  throw new Error('usage: skeleton.mjs <express|koa> [rounds] [requests per block]');
}
const rounds = Number(roundsText);
const block = Number(blockText ?? (framework === 'koa' ? 10_000 : 5_000));

const signals = setupSignals({ sinkUrl: process.env.BENCH_SINK_URL ?? 'http://127.0.0.1:9' });
const OFF = { service: 'compute', resources: RESOURCES, traces: false, metrics: false };

async function apps() {
  if (framework === 'express') {
    const express = require('express');
    const { telemetry } = await import('@datum-telemetry/express');
    const off = express();
    off.use(telemetry({ ...OFF, logger: false }));
    return { bare: withExpressRoute(express()), off: withExpressRoute(off) };
  }
  const Koa = require('koa');
  const { telemetry } = await import('@datum-telemetry/koa');
  const off = new Koa();
  off.use(telemetry({ ...OFF, logger: false }));
  return { bare: withKoaRoute(new Koa()), off: withKoaRoute(off) };
}

const listeners = await apps();

async function cpuPerRequest(listener, total) {
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const failures = await drive(listener, { total, paths: PATHS, yieldEvery: 4 });
  const used = process.cpuUsage(cpu);
  if (failures > 0) throw new Error(`${failures} failed requests`);
  return (used.user + used.system) / total;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// Warm both paths up before measuring.
await cpuPerRequest(listeners.bare, block);
await cpuPerRequest(listeners.off, block);
const bare = [];
const off = [];
const cost = [];
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? ['bare', 'off'] : ['off', 'bare'];
  const got = {};
  for (const name of order) got[name] = await cpuPerRequest(listeners[name], block);
  bare.push(got.bare);
  off.push(got.off);
  cost.push(got.off - got.bare);
}
await signals.shutdown();
const round2 = (n) => Math.round(n * 100) / 100;
process.stdout.write(
  `${JSON.stringify({
    framework,
    rounds,
    block,
    bareMicros: round2(median(bare)),
    offMicros: round2(median(off)),
    skeletonMicros: round2(median(cost)),
    skeletonRange: [round2(Math.min(...cost)), round2(Math.max(...cost))],
  })}\n`,
);
process.exit(0);
