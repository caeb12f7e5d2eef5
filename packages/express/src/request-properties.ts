import { IncomingMessage } from 'node:http';
import type { RequestLogger, RequestTelemetry } from '@datum-telemetry/http';
import { defineRequestLog, NOOP_LOGGER } from '@datum-telemetry/http';

// `req.log` and `req.telemetry` without adding a property to each request. Express swaps the
// prototype of every request (`Object.setPrototypeOf(req, app.request)`), and on such an object
// each property added afterwards costs V8 a new hidden class: about 5 µs per property per request
// here (bench/README.md, "Findings"). So the two are accessors defined once on Express's own
// request prototype, the object every application's `app.request` (sub-applications' included)
// inherits from, and they read this request's telemetry from a WeakMap. A request that did not pass
// through `telemetry()` reads `undefined` from both, as before; assigning either (`req.log = ...`,
// as pino-http does) gives that request its own property, as before.

/** What a request that went through `telemetry()` without telemetry (an ignored path) reads. */
const NONE = Symbol('no telemetry');

const byRequest = new WeakMap<object, RequestTelemetry | typeof NONE>();
const installed = new WeakSet<object>();
/** The direct prototype of the last request whose Express prototype has the accessors. */
let lastReady: object | null = null;

function ownValue(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, {
    value,
    writable: true,
    configurable: true,
    enumerable: true,
  });
}

const LOG: PropertyDescriptor = {
  configurable: true,
  enumerable: false,
  get(this: object): RequestLogger | undefined {
    const found = byRequest.get(this);
    if (found === undefined) return undefined;
    return found === NONE ? NOOP_LOGGER : found.log;
  },
  set(this: object, value: unknown) {
    ownValue(this, 'log', value);
  },
};

const TELEMETRY: PropertyDescriptor = {
  configurable: true,
  enumerable: false,
  get(this: object): RequestTelemetry | undefined {
    const found = byRequest.get(this);
    return found === NONE ? undefined : found;
  },
  set(this: object, value: unknown) {
    ownValue(this, 'telemetry', value);
  },
};

/**
 * Express's request prototype: the object between the application's `app.request` and Node's
 * `IncomingMessage.prototype` (never Node's own prototype). Undefined for a request Express has
 * not set up (a test's plain object, an unusual framework build).
 */
function expressRequestPrototype(req: object): object | undefined {
  let proto: object | null = Object.getPrototypeOf(req) as object | null;
  for (let depth = 0; depth < 4 && proto !== null; depth++) {
    const next = Object.getPrototypeOf(proto) as object | null;
    if (next === IncomingMessage.prototype) return proto;
    proto = next;
  }
  return undefined;
}

function install(proto: object): boolean {
  if (installed.has(proto)) return true;
  // Something else already gives Express requests a `log` or `telemetry`: leave it alone.
  if (Object.hasOwn(proto, 'log') || Object.hasOwn(proto, 'telemetry')) return false;
  try {
    Object.defineProperty(proto, 'log', LOG);
    Object.defineProperty(proto, 'telemetry', TELEMETRY);
  } catch {
    return false;
  }
  installed.add(proto);
  return true;
}

/**
 * Gives a request that passed through `telemetry()` its `req.log` (the no-op logger for an ignored
 * path) and `req.telemetry` (`undefined` for an ignored path). Requests that never come here read
 * `undefined` from both, which is why both are optional in `Express.Request`.
 */
export function attachRequestTelemetry(req: object, rec: RequestTelemetry | undefined): void {
  const direct = Object.getPrototypeOf(req) as object | null;
  let ready = direct !== null && direct === lastReady;
  if (!ready) {
    const proto = expressRequestPrototype(req);
    ready = proto !== undefined && install(proto);
    // Every request of an application has the same direct prototype (its `app.request`).
    if (ready) lastReady = direct;
  }
  if (ready && !Object.hasOwn(req, 'log') && !Object.hasOwn(req, 'telemetry')) {
    byRequest.set(req, rec ?? NONE);
    return;
  }
  // Not an Express request as expected: own properties, as for any object.
  defineRequestLog(req);
  if (rec !== undefined) (req as { telemetry?: RequestTelemetry }).telemetry = rec;
}
