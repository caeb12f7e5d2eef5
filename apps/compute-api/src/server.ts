// Entry point: telemetry first, then the app; SIGTERM drains requests and flushes telemetry.
// #region server

import { shutdownOnSignal } from '@datum-telemetry/express';
import { createComputeApp } from './app.js';
import { NetworkClient } from './network-client.js';
import { logger, metrics, shutdownTelemetry } from './telemetry.js';

const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const networkUrl = process.env.NETWORK_API_URL ?? 'http://127.0.0.1:8081';

const app = createComputeApp({ metrics, logger, network: new NetworkClient(networkUrl) });
const server = app.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  logger.info('compute-api listening', 'port', actual);
});
shutdownOnSignal(server, {
  flush: shutdownTelemetry,
  onSignal: (signal) => logger.info('shutting down', 'signal', signal),
});
// #endregion server
