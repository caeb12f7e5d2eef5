import type { ServerResponse } from 'node:http';
import { diag } from '@opentelemetry/api';
import { reportFailure } from './report-failure.js';
import type { NodeAdapter, RequestTelemetry } from './types.js';

/**
 * Ends `rec` from the Node response once it closes: the status if headers went out, `aborted` if
 * the response did not finish, the response headers if `captureResponseHeaders` wants them, and the
 * route the adapter reads from `native` at that moment (routing is over by then).
 */
function endFromResponse<Native>(
  rec: RequestTelemetry,
  res: ServerResponse,
  adapter: NodeAdapter<Native>,
  native: Native,
): void {
  let route: string | undefined;
  try {
    route = adapter.route(native);
  } catch (error) {
    diag.debug(`${adapter.name}: route template not found`, error);
  }
  try {
    rec.end({
      statusCode: res.headersSent ? res.statusCode : undefined,
      route,
      aborted: !res.writableFinished,
      responseHeaders: rec.wantsResponseHeaders
        ? (res.getHeaders() as Record<string, unknown>)
        : undefined,
    });
  } catch (error) {
    // `end()` guards its own steps; this is for a response object that throws when read.
    reportFailure('request end', error);
  }
}

/**
 * Ends `rec` when `res` closes, which Node emits once per response, finished or not. One closure
 * per request, as the adapters had: state kept on `res` instead would cost Express a hidden class
 * per request (bench/README.md, "Findings", first round, 2).
 */
export function trackNodeResponse<Native>(
  rec: RequestTelemetry,
  res: ServerResponse,
  adapter: NodeAdapter<Native>,
  native: Native,
): void {
  res.once('close', () => endFromResponse(rec, res, adapter, native));
}
