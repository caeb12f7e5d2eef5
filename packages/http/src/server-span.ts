import { errorType, exceptionAttributes, httpSpanName } from '@datum-telemetry/conventions';
import type { Attributes } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import { bounded, redactQuery } from './attributes.js';
import type { Identity } from './identity.js';
import { addIdentityFields } from './identity.js';
import type { ResolvedOptions } from './options.js';
import { reportFailure } from './report-failure.js';
import type { ActiveRequest } from './request-telemetry.js';
import type { RequestEnd, RequestInfo } from './types.js';

/** The span name before the route is known: the resource's, or the method's. */
export function startSpanName(identity: Identity | undefined, method: string): string {
  return identity?.spanName ?? httpSpanName(method === '_OTHER' ? 'HTTP' : method);
}

/**
 * Every attribute known when the request starts. They go in when the span starts, so that samplers
 * see them (to drop health checks by `url.path`, say), as the semantic conventions ask.
 */
export function startAttributes(
  r: RequestInfo,
  method: string,
  identity: Identity | undefined,
  options: ResolvedOptions,
): Attributes {
  const a: Attributes = {
    'http.request.method': method,
    'url.path': bounded(r.path, 2048),
    'url.scheme': r.scheme,
  };
  if (method === '_OTHER') a['http.request.method_original'] = bounded(r.method, 64);
  if (r.query !== undefined && r.query !== '') a['url.query'] = redactQuery(r.query);
  if (r.serverAddress !== undefined) a['server.address'] = bounded(r.serverAddress, 255);
  if (r.serverPort !== undefined) a['server.port'] = r.serverPort;
  if (r.clientAddress !== undefined) a['client.address'] = r.clientAddress;
  const ua = r.headers['user-agent'];
  if (typeof ua === 'string') a['user_agent.original'] = bounded(ua);
  if (r.httpVersion !== undefined) a['network.protocol.version'] = r.httpVersion;
  for (const name of options.requestHeaders) {
    const value = r.headers[name];
    if (value !== undefined)
      a[`http.request.header.${name}`] =
        typeof value === 'string' ? [bounded(value)] : value.map((v) => bounded(v));
  }
  addIdentityFields(a, identity);
  return a;
}

/** The span name at the end: the resource's, or `{METHOD} {route}`, then the `spanName` hook's. */
function endSpanName(rec: ActiveRequest, route: string | undefined): string {
  let name =
    rec.identity?.spanName ?? httpSpanName(rec.method === '_OTHER' ? 'HTTP' : rec.method, route);
  const hook = rec.options.spanName;
  if (hook !== undefined) {
    let chosen: string | undefined;
    try {
      chosen = hook(rec.request, name);
    } catch (error) {
      reportFailure('spanName', error);
    }
    if (typeof chosen === 'string' && chosen.length > 0) name = bounded(chosen, 256);
  }
  return name;
}

/** Ends the server span: the response's attributes, the final name, the error status. */
export function endServerSpan(
  rec: ActiveRequest,
  status: number | undefined,
  route: string | undefined,
  aborted: boolean,
  failed: boolean,
  result: RequestEnd,
): void {
  const span = rec.span;
  const a: Attributes = {};
  if (status !== undefined) a['http.response.status_code'] = status;
  if (route !== undefined) a['http.route'] = route;
  for (const name of rec.options.responseHeaders) {
    const value = result.responseHeaders?.[name];
    if (typeof value === 'string' || typeof value === 'number')
      a[`http.response.header.${name}`] = [bounded(String(value))];
  }
  span.updateName(endSpanName(rec, route));
  if (failed) {
    if (rec.hasError) {
      const error = rec.error;
      // The type by the same rule as `error.type`; a thrown string's text is the message.
      span.addEvent('exception', exceptionAttributes(error));
      a['error.type'] = errorType(error);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? bounded(error.message, 256) : undefined,
      });
    } else {
      a['error.type'] = String(status);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  } else if (aborted) {
    a['error.type'] = 'aborted';
  }
  span.setAttributes(a);
  span.end();
}
