import type { IncomingMessage } from 'node:http';
import type { RequestInfo } from './types.js';

function firstHeader(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

/** True when `text` from `start` to its end is 1 to 5 ASCII digits. */
function isPort(text: string, start: number): boolean {
  const length = text.length - start;
  if (length < 1 || length > 5) return false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
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
    const colon = host.indexOf(':');
    if (host.charCodeAt(0) === 91 /* [ */) {
      const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host);
      if (m !== null) {
        serverAddress = m[1];
        serverPort = m[2] === undefined ? undefined : Number(m[2]);
      }
    } else if (colon === -1) {
      if (host.length > 0) serverAddress = host;
    } else if (colon > 0 && isPort(host, colon + 1)) {
      // `name:port`, the common case, read without a regular expression.
      serverAddress = host.slice(0, colon);
      serverPort = Number(host.slice(colon + 1));
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
