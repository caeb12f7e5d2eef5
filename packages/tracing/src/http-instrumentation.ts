import type { ClientRequest, IncomingMessage } from 'node:http';
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

const requestSetter: TextMapSetter<ClientRequest> = {
  set(request, key, value) {
    request.setHeader(key, value);
  },
};

/**
 * Gives `node:http` / `node:https` client requests a CLIENT span, child of the active span, and
 * `traceparent` / `tracestate` / `baggage` headers from the global propagator, through the
 * `http.client.request.created`, `http.client.response.finish` and `http.client.request.error`
 * channels. Node (22.12 and later) publishes `created` inside `http.request()`, before any header is
 * written, so the headers are added with nothing patched, as for `fetch`. A request that already
 * carries `traceparent` is left alone. The span ends when the response headers arrive.
 */
export function instrumentOutgoingHttp(options: OutgoingInstrumentationOptions = {}): Disposer {
  const { ignore, tracers } = resolveOutgoingOptions(options, 'instrumentOutgoingHttp');
  const spans = new WeakMap<ClientRequest, Span>();

  const end = (request: ClientRequest): Span | undefined => {
    const span = spans.get(request);
    if (span !== undefined) spans.delete(request);
    return span;
  };

  return subscribeAll(
    {
      'http.client.request.created': (message) => {
        const { request } = message as { request: ClientRequest };
        const active = context.active();
        if (isTracingSuppressed(active) || request.method === 'CONNECT') return;
        if (request.getHeader('traceparent') !== undefined) return;
        const host = request.getHeader('host') ?? request.host;
        const url = `${request.protocol}//${String(host)}${request.path}`;
        if (shouldIgnore(ignore, request.method, url)) return;
        const { name, attributes } = clientSpanStart(request.method, url);
        const span = tracers.get().startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
        // Nothing is written yet, unless another subscriber flushed the headers first.
        if (!request.headersSent) {
          propagation.inject(trace.setSpan(active, span), request, requestSetter);
        }
        spans.set(request, span);
      },
      'http.client.response.finish': (message) => {
        const { request, response } = message as {
          request: ClientRequest;
          response: IncomingMessage;
        };
        const span = end(request);
        if (span === undefined) return;
        recordResponseStatus(span, response.statusCode ?? 0);
        span.end();
      },
      'http.client.request.error': (message) => {
        const { request, error } = message as { request: ClientRequest; error: unknown };
        const span = end(request);
        if (span === undefined) return;
        recordRequestFailure(span, error);
        span.end();
      },
    },
    'node:http client instrumentation',
  );
}
