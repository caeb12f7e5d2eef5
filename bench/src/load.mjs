// The load generator, in its own process: autocannon with the given connections against the
// given URL for the given seconds, cycling through the paths. Prints the result as one JSON line.
// With `waitForGo` (started over IPC by `startLoad`), it first warms the server up for
// `warmupSeconds`, reports { type: 'warm' }, waits for { type: 'go' }, and sends the measured
// run's result as { type: 'result', load }.
import autocannon from 'autocannon';

const {
  url,
  paths,
  connections,
  seconds,
  warmupSeconds = 0,
  waitForGo = false,
} = JSON.parse(process.argv[2]);

function run(duration) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration,
        requests: paths.map((path) => ({ method: 'GET', path })),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

function summary(r) {
  return {
    requestsPerSecond: r.requests.total / r.duration,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

if (waitForGo) {
  if (warmupSeconds > 0) await run(warmupSeconds);
  const go = new Promise((resolve) => {
    process.on('message', (message) => {
      if (message?.type === 'go') resolve();
    });
  });
  process.send({ type: 'warm' });
  await go;
  process.send({ type: 'result', load: summary(await run(seconds)) });
  process.disconnect();
} else {
  process.stdout.write(`${JSON.stringify(summary(await run(seconds)))}\n`);
}
