// `pnpm bench`: the simultaneous comparison (pairs of servers sharing a CPU), the interleaved HTTP
// comparison, the reliability scenario, the micro benchmarks, what each signal costs in-process,
// the soak and a CPU profile of the middleware, then the goals and the tables on stdout and in
// bench/RESULTS.md.
//
// Environment:
//   BENCH_QUICK=1          smoke mode: short runs, 1 round or repeat, a short soak (for CI)
//   BENCH_RESULTS=<file>   where the Markdown goes (default bench/RESULTS.md)
//   BENCH_JSON=<file>      also write every number as JSON there
//   BENCH_SECTIONS=a,b     only these sections, of: simultaneous, http, reliability, micro, cost,
//                          soak, profile (default: all of them)
//   BENCH_ONLY=<regexp>    only the HTTP configurations and simultaneous pairs whose name matches
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PATHS } from './apps/route.mjs';
import { runLoad, runScript, startServer, startSink } from './processes.mjs';
import { renderMarkdown, renderTerminal } from './report.mjs';
import { rotated } from './rounds.mjs';
import { simultaneousSection } from './simultaneous.mjs';

const quick = process.env.BENCH_QUICK === '1';
const settings = quick
  ? {
      mode: 'quick',
      rounds: 1,
      warmupSeconds: 1,
      measureSeconds: 1,
      reliabilityRounds: 1,
      reliabilityWarmupSeconds: 1,
      reliabilityMeasureSeconds: 1,
      soakRequests: 20_000,
      profileRequests: 5_000,
      costRounds: 1,
      exemplarRounds: 1,
      costRequests: { koa: 500, express: 500 },
      skeletonRounds: 3,
      skeletonBlock: { koa: 500, express: 500 },
      simultaneous: { repeats: 1, warmupSeconds: 1, measureSeconds: 2, pacedRate: 1000 },
    }
  : {
      mode: 'full',
      rounds: 3,
      warmupSeconds: 2,
      measureSeconds: 5,
      reliabilityRounds: 3,
      reliabilityWarmupSeconds: 2,
      reliabilityMeasureSeconds: 5,
      soakRequests: 1_000_000,
      profileRequests: 60_000,
      costRounds: 7,
      exemplarRounds: 5,
      costRequests: { koa: 20_000, express: 10_000 },
      skeletonRounds: 21,
      skeletonBlock: { koa: 10_000, express: 5_000 },
      simultaneous: { repeats: 4, warmupSeconds: 2, measureSeconds: 6, pacedRate: 1000 },
    };
const CONNECTIONS = 50;
const resultsFile =
  process.env.BENCH_RESULTS ?? fileURLToPath(new URL('../RESULTS.md', import.meta.url));
const sections = new Set(
  (process.env.BENCH_SECTIONS ?? 'simultaneous,http,reliability,micro,cost,soak,profile').split(
    ',',
  ),
);
const only = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY);

const HTTP_CONFIGS = {
  express: [
    'express-bare',
    'express-ours-all',
    'express-ours-tm',
    'express-otel-auto',
    'express-otel-manual',
    'express-prom-bundle',
    'express-ours-metrics',
    'express-pino-http',
    'express-ours-log',
  ],
  koa: ['koa-bare', 'koa-ours-all', 'koa-ours-tm', 'koa-otel-auto', 'koa-otel-manual'],
};
const RELIABILITY_SINKS = ['up', 'down', 'slow', '500', '429'];

const work = mkdtempSync(join(tmpdir(), 'datum-bench-'));
const logFile = join(work, 'access.log');
const log = (line) => process.stderr.write(`${line}\n`);
const started = Date.now();

/** One measurement: server up, warm-up load, mark, measured load, server down. */
async function measure(config, sink, { warmupSeconds, measureSeconds, flush }) {
  const server = await startServer(config, { BENCH_SINK_URL: sink.url, BENCH_LOG_FILE: logFile });
  const before = sink.stats === undefined ? undefined : await sink.stats();
  if (warmupSeconds > 0) {
    await runLoad({
      port: server.port,
      paths: PATHS,
      connections: CONNECTIONS,
      seconds: warmupSeconds,
    });
  }
  await server.mark();
  const load = await runLoad({
    port: server.port,
    paths: PATHS,
    connections: CONNECTIONS,
    seconds: measureSeconds,
  });
  const stopped = await server.stop({ flush });
  const after = sink.stats === undefined ? undefined : await sink.stats();
  return {
    config,
    requestsPerSecond: load.requestsPerSecond,
    requests: load.total,
    p50: load.p50,
    p99: load.p99,
    errors: load.errors + load.timeouts + load.non2xx,
    maxRssBytes: stopped.maxRssBytes,
    cpuMicrosPerRequest: load.total > 0 ? stopped.cpuMicros / load.total : undefined,
    otlpBytes:
      before === undefined ? undefined : Math.max(0, (after?.bytes ?? 0) - (before.bytes ?? 0)),
  };
}

async function httpSection(sink) {
  const all = [...HTTP_CONFIGS.express, ...HTTP_CONFIGS.koa].filter(
    (config) => only === undefined || only.test(config),
  );
  const rounds = [];
  for (let r = 0; r < settings.rounds; r++) {
    const round = {};
    for (const config of rotated(all, r * 3)) {
      log(`[http] round ${r + 1}/${settings.rounds} ${config}`);
      round[config] = await measure(config, sink, {
        warmupSeconds: settings.warmupSeconds,
        measureSeconds: settings.measureSeconds,
        flush: true,
      });
    }
    rounds.push(round);
  }
  return { configs: HTTP_CONFIGS, rounds };
}

