import type { Context, TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import { context, propagation } from '@opentelemetry/api';

/** Header carriers the helpers accept: a plain object (Node headers) or a WHATWG `Headers`. */
export type HeaderCarrier = Headers | Record<string, string | string[] | number | undefined>;

function isHeaders(carrier: HeaderCarrier): carrier is Headers {
  return typeof Headers !== 'undefined' && carrier instanceof Headers;
}

const setter: TextMapSetter<HeaderCarrier> = {
  set(carrier, key, value) {
    if (isHeaders(carrier)) carrier.set(key, value);
    else carrier[key] = value;
  },
};

const getter: TextMapGetter<HeaderCarrier> = {
  keys(carrier) {
    return isHeaders(carrier) ? [...carrier.keys()] : Object.keys(carrier);
  },
  get(carrier, key) {
    if (isHeaders(carrier)) return carrier.get(key) ?? undefined;
    let value = carrier[key];
    if (value === undefined) {
      // Node lower-cases incoming header names; hand-built objects may not.
      const lower = key.toLowerCase();
      const found = Object.keys(carrier).find((k) => k.toLowerCase() === lower);
      value = found === undefined ? undefined : carrier[found];
    }
    return typeof value === 'number' ? String(value) : value;
  },
};

/**
 * Writes the context's `traceparent`, `tracestate` and `baggage` (whatever the global propagator
 * writes) into `headers`, and returns `headers`. The default context is the active one.
 */
export function injectContext<H extends HeaderCarrier>(
  headers: H,
  from: Context = context.active(),
): H {
  propagation.inject(from, headers, setter);
  return headers;
}

/**
 * The context carried by incoming `headers` (remote parent span, baggage) on top of `base`
 * (default: the active context). Invalid or hostile headers give `base` unchanged.
 */
export function extractContext(headers: HeaderCarrier, base: Context = context.active()): Context {
  if (headers === null || typeof headers !== 'object') return base;
  return propagation.extract(base, headers, getter);
}
