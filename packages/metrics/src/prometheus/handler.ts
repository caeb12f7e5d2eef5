import type { IncomingMessage, ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import type { ExpositionFormat, MetricsRequestHandler } from '../types.js';
import { negotiateExposition } from './negotiate.js';

/** Something that can produce the exposition text in a format. */
export type Scrape = (format: ExpositionFormat) => Promise<string>;

const PLAIN = 'text/plain; charset=utf-8';

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  head: boolean,
): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.statusCode = status;
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(head ? undefined : body);
}

/**
 * A request handler that answers GET and HEAD with the exposition, in the format the `Accept`
 * header asks for (`negotiateExposition`). It never throws and never rejects: a failed collection
 * answers 500 and goes to `diag`.
 */
export function createMetricsHandler(scrape: Scrape): MetricsRequestHandler {
  return function metricsHandler(request: IncomingMessage, response: ServerResponse): void {
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      send(response, 405, PLAIN, 'Method Not Allowed: use GET\n', false);
      return;
    }
    const { format, contentType } = negotiateExposition(request.headers.accept);
    // The answer depends on Accept: a cache must not give one scraper's format to another.
    response.setHeader('Vary', 'Accept');
    scrape(format).then(
      (text) => send(response, 200, contentType, text, method === 'HEAD'),
      (error: unknown) => {
        diag.error('@datum-telemetry/metrics: serving /metrics failed', error);
        try {
          send(response, 500, PLAIN, 'metrics collection failed\n', method === 'HEAD');
        } catch (sendError) {
          diag.error('@datum-telemetry/metrics: could not answer /metrics', sendError);
        }
      },
    );
  };
}
