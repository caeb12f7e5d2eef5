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
export { telemetry } from './middleware.js';
export { koaRoute } from './route.js';
export type {
  KoaContext,
  KoaMiddleware,
  KoaRequestInfo,
  KoaTelemetryOptions,
  TelemetryFields,
} from './types.js';
