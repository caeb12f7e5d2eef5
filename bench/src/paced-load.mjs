// An open-loop load generator, in its own process, started by `startLoad` with a `rate`: requests
// at a fixed rate, spread evenly (about one every 1000 / rate ms), over keep-alive connections,
// whether or not the earlier ones have been answered. Unlike autocannon's closed loop (each
// connection waits for its answer, so a slower server is sent less) or its `overallRate` (each
// connection sends its quota for the second in one burst), the server sees the same steady
// traffic whatever it is, and its event loop is idle between requests: what stalls it shows in
// the latency tail and the event-loop delay. Latency is timed in fractions of a millisecond
// from the moment a request is issued (waiting for a free connection included).
// Protocol as load.mjs's `waitForGo`: warm-up, { type: 'warm' }, { type: 'go' }, then
// { type: 'result', load }.
import { Agent, request } from 'node:http';

const { url, paths, rate, seconds, warmupSeconds = 0 } = JSON.parse(process.argv[2]);
const target = new URL(url);
// Enough connections that a stall of the server (tens of ms at this rate) does not leave requests
// waiting for one, as many clients would not.
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(path, done) {
  const started = performance.now();
  const req = request(
    { host: target.hostname, port: target.port, path, method: 'GET', agent },
    (res) => {
      res.resume();
      res.once('end', () => done(performance.now() - started, res.statusCode));
    },
  );
  req.once('error', () => done(undefined, 0));
  req.end();
}

function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function run(durationSeconds) {
  const total = Math.max(1, Math.round(rate * durationSeconds));
  const latencies = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let answered = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    const record = (ms, status) => {
      if (ms === undefined) errors += 1;
      else {
        latencies.push(ms);
        if (status < 200 || status >= 300) non2xx += 1;
      }
      answered += 1;
      if (answered < total) return;
      const elapsed = (performance.now() - start) / 1000;
      latencies.sort((a, b) => a - b);
      resolve({
        requestsPerSecond: latencies.length / elapsed,
        total: latencies.length,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1),
        errors,
        timeouts: 0,
        non2xx,
      });
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) {
        send(paths[sent % paths.length], record);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

if (warmupSeconds > 0) await run(warmupSeconds);
const go = new Promise((resolve) => {
  process.on('message', (message) => {
    if (message?.type === 'go') resolve();
  });
});
process.send({ type: 'warm' });
await go;
process.send({ type: 'result', load: await run(seconds) });
agent.destroy();
process.disconnect();
