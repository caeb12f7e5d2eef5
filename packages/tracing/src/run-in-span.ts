import type { Attributes, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { context, diag, INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import { recordError } from './record-error.js';
import type { SpanFunction } from './types.js';

const NON_RECORDING_SPAN = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
let reportedStartFailure = false;

/** Ends a span unless the function ended it itself: a span is ended exactly once. */
function endSpan(span: Span): void {
  if (span.isRecording()) span.end();
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (
      value !== null &&
      (typeof value === 'object' || typeof value === 'function') &&
      typeof (value as PromiseLike<unknown>).then === 'function'
    );
  } catch {
    return false;
  }
}

function settle(span: Span, result: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(result).then(
    (value) => {
      endSpan(span);
      return value;
    },
    (error: unknown) => {
      recordError(span, error);
      endSpan(span);
      throw error;
    },
  );
}

function runInSpan<T>(span: Span, fn: SpanFunction<T>): T {
  let result: T;
  try {
    result = fn(span);
  } catch (error) {
    recordError(span, error);
    endSpan(span);
    throw error;
  }
  if (isThenable(result)) return settle(span, result) as T;
  endSpan(span);
  return result;
}

/**
 * Starts a span as a child of the active one, runs `fn` with it active, and ends it when `fn`
 * returns, throws, or its promise settles. Passing the span and function as `context.with`
 * arguments instead of a closure keeps the hot path to the work the raw API does.
 */
export function startAndRun<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions | undefined,
  attributes: Attributes | undefined,
  fn: SpanFunction<T>,
): T {
  const parent = context.active();
  let span: Span;
  try {
    span = tracer.startSpan(name, options, parent);
    if (attributes !== undefined) span.setAttributes(attributes);
  } catch (error) {
    // A broken provider must not take the app's work down with it.
    if (!reportedStartFailure) {
      reportedStartFailure = true;
      diag.error('@datum-telemetry/tracing: could not start a span; running without one', error);
    }
    return fn(NON_RECORDING_SPAN);
  }
  return context.with(trace.setSpan(parent, span), runInSpan<T>, undefined, span, fn);
}
