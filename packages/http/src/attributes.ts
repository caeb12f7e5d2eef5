import type { IncomingMessage } from 'node:http';
import { httpRequestMethod } from '@datum-telemetry/conventions';
import type { RequestInfo } from './types.js';

/** The semconv method: the upper-case standard method, or `_OTHER` for anything else. */
export const normalizeMethod: (method: string) => string = httpRequestMethod;

const PLAIN_KEY = /^[A-Za-z][A-Za-z0-9_.\-[\]]{0,31}$/;

/**
 * `a=1&token=x` becomes `a=REDACTED&token=REDACTED`: keys stay, no value is ever recorded. A key
 * without a value is kept only when it looks like a name (`?watch`); anything else (`?eyJhbGciOi...`,
 * a bare token) is itself redacted.
 */
export function redactQuery(query: string): string {
  if (query.length > 2048) return 'REDACTED';
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair === '' || PLAIN_KEY.test(pair) ? pair : 'REDACTED';
      const key = pair.slice(0, eq);
      return `${PLAIN_KEY.test(key) ? key : 'REDACTED'}=REDACTED`;
    })
    .join('&');
}

const MAX_USER_AGENT = 512;

/** Cuts an attribute value so that a hostile header cannot bloat every span. */
export function bounded(value: string, max = MAX_USER_AGENT): string {
  return value.length > max ? value.slice(0, max) : value;
}

function firstHeader(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * Describes a Node request for the core. `url` is the original URL (Express `req.originalUrl`,
 * Koa `ctx.originalUrl`), which routers may rewrite on `req.url`.
 */
export function requestInfoFromNode(
  req: IncomingMessage,
  url: string = req.url ?? '/',
): RequestInfo {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const socket = req.socket as (IncomingMessage['socket'] & { encrypted?: boolean }) | undefined;
  const host = firstHeader(req.headers.host);
  let serverAddress: string | undefined;
  let serverPort: number | undefined;
  if (host !== undefined && host.length <= 255) {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host);
    if (m !== null) {
      serverAddress = m[1];
      serverPort = m[2] === undefined ? undefined : Number(m[2]);
    }
  }
  if (serverPort === undefined) serverPort = socket?.localPort;
  return {
    method: req.method ?? 'GET',
    path: path === '' ? '/' : path,
    query: q === -1 ? undefined : url.slice(q + 1),
    headers: req.headers,
    scheme: socket?.encrypted ? 'https' : 'http',
    serverAddress,
    serverPort,
    clientAddress: socket?.remoteAddress,
    httpVersion: req.httpVersion,
  };
}
