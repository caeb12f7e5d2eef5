import type { Context, TextMapGetter, TextMapPropagator } from '@opentelemetry/api';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';

/** Incoming headers as Node hands them out: a value, or an array for a repeated field. */
export type Headers = Record<string, string | string[]>;

/** Looks header names up in any case, as the spec asks receivers to. */
export const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => Object.keys(carrier),
  get(carrier, key) {
    const found = Object.keys(carrier).find((k) => k.toLowerCase() === key);
    return found === undefined ? undefined : carrier[found];
  },
};

/** What a propagator extracted, in a form a table can state. `null`: no remote parent. */
export interface Extracted {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  /** The serialized tracestate, or `null` when none was kept. */
  readonly tracestate: string | null;
}

export function summarize(context: Context): Extracted | null {
  const spanContext = trace.getSpanContext(context);
  if (spanContext === undefined) return null;
  const tracestate = spanContext.traceState?.serialize() ?? '';
  return {
    traceId: spanContext.traceId,
    spanId: spanContext.spanId,
    traceFlags: spanContext.traceFlags,
    tracestate: tracestate === '' ? null : tracestate,
  };
}

export function extractWith(propagator: TextMapPropagator, headers: Headers): Extracted | null {
  return summarize(propagator.extract(ROOT_CONTEXT, headers, headerGetter));
}
