import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { diag } from '@opentelemetry/api';
import type { MetricsRequestHandler } from '../types.js';

/** A listening Prometheus endpoint. */
export interface PrometheusServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts the process's own scrape endpoint: `endpoint` answers with the exposition, every other path
 * with 404. Resolves once it listens; rejects with the listen error (EADDRINUSE, EACCES).
 */
export function startPrometheusServer(
  host: string,
  port: number,
  endpoint: string,
  handler: MetricsRequestHandler,
): Promise<PrometheusServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === endpoint) {
      handler(request, response);
      return;
    }
    response.statusCode = 404;
    response.setHeader('Content-Type', 'text/plain; charset=utf-8');
    response.end(`Not Found: metrics are at ${endpoint}\n`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', (error) =>
        diag.error('@datum-telemetry/metrics: Prometheus endpoint', error),
      );
      const address = server.address();
      const actualPort = typeof address === 'object' && address !== null ? address.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${actualPort}${endpoint}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive scrapers hold sockets open; close() alone would wait for them.
            server.closeAllConnections();
          }),
      });
    });
  });
}
