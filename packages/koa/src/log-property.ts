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
// from `ctx.telemetry`: no closure per request, and no property beyond `log` and `telemetry`.
// Koa contexts are plain objects, but the same rule holds: a fresh getter per request would leave
// every context in slow dictionary mode, and each later property read on it would pay.
const LOG_PROPERTY: PropertyDescriptor = Object.freeze({
  configurable: true,
  enumerable: false,
  get: getLog,
  set: setLog,
});

/**
 * Gives `ctx.log`: the request-scoped logger of `ctx.telemetry` (the no-op logger when there is
 * none), created on first read; assigning `ctx.log` replaces it.
 */
export function defineLog(target: object): void {
  try {
    Object.defineProperty(target, 'log', LOG_PROPERTY);
  } catch {
    // A frozen context keeps what it has.
  }
}
