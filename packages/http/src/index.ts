export { ConfigError } from '@datum-telemetry/config';
export { requestInfoFromNode } from './attributes.js';
export type { HttpTelemetry } from './http-telemetry.js';
export { createHttpTelemetry } from './http-telemetry.js';
export { defineRequestLog } from './log-property.js';
export type { NativeRequestHookOptions } from './native-request-hook.js';
export { withNativeRequest } from './native-request-hook.js';
export type { ResolvedOptions } from './options.js';
export { httpTelemetryOptionRules } from './options.js';
export type { RequestEnd, RequestTelemetry } from './request-telemetry.js';
export { NOOP_LOGGER } from './request-telemetry.js';
export type { ShutdownHandle, ShutdownOptions } from './shutdown.js';
export { shutdownOnSignal } from './shutdown.js';
export type {
  AccessLogEntry,
  HttpTelemetryOptions,
  IncomingContextPolicy,
  RequestHeaders,
  RequestInfo,
  RequestLogger,
  ResourceOverride,
} from './types.js';
