/**
 * The HTTP methods the OpenTelemetry semantic conventions name (RFC 9110 plus PATCH): the only
 * values `http.request.method` may carry; anything else is `_OTHER`, so that a client inventing
 * methods cannot add series or span names.
 */
export const HTTP_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'TRACE',
  'CONNECT',
]);

/** `http.request.method`: the upper-case known method, or `_OTHER` for anything else. */
export function httpRequestMethod(method: string): string {
  // The common case (already upper case) allocates nothing.
  if (HTTP_METHODS.has(method)) return method;
  const upper = typeof method === 'string' ? method.toUpperCase() : '';
  return HTTP_METHODS.has(upper) ? upper : '_OTHER';
}
