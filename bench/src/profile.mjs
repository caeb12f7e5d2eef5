// A CPU profile of one configuration's per-request path: `node profile.mjs <config> <requests>`
// drives the app in-process (see inprocess.mjs; exporters and the access log are live) under the
// V8 sampling profiler, the same one `node --cpu-prof` uses, and prints where the time went as
// one JSON line: the top functions by self time, our functions by inclusive time, and each
// package's inclusive share. BENCH_PROFILE_OUT=<file> also keeps the .cpuprofile.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PATHS } from './apps/route.mjs';
import { drive } from './inprocess.mjs';
import { summarise } from './profile-summary.mjs';

const [config, requests = '50000'] = process.argv.slice(2);
const configs = config.startsWith('koa-')
  ? (await import('./apps/koa.mjs')).koaConfigs
  : (await import('./apps/express.mjs')).expressConfigs;
const built = await configs[config]({
  sinkUrl: process.env.BENCH_SINK_URL,
  logFile: process.env.BENCH_LOG_FILE ?? '/dev/null',
});
const total = Number(requests);
await drive(built.listener, { total: Math.max(1000, Math.round(total / 5)), paths: PATHS });

// BENCH_PROFILE=0 measures the CPU time per request without the profiler (for A/B comparisons).
const profiling = process.env.BENCH_PROFILE !== '0';
const session = new Session();
if (profiling) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
const cpu = process.cpuUsage();
await drive(built.listener, { total, paths: PATHS });
const used = process.cpuUsage(cpu);
let summary = {};
if (profiling) {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  if (process.env.BENCH_PROFILE_OUT)
    writeFileSync(process.env.BENCH_PROFILE_OUT, JSON.stringify(profile));
  summary = summarise(profile, 15);
}
await built.shutdown();
process.stdout.write(
  `${JSON.stringify({
    config,
    requests: total,
    cpuMicrosPerRequest: (used.user + used.system) / total,
    ...summary,
  })}\n`,
);
process.exit(0);
