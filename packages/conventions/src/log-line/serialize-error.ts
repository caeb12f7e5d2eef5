import { errorType } from '../error-type.js';

/** An error as a log field: `{ type, message, stack, code?, cause?, errors? }`. */
export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  code?: string | number;
  cause?: unknown;
  errors?: unknown[];
}

/** True for errors, including errors from another realm (a `vm` context, a worker's message). */
export function isError(value: unknown): value is Error {
  if (value instanceof Error) return true;
  try {
    return Object.prototype.toString.call(value) === '[object Error]';
  } catch {
    return false;
  }
}

/** One property, or `undefined` when reading it throws (a hostile getter or proxy). */
export function readProperty(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** `String(value)` that never throws. */
export function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '[unprintable]';
  }
}

/** How nested values of an error (its `cause`, its `errors`) are turned into field values. */
export type NestedValue = (value: unknown) => unknown;

/**
 * The fields of one error. `cause` and `errors` (of an `AggregateError`) go through `nested`, which
 * bounds their depth and turns further errors into this same shape.
 */
export function serializeError(
  error: object,
  text: (value: string) => string,
  nested: NestedValue,
): SerializedError {
  const message = readProperty(error, 'message');
  const out: SerializedError = {
    // OpenTelemetry's `exception.type`, named as `error.type` is everywhere else.
    type: errorType(error),
    message: text(typeof message === 'string' ? message : safeString(message ?? '')),
  };
  const stack = readProperty(error, 'stack');
  if (typeof stack === 'string') out.stack = text(stack);
  const code = readProperty(error, 'code');
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  const cause = readProperty(error, 'cause');
  if (cause !== undefined) out.cause = nested(cause);
  const errors = readProperty(error, 'errors');
  if (Array.isArray(errors)) out.errors = errors.slice(0, MAX_AGGREGATED_ERRORS).map(nested);
  return out;
}

/** An `AggregateError` shows this many of its errors. */
export const MAX_AGGREGATED_ERRORS = 10;
