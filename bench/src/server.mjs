// One server configuration in its own process: `node server.mjs <config>` with BENCH_SINK_URL and
// BENCH_LOG_FILE in the environment. It listens on 127.0.0.1:0 and reports { type: 'ready', port }
// over IPC. Then:
//   { type: 'mark', eventLoop }  the measurement starts: CPU time and requests are counted from here
//                                (with `eventLoop`, the event-loop delay is sampled from here too,
//                                and its stalls over 2 ms counted)
//   { type: 'sample' }           answers { type: 'sampled', cpuMicros, requests, eventLoop } since
//                                the mark, and keeps serving
//   { type: 'stop', flush }      shuts its telemetry down (when flush is set, bounded), reports its
//                                peak RSS and CPU since the mark, and exits
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

// The event-loop delay is sampled by a 1 ms timer: Node records the interval between its runs,
// so a run that comes late by a stall of d ms records about 1 + d ms. The resolution is
// subtracted from what is reported. 1 ms is the finest the timer allows, and it matters for the
// goal it serves (no stall over 2 ms); the timer's own cost is paid by every server measured.
const EVENT_LOOP_RESOLUTION_MS = 1;
// Stalls are counted per 100 ms slice (a second monitor, reset every slice): a slice counts when
// its worst delay is over STALL_MS. A histogram's percentiles are too coarse in the tail to count
// a few stalls among thousands of samples.
const STALL_MS = 2;
const SLICE_MS = 100;

const name = process.argv[2] ?? '';
const configs = name.startsWith('koa-')
  ? (await import('./apps/koa.mjs')).koaConfigs
  : (await import('./apps/express.mjs')).expressConfigs;
const build = configs[name];
if (build === undefined) {
  console.error(`unknown configuration ${name}; known: ${Object.keys(configs).join(', ')}`);
  process.exit(2);
}

const built = await build({
  sinkUrl: process.env.BENCH_SINK_URL ?? 'http://127.0.0.1:4318',
  logFile: process.env.BENCH_LOG_FILE ?? '/dev/null',
});
let requests = 0;
const server = createServer((req, res) => {
  requests += 1;
  built.listener(req, res);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port, pid: process.pid });
});

function withDeadline(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]).catch(
    () => {},
  );
}

/** Delay in ms over the sampling interval, never below 0. */
const delayMs = (nanos) => Math.max(0, nanos / 1e6 - EVENT_LOOP_RESOLUTION_MS);

/** Event-loop delay over the window: the whole histogram, and the stalls counted per slice. */
function startEventLoopMonitor() {
  const whole = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  const slice = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  let stalls = 0;
  const countStall = () => {
    if (slice.count > 0 && delayMs(slice.max) > STALL_MS) stalls += 1;
    slice.reset();
  };
  whole.enable();
  slice.enable();
  const timer = setInterval(countStall, SLICE_MS);
  return {
    stop() {
      clearInterval(timer);
      countStall();
      whole.disable();
      slice.disable();
      if (whole.count === 0) return undefined;
      return {
        resolutionMs: EVENT_LOOP_RESOLUTION_MS,
        samples: whole.count,
        p50Ms: delayMs(whole.percentile(50)),
        p99Ms: delayMs(whole.percentile(99)),
        maxMs: delayMs(whole.max),
        meanMs: delayMs(whole.mean),
        stallMs: STALL_MS,
        sliceMs: SLICE_MS,
        stalls,
      };
    },
  };
}

let mark = process.cpuUsage();
let markedRequests = 0;
let eventLoop;
process.on('message', async (message) => {
  if (message?.type === 'mark') {
    mark = process.cpuUsage();
    markedRequests = requests;
    eventLoop?.stop();
    eventLoop = message.eventLoop ? startEventLoopMonitor() : undefined;
    process.send({ type: 'marked' });
    return;
  }
  if (message?.type === 'sample') {
    const cpu = process.cpuUsage(mark);
    const delay = eventLoop?.stop();
    eventLoop = undefined;
    process.send({
      type: 'sampled',
      cpuMicros: cpu.user + cpu.system,
      requests: requests - markedRequests,
      eventLoop: delay,
    });
    return;
  }
  if (message?.type !== 'stop') return;
  const cpu = process.cpuUsage(mark);
  server.closeAllConnections();
  server.close();
  if (message.flush) await withDeadline(built.shutdown(), 3000);
  const usage = process.resourceUsage();
  process.send({
    type: 'stopped',
    maxRssBytes: usage.maxRSS * 1024,
    cpuMicros: cpu.user + cpu.system,
    heapUsedBytes: process.memoryUsage().heapUsed,
  });
  process.disconnect();
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
