import type { Attributes } from '@opentelemetry/api';
import type { Identity } from './identity.js';
import type { Instruments } from './instruments.js';

/** The `http.route` metric label of requests whose route is unknown (404s, early responses). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Records one ended request: the in-flight count goes down, the request counter and duration of its
 * resource's metrics (`{service}.{short}.*`) or of the HTTP ones go up.
 */
export function recordRequestMetrics(
  instruments: Instruments,
  method: string,
  identity: Identity | undefined,
  status: number | undefined,
  route: string | undefined,
  durationSeconds: number,
): void {
  instruments.requestEnded(method);
  const a: Attributes = {
    'http.request.method': method,
    'http.route': route ?? UNMATCHED_ROUTE,
  };
  if (status !== undefined) a['http.response.status_code'] = status;
  const short = identity?.short;
  if (identity !== undefined) a.operation = identity.operation;
  const set = short === undefined ? instruments.forHttp() : instruments.forResource(short);
  set.requests.add(1, a);
  set.duration.record(durationSeconds, a);
}
