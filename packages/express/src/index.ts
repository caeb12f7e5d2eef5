export type {
  AccessLogEntry,
  IncomingContextPolicy,
  RequestLogger,
  RequestTelemetry,
  ResourceOverride,
  ShutdownHandle,
  ShutdownOptions,
} from '@datum-telemetry/http';
export { ConfigError, shutdownOnSignal } from '@datum-telemetry/http';
export { recordErrors, telemetry } from './middleware.js';
export { expressRoute } from './route.js';
export type {
  ExpressErrorMiddleware,
  ExpressMiddleware,
  ExpressRequest,
  ExpressRequestInfo,
  ExpressTelemetryOptions,
} from './types.js';
