// Both demo apps in this process, wired with the real set-up functions of the three signal
// packages, all exporting to one OTLP endpoint. In-process, a test can read the tracing handle's
// drop count, the heap, and what goes to the diag logger, which a child process would hide.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createComputeApp } from '@datum-telemetry/compute-api/dist/app.js';
import { NetworkClient } from '@datum-telemetry/compute-api/dist/network-client.js';
import type { LoggingSetup } from '@datum-telemetry/logging';
import { setupLogging } from '@datum-telemetry/logging';
import type { MetricsHandle } from '@datum-telemetry/metrics';
import { setupMetrics } from '@datum-telemetry/metrics';
import { createNetworkApp } from '@datum-telemetry/network-api/dist/app.js';
import type { TracingHandle } from '@datum-telemetry/tracing';
import { setupTracing } from '@datum-telemetry/tracing';

export interface Stack {
  /** compute-api's base URL. */
  readonly url: string;
  readonly tracing: TracingHandle;
  readonly metrics: MetricsHandle;
  readonly logging: LoggingSetup;
  /** Closes both servers and shuts the three signals down. */
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Starts network-api and compute-api on loopback, with tracing, metrics (OTLP, plus the pull
 * reader behind `metrics.scrape()`) and logging (OTLP only, no lines) set up from `env` alone.
 * `service` names the signals' resource, so that each test has its own self-metric series.
 */
export async function startStack(
  service: string,
  endpoint: string,
  env: Record<string, string>,
): Promise<Stack> {
  const otlp = { endpoint };
  const metrics = setupMetrics({
    service,
    exporter: 'otlp',
    otlp,
    prometheus: { serve: false },
    shutdownTimeoutMillis: 1000,
    env,
  });
  const tracing = setupTracing({
    service,
    exporter: 'otlp',
    otlp,
    shutdownTimeoutMillis: 1000,
    env,
  });
  const logging = setupLogging({
    service,
    exporter: 'otlp',
    otlp,
    stream: null,
    shutdownTimeoutMillis: 1000,
    env,
  });
  const network = createNetworkApp({ metrics, logger: logging.logger, poolSize: 100_000 }).listen(
    0,
    '127.0.0.1',
  );
  const networkUrl = await listen(network);
  const compute = createComputeApp({
    metrics,
    logger: logging.logger,
    network: new NetworkClient(networkUrl),
  }).listen(0, '127.0.0.1');
  const url = await listen(compute);
  return {
    url,
    tracing,
    metrics,
    logging,
    async close() {
      await Promise.all([close(compute), close(network)]);
      await Promise.all([tracing.shutdown(), metrics.shutdown(), logging.shutdown()]);
    },
  };
}
