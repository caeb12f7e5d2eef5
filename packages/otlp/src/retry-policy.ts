// When an export is tried again, as `@opentelemetry/otlp-exporter-base` 0.301 decides it
// (retrying-transport.ts, is-export-retryable.ts): the same limits, so that switching exporters
// changes nothing about how a struggling collector is treated.

/** Retries after the first attempt: at most six requests per export. */
export const MAX_RETRIES = 5;
/** The first backoff, before jitter. */
export const INITIAL_BACKOFF_MILLIS = 1000;
/** No backoff is longer than this. */
export const MAX_BACKOFF_MILLIS = 5000;
/** Each backoff is this many times the one before. */
export const BACKOFF_MULTIPLIER = 1.5;
/** A backoff is moved by up to this fraction either way, so that exporters do not retry in step. */
export const JITTER = 0.2;

/** The HTTP statuses the OTLP specification says to retry: 429, 502, 503, 504. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

const RETRYABLE_NETWORK_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

/** A network error worth another attempt (the stock exporter's list of codes). */
export function isRetryableNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_NETWORK_ERRORS.has(code);
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delay-seconds or an HTTP date (a
 * past date, or 0 seconds, is "now"). `undefined` when there is no header or it is neither, and the
 * backoff applies; the stock exporter retries a malformed value at once instead.
 */
export function retryAfterMillis(header: string | undefined, now: number): number | undefined {
  if (header === undefined) return undefined;
  const seconds = Number.parseInt(header, 10);
  if (Number.isInteger(seconds)) return Math.max(seconds, 0) * 1000;
  const date = new Date(header).getTime();
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}

/** The backoff before retry `retry` (0 for the first): exponential, capped, with jitter. */
export function backoffMillis(retry: number, random: number = Math.random()): number {
  const base = INITIAL_BACKOFF_MILLIS * BACKOFF_MULTIPLIER ** retry;
  const jitter = random * 2 * JITTER - JITTER;
  return Math.max(Math.min(base * (1 + jitter), MAX_BACKOFF_MILLIS), 0);
}
