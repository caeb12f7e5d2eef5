import type { Span } from '@opentelemetry/api';
import type { Identity } from './identity.js';
import type { Instruments } from './instruments.js';

/** The `http.route` metric label of requests whose route is unknown (404s, early responses). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Records one ended request: the in-flight count goes down, the request counter and duration of its
 * resource's metrics (`{service}.{short}.*`) or of the HTTP ones go up. `span` is the request's span
 * (the active one in its context), whose span context is read only when the instruments keep
 * exemplars.
 */
export function recordRequestMetrics(
  instruments: Instruments,
  method: string,
  identity: Identity | undefined,
  status: number | undefined,
  route: string | undefined,
  durationSeconds: number,
  span: Span,
): void {
  instruments.requestEnded(method);
  const short = identity?.short;
  const set = short === undefined ? instruments.forHttp() : instruments.forResource(short);
  set.record(
    route ?? UNMATCHED_ROUTE,
    method,
    status,
    identity?.operation,
    durationSeconds,
    set.exemplars === true ? span.spanContext() : undefined,
  );
}
