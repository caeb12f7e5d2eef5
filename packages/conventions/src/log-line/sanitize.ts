import type { KeyPolicy } from './keys.js';
import { REDACTED } from './keys.js';
import type { SerializedError } from './serialize-error.js';
import { isError, readProperty, safeString, serializeError } from './serialize-error.js';

/** Nested objects deeper than this are written as `[Truncated]`; it also bounds `cause` chains. */
export const MAX_DEPTH = 8;
/** Nested entries (keys and array items) looked at per field value; the rest are `[Truncated]`. */
export const MAX_ENTRIES = 5000;

export const TRUNCATED = '[Truncated]';
export const CIRCULAR = '[Circular]';
export const UNSERIALIZABLE = '[Unserializable]';

interface WalkState {
  budget: number;
  readonly ancestors: object[];
}

/** Cuts a long string, saying how much was cut. */
export function cut(text: string, max: number): string {
  return `${text.slice(0, max)}…[truncated ${text.length - max} chars]`;
}

/** An own property `__proto__` must stay a property, never become the prototype. */
function setField(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    out[key] = value;
  }
}

function thrownText(error: unknown): string {
  const message =
    error !== null && typeof error === 'object' ? readProperty(error, 'message') : error;
  return `[Throws: ${safeString(message).slice(0, 200)}]`;
}

/**
 * Turns field values into plain JSON data that cannot throw in `JSON.stringify` and that the
 * OpenTelemetry SDK accepts as attributes: values under sensitive keys become `[REDACTED]` at any
 * depth; errors become `{ type, message, stack, code?, cause? }`; cycles `[Circular]`; BigInt a
 * decimal string; symbols and functions a description; byte arrays `[Buffer 12 bytes]`; `Map` an
 * object and `Set` an array; a throwing getter `[Throws: message]`; long strings are cut.
 * Strings, numbers and booleans at the top level pass through untouched (the hot path); objects
 * are always copied, never changed in place.
 */
export class Sanitizer {
  readonly #keys: KeyPolicy;
  readonly #maxStringLength: number;
  readonly #text = (text: string): string => this.text(text);

  constructor(keys: KeyPolicy, maxStringLength: number) {
    this.#keys = keys;
    this.#maxStringLength = maxStringLength;
  }

  /** A string, cut to the longest length allowed. */
  text(text: string): string {
    return text.length > this.#maxStringLength ? cut(text, this.#maxStringLength) : text;
  }

  /** True when `text` is within the length limit: {@link text} would return it unchanged. */
  fits(text: string): boolean {
    return text.length <= this.#maxStringLength;
  }

  /** One top-level field value. */
  field(value: unknown): unknown {
    switch (typeof value) {
      case 'string':
        return value.length > this.#maxStringLength ? cut(value, this.#maxStringLength) : value;
      case 'number':
      case 'boolean':
      case 'undefined':
        return value;
      case 'object':
        return value === null ? null : this.#object(value, 0, newState());
      default:
        return this.#scalar(value);
    }
  }

  /** The `error` field of `log.error(err, ...)`. */
  error(error: Error): SerializedError {
    const state = newState();
    state.ancestors.push(error);
    return serializeError(error, this.#text, (nested) => this.#any(nested, 1, state));
  }

  /** A deep plain copy of a whole record: the fallback when `JSON.stringify(record)` throws. */
  record(record: object): unknown {
    return this.#object(record, 0, newState());
  }

  #any(value: unknown, depth: number, state: WalkState): unknown {
    switch (typeof value) {
      case 'string':
        return this.text(value);
      case 'number':
      case 'boolean':
      case 'undefined':
        return value;
      case 'object':
        return value === null ? null : this.#object(value, depth, state);
      default:
        return this.#scalar(value);
    }
  }

  #scalar(value: unknown): unknown {
    switch (typeof value) {
      case 'bigint':
        return value.toString();
      case 'symbol':
        return this.text(value.toString());
      case 'function':
        return `[Function: ${safeString(readProperty(value, 'name') || 'anonymous').slice(0, 200)}]`;
      default:
        return value;
    }
  }

  #object(value: object, depth: number, state: WalkState): unknown {
    if (depth >= MAX_DEPTH) return TRUNCATED;
    if (state.ancestors.includes(value)) return CIRCULAR;
    if (--state.budget < 0) return TRUNCATED;
    state.ancestors.push(value);
    try {
      return this.#copy(value, depth, state);
    } catch {
      // A proxy whose traps throw, an object whose `toJSON` throws.
      return UNSERIALIZABLE;
    } finally {
      state.ancestors.pop();
    }
  }

  #copy(value: object, depth: number, state: WalkState): unknown {
    const next = depth + 1;
    if (isError(value)) {
      return serializeError(value, this.#text, (nested) => this.#any(nested, next, state));
    }
    if (ArrayBuffer.isView(value)) {
      return `[${value.constructor?.name ?? 'ArrayBufferView'} ${value.byteLength} bytes]`;
    }
    if (value instanceof ArrayBuffer) return `[ArrayBuffer ${value.byteLength} bytes]`;
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return this.#any(toJSON.call(value, ''), next, state);
    if (Array.isArray(value)) return this.#array(value, next, state);
    if (value instanceof Set) return this.#array([...value], next, state);
    const out: Record<string, unknown> = {};
    if (value instanceof Map) {
      for (const [key, item] of value) {
        if (--state.budget < 0) {
          out['…'] = TRUNCATED;
          break;
        }
        const name = typeof key === 'string' ? key : safeString(key);
        setField(out, name, this.#keys.isSensitive(name) ? REDACTED : this.#any(item, next, state));
      }
      return out;
    }
    for (const key of Object.keys(value)) {
      if (--state.budget < 0) {
        out['…'] = TRUNCATED;
        break;
      }
      if (this.#keys.isSensitive(key)) {
        setField(out, key, REDACTED);
        continue;
      }
      let item: unknown;
      try {
        item = (value as Record<string, unknown>)[key];
      } catch (error) {
        setField(out, key, thrownText(error));
        continue;
      }
      setField(out, key, this.#any(item, next, state));
    }
    return out;
  }

  #array(value: readonly unknown[], depth: number, state: WalkState): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (--state.budget < 0) {
        out.push(TRUNCATED);
        break;
      }
      let item: unknown;
      try {
        item = value[i];
      } catch (error) {
        out.push(thrownText(error));
        continue;
      }
      out.push(this.#any(item, depth, state));
    }
    return out;
  }
}

function newState(): WalkState {
  return { budget: MAX_ENTRIES, ancestors: [] };
}