/** A port nothing listens on: the collector is down (connection refused). */
function closedPort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function reliabilitySection(upSink) {
  const sinks = {
    up: upSink,
    down: { url: `http://127.0.0.1:${await closedPort()}` },
    slow: await startSink('slow'),
    500: await startSink('500'),
    429: await startSink('429'),
  };
  const rounds = [];
  try {
    for (let r = 0; r < settings.reliabilityRounds; r++) {
      const round = {};
      for (const name of rotated(RELIABILITY_SINKS, r)) {
        log(`[reliability] round ${r + 1}/${settings.reliabilityRounds} collector ${name}`);
        round[name] = await measure('express-ours-all', sinks[name], {
          warmupSeconds: settings.reliabilityWarmupSeconds,
          measureSeconds: settings.reliabilityMeasureSeconds,
          flush: false,
        });
      }
      rounds.push(round);
    }
  } finally {
    for (const name of ['slow', '500', '429']) sinks[name].stop();
  }
  return { sinks: RELIABILITY_SINKS, rounds };
}

async function microSection() {
  const names = await runScript('./micro.mjs', ['--list']);
  const results = [];
  for (const name of names) {
    log(`[micro] ${name}`);
    results.push(await runScript('./micro.mjs', [name], quick ? { BENCH_QUICK: '1' } : {}));
  }
  return results;
}

const COST_VARIANTS = [
  'bare',
  'off',
  'traces',
  'metrics',
  'log',
  'all',
  'all-exemplars-off',
  'manual',
];

/**
 * The CPU cost of each signal, in-process (`signal-cost.mjs`): every variant in its own process,
 * the order rotating between rounds, so that the summary can take each variant's cost over bare
 * within a round.
 */
async function costSection(sink) {
  const out = {};
  for (const framework of ['koa', 'express']) {
    const requests = settings.costRequests[framework];
    const rounds = [];
    for (let r = 0; r < settings.costRounds; r++) {
      log(`[cost] ${framework} round ${r + 1}/${settings.costRounds}`);
      const round = {};
      for (const variant of rotated(COST_VARIANTS, r)) {
        round[variant] = await runScript(
          './signal-cost.mjs',
          [framework, variant, String(requests)],
          { BENCH_SINK_URL: sink.url, BENCH_LOG_FILE: logFile },
        );
      }
      rounds.push(round);
    }
    log(`[cost] ${framework} skeleton, ${settings.skeletonRounds} rounds in one process`);
    const skeleton = await runScript(
      './skeleton.mjs',
      [framework, String(settings.skeletonRounds), String(settings.skeletonBlock[framework])],
      { BENCH_SINK_URL: sink.url },
    );
    out[framework] = { variants: COST_VARIANTS, requests, rounds, skeleton };
  }
  // What an exemplar costs per measurement, next to the same measurement without one, in one
  // process: within the per-request noise of the rounds above, so measured on its own.
  log(`[cost] exemplars per measurement, ${settings.exemplarRounds} rounds in one process`);
  out.exemplarMeasurements = await runScript('./exemplar-cost.mjs', [
    String(settings.exemplarRounds),
  ]);
  return out;
}

async function soakSection(sink) {
  log(`[soak] ${settings.soakRequests} requests, koa, all three signals`);
  return runScript('./soak.mjs', [String(settings.soakRequests), 'koa'], {
    BENCH_SINK_URL: sink.url,
    BENCH_LOG_FILE: logFile,
  });
}

async function profileSection(sink) {
  const profiles = {};
  for (const config of ['express-ours-all', 'koa-ours-all']) {
    log(`[profile] ${config}, ${settings.profileRequests} requests in-process`);
    profiles[config] = await runScript(
      './profile.mjs',
      [config, String(settings.profileRequests)],
      { BENCH_SINK_URL: sink.url, BENCH_LOG_FILE: logFile },
    );
  }
  return profiles;
}

const sink = await startSink('ok');
const results = { settings, connections: CONNECTIONS };
try {
  if (sections.has('simultaneous')) {
    results.simultaneous = await simultaneousSection({
      settings: settings.simultaneous,
      connections: CONNECTIONS,
      logFile,
      only,
      log,
    });
  }
  if (sections.has('http')) results.http = await httpSection(sink);
  if (sections.has('reliability')) results.reliability = await reliabilitySection(sink);
  if (sections.has('micro')) results.micro = await microSection();
  if (sections.has('cost')) results.cost = await costSection(sink);
  if (sections.has('soak')) results.soak = await soakSection(sink);
  if (sections.has('profile')) results.profile = await profileSection(sink);
} finally {
  sink.stop();
  rmSync(work, { recursive: true, force: true });
}
results.elapsedSeconds = (Date.now() - started) / 1000;

const markdown = renderMarkdown(results);
writeFileSync(resultsFile, markdown);
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
process.stdout.write(renderTerminal(results));
log(`wrote ${resultsFile} in ${Math.round(results.elapsedSeconds)} s`);
