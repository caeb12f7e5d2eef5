// `@datum-telemetry/http/internal`: the helpers this package's own tests and the repository's
// middleware tests reach for. Not public: nothing here follows semver, and any of it may change or
// go in a patch release. Applications and adapters use the main entry.

export { CONTEXT_AWARE_LOGGER } from '@datum-telemetry/conventions/log-line';
export { bounded, normalizeMethod, redactQuery } from './attributes.js';
export type { IncomingContext } from './incoming-context.js';
export {
  incomingContext,
  MAX_BAGGAGE_LENGTH,
  MAX_TRACEPARENT_LENGTH,
  MAX_TRACESTATE_LENGTH,
  MAX_TRACESTATE_MEMBERS,
  sanitizeCarrier,
} from './incoming-context.js';
export { createJsonLogger } from './json-logger.js';
export { DEFAULT_DURATION_BUCKETS, DEFAULT_IGNORE_PATHS } from './options.js';
export { UNMATCHED_ROUTE } from './request-metrics.js';
export { SCOPE_NAME, SCOPE_VERSION } from './scope.js';
export type { JsonLoggerOptions, LineSink } from './types.js';
