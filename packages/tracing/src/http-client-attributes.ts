import { errorType, HTTP_METHODS, httpSpanName } from '@datum-telemetry/conventions';
import type { Attributes, Span } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };
const REDACTED = 'REDACTED';

/** Query values replaced by `REDACTED` (keys kept), credentials too: URLs carry secrets. */
export function redactUrl(url: URL): string {
  const auth = url.username || url.password ? `${REDACTED}:${REDACTED}@` : '';
  const search =
    url.search.length > 1
      ? `?${url.search
          .slice(1)
          .split('&')
          .map((pair) => {
            const equals = pair.indexOf('=');
            return equals === -1 ? pair : `${pair.slice(0, equals)}=${REDACTED}`;
          })
          .join('&')}`
      : '';
  return `${url.protocol}//${auth}${url.host}${url.pathname}${search}`;
}

/** The CLIENT span's name and start attributes, per the HTTP semantic conventions. */
export interface ClientSpanStart {
  readonly name: string;
  readonly attributes: Attributes;
}

export function clientSpanStart(method: string, url: string): ClientSpanStart {
  const upper = typeof method === 'string' ? method.toUpperCase() : '';
  const attributes: Attributes = {};
  if (HTTP_METHODS.has(upper)) {
    attributes['http.request.method'] = upper;
  } else {
    attributes['http.request.method'] = '_OTHER';
    attributes['http.request.method_original'] = String(method);
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed !== undefined) {
    // URL keeps the brackets of an IPv6 host; server.address is the bare address.
    attributes['server.address'] = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = parsed.port === '' ? DEFAULT_PORTS[parsed.protocol] : Number(parsed.port);
    if (port !== undefined) attributes['server.port'] = port;
    attributes['url.full'] = redactUrl(parsed);
  }
  return { name: httpSpanName(upper), attributes };
}

/** Status code, and ERROR for 4xx and 5xx (a client span fails when the server said no). */
export function recordResponseStatus(span: Span, statusCode: number): void {
  span.setAttribute('http.response.status_code', statusCode);
  if (statusCode >= 400) {
    span.setAttribute('error.type', String(statusCode));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

/** A request that failed without a response: connection refused, reset, aborted. */
export function recordRequestFailure(span: Span, error: unknown): void {
  const code = (error as { code?: unknown } | null)?.code;
  span.setAttribute(
    'error.type',
    typeof code === 'string' && code !== '' ? code : errorType(error),
  );
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : undefined,
  });
}
