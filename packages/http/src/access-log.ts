import { errorLogField } from '@datum-telemetry/conventions/log-line';
import { bounded, redactQuery } from './attributes.js';
import { addIdentityFields } from './identity.js';
import { addTraceFields } from './request-logger.js';
import type { ActiveRequest } from './request-telemetry.js';
import type { AccessLogEntry } from './types.js';

/**
 * Writes the access log line of one ended request, unless the `accessLog` filter drops it. Called
 * only when the access log is on (so a logger is set), inside the request's context, so that a
 * context-aware logger finds the server span.
 */
export function writeAccessLog(
  rec: ActiveRequest,
  status: number | undefined,
  route: string | undefined,
  aborted: boolean,
  durationSeconds: number,
): void {
  const logger = rec.options.logger!;
  const filter = rec.options.accessLog;
  const request = rec.request;
  if (typeof filter === 'function') {
    const entry: AccessLogEntry = {
      method: request.method,
      path: request.path,
      route,
      statusCode: status,
      durationSeconds,
      aborted,
    };
    if (!filter(entry)) return;
  }
  const fields: Record<string, unknown> = {};
  addTraceFields(fields, rec.span, logger);
  addIdentityFields(fields, rec.identity);
  fields['http.request.method'] = rec.method;
  fields['url.path'] = bounded(request.path, 2048);
  if (request.query !== undefined && request.query !== '')
    fields['url.query'] = redactQuery(request.query);
  if (route !== undefined) fields['http.route'] = route;
  if (status !== undefined) fields['http.response.status_code'] = status;
  fields['http.server.request.duration'] = Math.round(durationSeconds * 1e6) / 1e6;
  if (request.clientAddress !== undefined) fields['client.address'] = request.clientAddress;
  // The shape `log.error(err, msg)` writes: one shape for the `error` field in the whole stream.
  if (rec.hasError && (status === undefined || status >= 500))
    fields.error = errorLogField(rec.error);
  if (aborted) {
    logger.warn(fields, 'request aborted by the client');
  } else if (status !== undefined && status >= 500) {
    logger.error(fields, 'request failed');
  } else if (status !== undefined && status >= 400) {
    logger.warn(fields, 'request rejected');
  } else {
    logger.info(fields, 'request completed');
  }
}
