/** `error.type` when a value was thrown that has no class to name (a string, a plain object). */
export const OTHER_ERROR_TYPE = '_OTHER';

// `error.type` is an attribute of request metrics: a name built from data (a message pasted into
// `error.name`) must not make one series per value.
const MAX_ERROR_TYPE_LENGTH = 64;

function isErrorObject(value: object): boolean {
  try {
    // Errors from another realm (a `vm` context, a worker) fail `instanceof`; a proxy may throw.
    return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
  } catch {
    return false;
  }
}

function readName(read: () => unknown): string | undefined {
  try {
    const name = read();
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The OpenTelemetry `error.type` of a thrown value: the exception's class name. For an `Error` that
 * is its `name` when it was set (`TypeError`, `AbortError`), else its constructor's name (a
 * `class NotFoundError extends Error {}` that leaves `name` alone is `NotFoundError`); an instance of
 * another named class is that class; a string, a number or a plain object has no class to name and
 * is `_OTHER`. For a 4xx/5xx answered without an exception, `error.type` is the status code as a
 * string instead. Never throws, even on a hostile getter or proxy; at most 64 characters.
 */
export function errorType(error: unknown): string {
  if (typeof error !== 'object' || error === null) return OTHER_ERROR_TYPE;
  const constructorName = readName(
    () => (error as { constructor?: { name?: unknown } }).constructor?.name,
  );
  let type: string | undefined;
  if (isErrorObject(error)) {
    const name = readName(() => (error as { name?: unknown }).name);
    type =
      name !== undefined && name !== 'Error'
        ? name
        : constructorName !== undefined && constructorName !== 'Object'
          ? constructorName
          : 'Error';
  } else if (constructorName !== undefined && constructorName !== 'Object') {
    type = constructorName;
  }
  if (type === undefined) return OTHER_ERROR_TYPE;
  return type.length > MAX_ERROR_TYPE_LENGTH ? type.slice(0, MAX_ERROR_TYPE_LENGTH) : type;
}

/** The attributes of an `exception` span event. */
export type ExceptionAttributes = {
  'exception.type'?: string;
  'exception.message'?: string;
  'exception.stacktrace'?: string;
};

function readString(read: () => unknown): string | undefined {
  try {
    const value = read();
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[unprintable value]';
    }
  }
}

/**
 * The attributes of the `exception` event for a thrown value, with the same type rule as
 * {@link errorType}, so that a span's `exception.type` and `error.type` agree (the SDK's
 * `recordException` takes `code`, then `name`: a `class NotFoundError extends Error {}` would be
 * `Error` there). An object gives its type, `message` and `stack` where they are strings; a thrown
 * string or number (no class to name) gives only its text as the message. Never throws.
 */
export function exceptionAttributes(error: unknown): ExceptionAttributes {
  if (typeof error !== 'object' || error === null) return { 'exception.message': text(error) };
  const out: ExceptionAttributes = {};
  const type = errorType(error);
  if (type !== OTHER_ERROR_TYPE) out['exception.type'] = type;
  const message = readString(() => (error as { message?: unknown }).message);
  if (message !== undefined) out['exception.message'] = message;
  const stack = readString(() => (error as { stack?: unknown }).stack);
  if (stack !== undefined) out['exception.stacktrace'] = stack;
  if (out['exception.type'] === undefined && out['exception.message'] === undefined)
    out['exception.message'] = text(error);
  return out;
}
