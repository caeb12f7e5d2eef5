/**
 * Set to `true` on a logger that adds `trace_id`, `span_id` and `trace_flags` from the active
 * context by itself (the middleware's built-in logger, `@datum-telemetry/logging`). The middleware
 * then leaves those fields to it, and otherwise (a plain bunyan logger) passes them explicitly.
 * A registered symbol, so that copies of this module in two installed versions agree.
 */
export const CONTEXT_AWARE_LOGGER: unique symbol = Symbol.for(
  '@datum-telemetry/logger.context-aware',
) as never;
