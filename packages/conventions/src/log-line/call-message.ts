import { inspect } from 'node:util';
import { LogField } from '../log-fields.js';
import type { Sanitizer } from './sanitize.js';
import { isError } from './serialize-error.js';

/** A message that is not a string, as text: redacted and bounded first, like any field. */
export function messageText(value: unknown, sanitizer: Sanitizer): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return inspect(sanitizer.field(value), { depth: 2, breakLength: Number.POSITIVE_INFINITY });
  } catch {
    return '[unprintable message]';
  }
}

/** What `earlier` is for the `log.error(err, ...)` shape: the call already set `error`. */
export const ERROR_FORM: object = Object.freeze({ [LogField.Error]: true });

/** `instanceof` first (the common case); the realm-proof check only for objects that are not plain. */
export function isErrorArgument(value: object): boolean {
  try {
    if (value instanceof Error) return true;
    const prototype = Object.getPrototypeOf(value);
    return prototype !== Object.prototype && prototype !== null && isError(value);
  } catch {
    // A proxy whose prototype trap throws.
    return false;
  }
}
