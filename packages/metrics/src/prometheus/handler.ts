import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import type { MetricsRequestHandler } from '../types.js';
import { PROMETHEUS_CONTENT_TYPE } from './serializer.js';

/** Something that can produce the exposition text. */
export type Scrape = () => Promise<string>;

function send(response: ServerResponse, status: number, body: string, head: boolean): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.statusCode = status;
  response.setHeader(
    'Content-Type',
    status === 200 ? PROMETHEUS_CONTENT_TYPE : 'text/plain; charset=utf-8',
  );
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(head ? undefined : body);
}

/**
 * A request handler that answers GET and HEAD with the exposition. It never throws and never
 * rejects: a failed collection answers 500 and goes to `diag`.
 */
export function createMetricsHandler(scrape: Scrape): MetricsRequestHandler {
  return function metricsHandler(request: IncomingMessage, response: ServerResponse): void {
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      send(response, 405, 'Method Not Allowed: use GET\n', false);
      return;
    }
    scrape().then(
      (text) => send(response, 200, text, method === 'HEAD'),
      (error: unknown) => {
        diag.error('@datum-telemetry/metrics: serving /metrics failed', error);
        try {
          send(response, 500, 'metrics collection failed\n', method === 'HEAD');
        } catch (sendError) {
          diag.error('@datum-telemetry/metrics: could not answer /metrics', sendError);
        }
      },
    );
  };
}
