import type { RequestLogger, RequestTelemetry } from '@datum-telemetry/http';
import { NOOP_LOGGER } from '@datum-telemetry/http';

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
// from `req.telemetry`: no closure per request, and no property beyond `log` and `telemetry`.
// Both matter on Express, whose requests have had their prototype swapped (`setPrototypeOf`):
// on such objects V8 builds a new hidden class for every property added (about 5 µs each here),
// and a fresh getter per request would leave the object in slow dictionary mode as well.
const LOG_PROPERTY: PropertyDescriptor = Object.freeze({
  configurable: true,
  enumerable: false,
  get: getLog,
  set: setLog,
});

/**
 * Gives `req.log`: the request-scoped logger of `req.telemetry` (the no-op logger when there is
 * none), created on first read; assigning `req.log` replaces it.
 */
export function defineLog(target: object): void {
  try {
    Object.defineProperty(target, 'log', LOG_PROPERTY);
  } catch {
    // A frozen request keeps what it has.
  }
}
