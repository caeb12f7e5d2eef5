// The simultaneous method: the two servers of a pair (a baseline and a configuration) run at the
// same time, pinned to the same CPU, each loaded by its own autocannon (pinned to the other CPUs).
// Whatever else the machine does in that window, both servers suffer it together. They are
// compared by requests per CPU-second of the server process, each server counting its own
// requests and CPU time over the same window (process.cpuUsage, every thread of the process); the
// p99 latency comes from each server's own load generator, and the event-loop delay from each
// server's `monitorEventLoopDelay` over the window. A bare-against-bare control pair per framework
// shows how even the two sides are (its ratio should be 1.00).
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { PATHS } from './apps/route.mjs';
import { cpuPlan } from './cpu-plan.mjs';
import { startLoad, startServer, startSink } from './processes.mjs';
import { rotated } from './rounds.mjs';

/**
 * Each pair: `subject` measured against `base`, at the same time on the same CPU. `saturated`
 * pairs are loaded by autocannon's closed loop (each server as fast as it can go on its share of
 * the CPU); `paced` pairs by a steady open-loop rate that leaves the CPU mostly idle, so that what
 * stalls the event loop (an export serialising a batch, a GC) is not hidden by the two servers
 * taking turns on the CPU.
 */
export const PAIRS = [
  { name: 'express-control', base: 'express-bare', subject: 'express-bare', load: 'saturated' },
  {
    name: 'express-ours-all',
    base: 'express-bare',
    subject: 'express-ours-all',
    load: 'saturated',
  },
  { name: 'express-ours-tm', base: 'express-bare', subject: 'express-ours-tm', load: 'saturated' },
  {
    name: 'express-otel-auto',
    base: 'express-bare',
    subject: 'express-otel-auto',
    load: 'saturated',
  },
  {
    name: 'express-otel-manual',
    base: 'express-bare',
    subject: 'express-otel-manual',
    load: 'saturated',
  },
  {
    name: 'express-metrics',
    base: 'express-prom-bundle',
    subject: 'express-ours-metrics',
    load: 'saturated',
  },
  {
    name: 'express-log',
    base: 'express-pino-http',
    subject: 'express-ours-log',
    load: 'saturated',
  },
  { name: 'express-paced', base: 'express-bare', subject: 'express-ours-all', load: 'paced' },
  { name: 'koa-control', base: 'koa-bare', subject: 'koa-bare', load: 'saturated' },
  { name: 'koa-ours-all', base: 'koa-bare', subject: 'koa-ours-all', load: 'saturated' },
  { name: 'koa-ours-tm', base: 'koa-bare', subject: 'koa-ours-tm', load: 'saturated' },
  { name: 'koa-otel-auto', base: 'koa-bare', subject: 'koa-otel-auto', load: 'saturated' },
  { name: 'koa-otel-manual', base: 'koa-bare', subject: 'koa-otel-manual', load: 'saturated' },
  { name: 'koa-paced', base: 'koa-bare', subject: 'koa-ours-all', load: 'paced' },
];

// The servers are sampled this long before the load generators stop, so that the window is
// inside both measured runs.
const WINDOW_MARGIN_MS = 250;

/** One side's numbers over the window, and its load generator's. */
function side(config, sample, windowSeconds, load) {
  return {
    config,
    requests: sample.requests,
    cpuMicros: sample.cpuMicros,
    windowSeconds,
    requestsPerCpuSecond: sample.cpuMicros > 0 ? sample.requests / (sample.cpuMicros / 1e6) : 0,
    requestsPerSecond: sample.requests / windowSeconds,
    cpuMicrosPerRequest: sample.requests > 0 ? sample.cpuMicros / sample.requests : undefined,
    eventLoop: sample.eventLoop,
    loadRequests: load.total,
    p50: load.p50,
    p99: load.p99,
    maxLatency: load.max,
    errors: load.errors + load.timeouts + load.non2xx,
  };
}

/**
 * Both servers up on `cpus.server`, both loads on `cpus.load` warming up together, released
 * together; the window runs from the mark to the sample. `swap` starts the subject first.
 */
async function measurePair(pair, { sinkUrl, logFile, cpus, settings, connections, swap }) {
  const sides = swap ? ['subject', 'base'] : ['base', 'subject'];
  const servers = {};
  const loads = {};
  try {
    for (const s of sides) {
      servers[s] = await startServer(
        pair[s],
        { BENCH_SINK_URL: sinkUrl, BENCH_LOG_FILE: `${logFile}.${s}` },
        { cpus: cpus.server },
      );
    }
    for (const s of sides) {
      loads[s] = startLoad({
        port: servers[s].port,
        paths: PATHS,
        connections: pair.load === 'paced' ? undefined : connections,
        rate: pair.load === 'paced' ? settings.pacedRate : undefined,
        warmupSeconds: settings.warmupSeconds,
        seconds: settings.measureSeconds,
        cpus: cpus.load,
      });
    }
    await Promise.all(sides.map((s) => loads[s].ready));
    const released = performance.now();
    const results = Promise.all(sides.map((s) => loads[s].go()));
    results.catch(() => {}); // awaited below; a failure before then is reported by what failed
    await Promise.all(sides.map((s) => servers[s].mark({ eventLoop: true })));
    const marked = performance.now();
    await sleep(
      Math.max(0, settings.measureSeconds * 1000 - WINDOW_MARGIN_MS - (marked - released)),
    );
    const samples = await Promise.all(sides.map((s) => servers[s].sample()));
    const windowSeconds = (performance.now() - marked) / 1000;
    const loaded = await results;
    const out = { swapped: swap };
    sides.forEach((s, i) => {
      out[s] = side(pair[s], samples[i], windowSeconds, loaded[i]);
    });
    return out;
  } finally {
    for (const s of sides) loads[s]?.stop();
    await Promise.all(sides.map((s) => servers[s]?.stop({ flush: false }).catch(() => undefined)));
    for (const s of sides) rmSync(`${logFile}.${s}`, { force: true });
  }
}

/**
 * Runs every pair (those whose name `only` matches) `settings.repeats` times, the pair order
 * rotating and the side started first alternating between repeats. Each repeat has its own sink,
 * pinned with the load generators.
 */
export async function simultaneousSection({ settings, connections, logFile, only, log }) {
  const plan = cpuPlan();
  if (plan.warning !== undefined) log(`[simultaneous] WARNING: ${plan.warning}`);
  const pairs = PAIRS.filter((pair) => only === undefined || only.test(pair.name));
  const repeats = [];
  const placement = [];
  for (let r = 0; r < settings.repeats; r++) {
    const cpus = plan.forRepeat(r);
    placement.push(cpus);
    const sink = await startSink('ok', { cpus: cpus.load });
    const repeat = {};
    try {
      for (const pair of rotated(pairs, r)) {
        log(
          `[simultaneous] repeat ${r + 1}/${settings.repeats} ${pair.subject} next to ${pair.base}`,
        );
        repeat[pair.name] = await measurePair(pair, {
          sinkUrl: sink.url,
          logFile,
          cpus,
          settings,
          connections,
          swap: r % 2 === 1,
        });
      }
    } finally {
      sink.stop();
    }
    repeats.push(repeat);
  }
  return {
    pairs,
    repeats,
    pinned: plan.pinned,
    warning: plan.warning,
    placement,
    warmupSeconds: settings.warmupSeconds,
    measureSeconds: settings.measureSeconds,
    pacedRate: settings.pacedRate,
    connections,
  };
}
