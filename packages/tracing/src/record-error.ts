import { errorType, exceptionAttributes } from '@datum-telemetry/conventions';
import type { Span } from '@opentelemetry/api';
import { diag, SpanStatusCode } from '@opentelemetry/api';

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function statusMessage(error: unknown): string {
  return error instanceof Error ? error.message : safeString(error);
}

/**
 * Records a thrown value on the span: an `exception` event, status ERROR with the message, and
 * `error.type`. Never throws: the app's own error is what must reach the caller.
 */
export function recordError(span: Span, error: unknown): void {
  try {
    if (!span.isRecording()) return;
    span.addEvent('exception', exceptionAttributes(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: statusMessage(error) });
    span.setAttribute('error.type', errorType(error));
  } catch (failure) {
    diag.error('@datum-telemetry/tracing: could not record an error on a span', failure);
  }
}
