export { ConfigError } from '@datum-telemetry/config';
export type { HttpTelemetry } from './http-telemetry.js';
export { createHttpTelemetry } from './http-telemetry.js';
export { defineRequestLog } from './log-property.js';
export type { NativeRequestHookOptions } from './native-request-hook.js';
export { withNativeRequest } from './native-request-hook.js';
export { requestInfoFromNode } from './node-request.js';
export type { ResolvedOptions } from './options.js';
export { httpTelemetryOptionRules } from './options.js';
export { NOOP_LOGGER } from './request-logger.js';
export type { ShutdownHandle, ShutdownOptions } from './shutdown.js';
export { shutdownOnSignal } from './shutdown.js';
export type {
  AccessLogEntry,
  HttpTelemetryOptions,
  IncomingContextPolicy,
  NodeAdapter,
  RequestEnd,
  RequestHeaders,
  RequestInfo,
  RequestLogger,
  RequestTelemetry,
  ResourceOverride,
} from './types.js';
