/**
 * Thrown at set-up for an invalid option or environment variable. The message names the option
 * (or variable), the value it got and the values it accepts.
 */
export class ConfigError extends Error {
  /** The option path or environment variable that was invalid. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(`${option}: ${message}`);
    this.name = 'ConfigError';
    this.option = option;
  }
}

/**
 * Shows a received value in an error message, cut short: strings quoted, numbers and the like as
 * they are, objects by their kind (an array, a function, an object) rather than `[object Object]`.
 */
export function shown(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'object' && value !== null) return 'an object';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
