import type { Context, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { context as contextApi, trace } from '@opentelemetry/api';

/** W3C Trace Context Level 2 §3.2.2.5.2: the `random-trace-id` bit of `trace-flags`. */
export const RANDOM_TRACE_ID_FLAG = 0x02;

const carrying = new WeakSet<Tracer>();

/**
 * Makes the spans `tracer` starts keep the parent's `random-trace-id` flag (Level 2 §3.2.2.5.2).
 * The flag says something about the trace-id, and a child keeps its parent's trace-id; but the
 * SDK's `Tracer` sets a new span's flags from the sampling decision alone (`sampled` or nothing),
 * so without this a service would forward `01` for a received `03`, and `00` for `02`.
 *
 * Recording and non-recording spans alike: the SDK builds a fresh span context object for every
 * span it starts, and the bit is set on that object before anyone else sees the span. A span
 * whose trace-id is not its parent's (a new root, a suppressed span) is left as it is: the flag
 * is never set on a trace-id that did not come with it. Patches the tracer once; returns it.
 */
export function carryRandomTraceIdFlag(tracer: Tracer): Tracer {
  if (carrying.has(tracer)) return tracer;
  carrying.add(tracer);
  const startSpan = tracer.startSpan;
  tracer.startSpan = function startSpanKeepingRandomFlag(
    this: Tracer,
    name: string,
    options?: SpanOptions,
    context: Context = contextApi.active(),
  ): Span {
    const span = startSpan.call(this, name, options, context);
    if (options?.root === true) return span;
    const parent = trace.getSpanContext(context);
    if (parent === undefined || (parent.traceFlags & RANDOM_TRACE_ID_FLAG) === 0) return span;
    const own = span.spanContext();
    if (
      own.traceId === parent.traceId &&
      (own.traceFlags & RANDOM_TRACE_ID_FLAG) === 0 &&
      !Object.isFrozen(own)
    ) {
      own.traceFlags |= RANDOM_TRACE_ID_FLAG;
    }
    return span;
  };
  return tracer;
}
