// Entry point: telemetry first, then the app; SIGTERM drains requests and flushes telemetry.

import { shutdownOnSignal } from '@datum-telemetry/koa';
import { createNetworkApp } from './app.js';
import { logger, metrics, shutdownTelemetry } from './telemetry.js';

const port = Number(process.env.PORT ?? 8081);
const host = process.env.HOST ?? '127.0.0.1';

const app = createNetworkApp({ metrics, logger });
const server = app.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === 'object' && address !== null ? address.port : port;
  logger.info('network-api listening', 'port', actual);
});
shutdownOnSignal(server, {
  flush: shutdownTelemetry,
  onSignal: (signal) => logger.info('shutting down', 'signal', signal),
});
