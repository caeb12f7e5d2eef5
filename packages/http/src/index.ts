export { CONTEXT_AWARE_LOGGER } from '@datum-telemetry/conventions/log-line';
export { bounded, normalizeMethod, redactQuery, requestInfoFromNode } from './attributes.js';
export type { HttpTelemetry } from './http-telemetry.js';
export { createHttpTelemetry } from './http-telemetry.js';
export type { IncomingContext } from './incoming-context.js';
export {
  incomingContext,
  MAX_BAGGAGE_LENGTH,
  MAX_BAGGAGE_MEMBERS,
  MAX_TRACEPARENT_LENGTH,
  MAX_TRACESTATE_LENGTH,
  MAX_TRACESTATE_MEMBERS,
  sanitizeCarrier,
} from './incoming-context.js';
export { createJsonLogger } from './json-logger.js';
export { defineRequestLog } from './log-property.js';
export type { ResolvedOptions } from './options.js';
export {
  DEFAULT_DURATION_BUCKETS,
  DEFAULT_IGNORE_PATHS,
  HttpTelemetryOptionsError,
} from './options.js';
export type { RequestEnd } from './request-telemetry.js';
export { NOOP_LOGGER, RequestTelemetry, UNMATCHED_ROUTE } from './request-telemetry.js';
export { SCOPE_NAME, SCOPE_VERSION } from './scope.js';
export type { ShutdownHandle, ShutdownOptions } from './shutdown.js';
export { shutdownOnSignal } from './shutdown.js';
export type {
  AccessLogEntry,
  HttpTelemetryOptions,
  IncomingContextPolicy,
  JsonLoggerOptions,
  LineSink,
  RequestHeaders,
  RequestInfo,
  RequestLogger,
  ResourceOverride,
} from './types.js';
