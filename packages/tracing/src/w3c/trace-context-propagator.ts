import type {
  Context,
  SpanContext,
  TextMapGetter,
  TextMapPropagator,
  TextMapSetter,
} from '@opentelemetry/api';
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { getHeader } from './header-lookup.js';
import { formatTraceparent, parseTraceparent } from './traceparent.js';
import { W3CTraceState } from './tracestate.js';

const TRACEPARENT = 'traceparent';
const TRACESTATE = 'tracestate';

/**
 * `traceparent` / `tracestate` propagation to the letter of W3C Trace Context Level 1 (with the
 * Level 2 `random-trace-id` flag): what is accepted, dropped and forwarded is listed point by point
 * in the package README ("Trace context, point by point"). An invalid `traceparent` gives the
 * context back unchanged; an invalid `tracestate` is dropped whole and the `traceparent` still
 * used. Never throws.
 */
export class TraceContextPropagator implements TextMapPropagator {
  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const spanContext = trace.getSpanContext(context);
    if (spanContext === undefined || isTracingSuppressed(context)) return;
    if (!isSpanContextValid(spanContext)) return;
    setter.set(carrier, TRACEPARENT, formatTraceparent(spanContext));
    const state = spanContext.traceState && W3CTraceState.from(spanContext.traceState);
    // §3.3.1.1: vendors SHOULD avoid sending an empty tracestate.
    if (state !== undefined && state.size > 0) setter.set(carrier, TRACESTATE, state.serialize());
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = getHeader(getter, carrier, TRACEPARENT);
    // A repeated traceparent is not one value: the trace restarts.
    const single = Array.isArray(header) ? (header.length === 1 ? header[0] : undefined) : header;
    if (typeof single !== 'string') return context;
    const parsed = parseTraceparent(single);
    if (parsed === undefined) return context;
    const { traceId, spanId, traceFlags } = parsed;
    const state = W3CTraceState.parse(getHeader(getter, carrier, TRACESTATE));
    // One object literal or the other, each of one shape: no property added afterwards.
    const spanContext: SpanContext =
      state !== undefined && state.size > 0
        ? { traceId, spanId, traceFlags, isRemote: true, traceState: state }
        : { traceId, spanId, traceFlags, isRemote: true };
    return trace.setSpanContext(context, spanContext);
  }

  fields(): string[] {
    return [TRACEPARENT, TRACESTATE];
  }
}
