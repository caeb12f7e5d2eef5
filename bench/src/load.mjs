// The load generator, in its own process: autocannon with the given connections against the
// given URL for the given seconds. Prints the result as one JSON line.
import autocannon from 'autocannon';

const { url, paths, connections, seconds } = JSON.parse(process.argv[2]);

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

const r = await run(seconds);
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: r.requests.total / r.duration,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  })}\n`,
);
