// The soak: `node soak.mjs <total> <framework>` sends `total` requests through the full middleware
// of `framework` (koa or express) with all three signals (spans exported over OTLP to the sink at
// BENCH_SINK_URL, metrics pushed every 5 s, the access log written to BENCH_LOG_FILE), driven
// in-process with real request and response objects (see inprocess.mjs) rather than through a
// socket, so that 1M requests fit in the time budget. Heap is measured after a full GC once the
// app is warm, at every quarter of the way, and at the end. Prints one JSON line.
import { PATHS } from './apps/route.mjs';
import { drive } from './inprocess.mjs';

const total = Number(process.argv[2] ?? 1_000_000);
const framework = process.argv[3] === 'express' ? 'express' : 'koa';
const warmup = Math.min(20_000, Math.max(1_000, Math.round(total / 50)));
const configs =
  framework === 'express'
    ? (await import('./apps/express.mjs')).expressConfigs
    : (await import('./apps/koa.mjs')).koaConfigs;
const built = await configs[`${framework}-ours-all`]({
  sinkUrl: process.env.BENCH_SINK_URL,
  logFile: process.env.BENCH_LOG_FILE ?? '/dev/null',
});

async function heapAfterGc() {
  // Let pending exports and log writes settle first, so the number is the steady state.
  await new Promise((resolve) => setTimeout(resolve, 200));
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

let failures = await drive(built.listener, { total: warmup, paths: PATHS });
const heapStart = await heapAfterGc();
const samples = [{ requests: 0, heapBytes: heapStart }];
const started = performance.now();
const step = Math.ceil(total / 4);
for (let done = 0; done < total; done += step) {
  const n = Math.min(step, total - done);
  failures += await drive(built.listener, { total: n, paths: PATHS });
  samples.push({ requests: done + n, heapBytes: await heapAfterGc() });
}
const seconds = (performance.now() - started) / 1000;
const heapEnd = samples.at(-1).heapBytes;
const droppedSpans = built.droppedSpans?.() ?? 0;
await built.shutdown();
process.stdout.write(
  `${JSON.stringify({
    framework,
    requests: total,
    warmupRequests: warmup,
    failures,
    seconds,
    heapStartBytes: heapStart,
    heapEndBytes: heapEnd,
    growthBytes: heapEnd - heapStart,
    droppedSpans,
    samples,
  })}\n`,
);
process.exit(0);
