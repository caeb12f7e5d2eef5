// One server configuration in its own process: `node server.mjs <config>` with BENCH_SINK_URL and
// BENCH_LOG_FILE in the environment. It listens on 127.0.0.1:0, reports { type: 'ready', port }
// over IPC, and on { type: 'stop', flush } shuts its telemetry down (when flush is set, bounded),
// reports its peak RSS and exits.
import { createServer } from 'node:http';

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
const server = createServer(built.listener);
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port, pid: process.pid });
});

function withDeadline(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]).catch(
    () => {},
  );
}

let mark = process.cpuUsage();
process.on('message', async (message) => {
  if (message?.type === 'mark') {
    // The measurement starts now: CPU time is counted from here.
    mark = process.cpuUsage();
    process.send({ type: 'marked' });
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
