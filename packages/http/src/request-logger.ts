import { CONTEXT_AWARE_LOGGER, TRACE_FLAGS } from '@datum-telemetry/conventions/log-line';
import type { Span } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import { addIdentityFields } from './identity.js';
import { reportFailure } from './report-failure.js';
import type { ActiveRequest } from './request-telemetry.js';
import type { RequestLogger } from './types.js';

const noop = () => undefined;
/** The logger of requests when logging is off. */
export const NOOP_LOGGER: RequestLogger = {
  child: () => NOOP_LOGGER,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
};

/** `trace_id`, `span_id` and `trace_flags` of the request's span, unless the logger adds them. */
export function addTraceFields(
  f: Record<string, unknown>,
  span: Span,
  logger: RequestLogger | undefined,
): void {
  // A logger that reads the active context itself adds the ids; giving them twice would clash.
  if ((logger as { [CONTEXT_AWARE_LOGGER]?: unknown } | undefined)?.[CONTEXT_AWARE_LOGGER] === true)
    return;
  const sc = span.spanContext();
  if (!trace.isSpanContextValid(sc)) return;
  f.trace_id = sc.traceId;
  f.span_id = sc.spanId;
  f.trace_flags = TRACE_FLAGS[sc.traceFlags & 0xff];
}

/**
 * The request-scoped logger: a child of the configured logger with the trace and resource fields;
 * the no-op logger when logging is off or `child()` throws.
 */
export function requestLogger(rec: ActiveRequest): RequestLogger {
  const logger = rec.options.logger;
  if (logger === undefined) return NOOP_LOGGER;
  try {
    const fields: Record<string, unknown> = {};
    addTraceFields(fields, rec.span, logger);
    addIdentityFields(fields, rec.identity);
    // A child() that gives nothing back (a hand-written logger) must not leave `req.log` undefined.
    return (logger.child(fields) as RequestLogger | undefined) ?? NOOP_LOGGER;
  } catch (error) {
    reportFailure('logger.child', error);
    return NOOP_LOGGER;
  }
}
