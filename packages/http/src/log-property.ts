import { NOOP_LOGGER } from './request-logger.js';
import type { RequestLogger, RequestTelemetry } from './types.js';

interface Holder {
  telemetry?: RequestTelemetry | undefined;
}

function getLog(this: Holder): RequestLogger {
  return this.telemetry?.log ?? NOOP_LOGGER;
}

function setLog(this: Holder, value: unknown): void {
  Object.defineProperty(this, 'log', {
    value,
    writable: true,
    configurable: true,
    enumerable: true,
  });
}

// One descriptor with the same two functions for every request, reading the request's telemetry
// from `.telemetry` (Express `req`, Koa `ctx`): no closure per request, and no property beyond `log` and `telemetry`.
// On Express requests, whose prototype Express swaps, each added property costs a new hidden class;
// and a fresh getter per request would leave any object in slow dictionary mode.
const LOG_PROPERTY: PropertyDescriptor = Object.freeze({
  configurable: true,
  enumerable: false,
  get: getLog,
  set: setLog,
});

/**
 * Gives `target.log` (`req.log`, `ctx.log`): the request-scoped logger of `target.telemetry` (the no-op logger when there is
 * none), created on first read; assigning it replaces it.
 */
export function defineRequestLog(target: object): void {
  try {
    Object.defineProperty(target, 'log', LOG_PROPERTY);
  } catch {
    // A frozen object keeps what it has.
  }
}
