import type { IncomingMessage } from 'node:http';
import type { RequestInfo } from './types.js';

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
