import { httpRequestMethod } from '@datum-telemetry/conventions';

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
