import type { SinkAttributes } from './types.js';

/**
 * Sets one decoded attribute. A key named `__proto__` becomes an ordinary own property rather than
 * replacing the object's prototype, so a hostile body cannot reshape the objects tests read.
 * A repeated key keeps its last value.
 */
export function setAttribute(target: SinkAttributes, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
