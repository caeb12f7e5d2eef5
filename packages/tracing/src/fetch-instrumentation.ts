import type { Span, TextMapSetter } from '@opentelemetry/api';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { shouldIgnore, subscribeAll } from './channels.js';
import {
  clientSpanStart,
  recordRequestFailure,
  recordResponseStatus,
} from './http-client-attributes.js';
import { resolveOutgoingOptions } from './outgoing-options.js';
import type { Disposer, OutgoingInstrumentationOptions } from './types.js';

/** The part of undici's request object the channels hand out (undici 5 has string headers). */
interface UndiciRequest {
  readonly origin: string | URL;
  readonly path: string;
  readonly method: string;
  readonly headers: readonly string[] | string;
  addHeader(name: string, value: string): unknown;
}

interface RequestMessage {
  readonly request: UndiciRequest;
}

interface HeadersMessage extends RequestMessage {
  readonly response: { readonly statusCode: number };
}

interface ErrorMessage extends RequestMessage {
  readonly error: unknown;
}

const undiciSetter: TextMapSetter<UndiciRequest> = {
  set(request, key, value) {
    request.addHeader(key, value);
  },
};

function hasHeader(headers: readonly string[] | string, name: string): boolean {
  if (typeof headers === 'string') {
    return headers
      .toLowerCase()
      .split('\r\n')
      .some((line) => line.startsWith(`${name}:`));
  }
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]?.toLowerCase() === name) return true;
  }
  return false;
}

/**
 * Gives every request made with the global `fetch` (undici) a CLIENT span, child of the active
 * span, and `traceparent` / `tracestate` / `baggage` headers from the global propagator. Uses
 * undici's `node:diagnostics_channel` channels: nothing is patched, so it works the same in ESM and
 * CJS. A request that already carries `traceparent` (set by hand or by another instrumentation) is
 * left alone. The span ends when the response body has been read (or the request fails).
 */
export function instrumentOutgoingFetch(options: OutgoingInstrumentationOptions = {}): Disposer {
  const { ignore, tracers } = resolveOutgoingOptions(options, 'instrumentOutgoingFetch');
  const spans = new WeakMap<UndiciRequest, Span>();

  const end = (request: UndiciRequest): Span | undefined => {
    const span = spans.get(request);
    if (span !== undefined) spans.delete(request);
    return span;
  };

  return subscribeAll(
    {
      'undici:request:create': (message) => {
        const { request } = message as RequestMessage;
        const active = context.active();
        // The OTLP exporter's own requests run with tracing suppressed.
        if (isTracingSuppressed(active) || request.method === 'CONNECT') return;
        if (hasHeader(request.headers, 'traceparent')) return;
        const url = `${String(request.origin)}${request.path}`;
        if (shouldIgnore(ignore, request.method, url)) return;
        const { name, attributes } = clientSpanStart(request.method, url);
        const span = tracers.get().startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
        propagation.inject(trace.setSpan(active, span), request, undiciSetter);
        spans.set(request, span);
      },
      'undici:request:headers': (message) => {
        const { request, response } = message as HeadersMessage;
        const span = spans.get(request);
        if (span !== undefined) recordResponseStatus(span, response.statusCode);
      },
      'undici:request:trailers': (message) => {
        end((message as RequestMessage).request)?.end();
      },
      'undici:request:error': (message) => {
        const { request, error } = message as ErrorMessage;
        const span = end(request);
        if (span === undefined) return;
        recordRequestFailure(span, error);
        span.end();
      },
    },
    'fetch instrumentation',
  );
}
