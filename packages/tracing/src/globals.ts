import { ConfigError } from '@datum-telemetry/config';
import type { TracerProvider } from '@opentelemetry/api';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';

/** The propagator `setupTracing` registers: W3C tracecontext, then W3C baggage. */
export function createW3CPropagator(): CompositePropagator {
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
}

/**
 * Registers the provider, an AsyncLocalStorage context manager and the W3C propagator as the API
 * globals, and returns what undoes it. Fails at set-up when another provider is registered: two
 * SDKs in one process silently lose spans.
 */
export function registerGlobals(provider: TracerProvider): () => void {
  if (!trace.setGlobalTracerProvider(provider)) {
    throw new ConfigError(
      'registerGlobal',
      'a global tracer provider is already registered (another setupTracing or SDK in this process); shut the first handle down, or pass registerGlobal: false',
    );
  }
  const contextManager = new AsyncLocalStorageContextManager().enable();
  const contextRegistered = context.setGlobalContextManager(contextManager);
  if (!contextRegistered) contextManager.disable();
  const propagatorRegistered = propagation.setGlobalPropagator(createW3CPropagator());
  return () => {
    trace.disable();
    if (propagatorRegistered) propagation.disable();
    if (contextRegistered) {
      context.disable();
      contextManager.disable();
    }
  };
}
