import { ConfigError } from '@datum-telemetry/config';
import type { TracerProvider } from '@opentelemetry/api';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator } from '@opentelemetry/core';
import { BaggagePropagator } from './w3c/baggage-propagator.js';
import { TraceContextPropagator } from './w3c/trace-context-propagator.js';

/**
 * The propagator `setupTracing` registers: W3C Trace Context, then W3C Baggage, both held to the
 * specifications' text (see "Trace context, point by point" in the README).
 */
export function createW3CPropagator(): CompositePropagator {
  return new CompositePropagator({
    propagators: [new TraceContextPropagator(), new BaggagePropagator()],
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
