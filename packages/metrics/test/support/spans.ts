// Real spans of the tracing SDK, active through the real async-hooks context manager: a sampled one
// (AlwaysOnSampler), an unsampled one (AlwaysOffSampler: valid ids, not sampled), and the ids each
// carried, for the tests of exemplars on the service's own instruments.
import type { Context, SpanContext } from '@opentelemetry/api';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, AlwaysOnSampler, TracerProvider } from '@opentelemetry/sdk-trace';

let manager: AsyncLocalStorageContextManager | undefined;

/** Registers the async-hooks context manager (once per test file); returns the disable function. */
export function useContextManager(): () => void {
  manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  return () => {
    context.disable();
    manager?.disable();
    manager = undefined;
  };
}

const sampled = new TracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('test');
const unsampled = new TracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('test');

/** Runs `fn` inside an active span (`ReconcileVirtualMachine`), sampled or not; returns its ids. */
export function inSpan(isSampled: boolean, fn: () => void): SpanContext {
  const tracer = isSampled ? sampled : unsampled;
  return tracer.startActiveSpan('ReconcileVirtualMachine', (span) => {
    try {
      fn();
    } finally {
      span.end();
    }
    return span.spanContext();
  });
}

/** A context holding a span with this span context (for span contexts the SDK would not make). */
export function contextWith(spanContext: SpanContext): Context {
  return trace.setSpanContext(context.active(), spanContext);
}
