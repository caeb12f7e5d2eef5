import type { KeyPolicy } from './keys.js';
import { DANGLING_KEY, KeyKind, MAPPED_KEYS, REDACTED, RESERVED_PREFIX } from './keys.js';
import type { Sanitizer } from './sanitize.js';
import { UNSERIALIZABLE } from './sanitize.js';
import { safeString } from './serialize-error.js';
import type { LogLineFields as Fields } from './types.js';

/** Longer keys are cut like long values. */
const MAX_KEY_LENGTH = 256;

function keyText(key: unknown): string {
  const text = typeof key === 'string' ? key : safeString(key);
  return text.length > MAX_KEY_LENGTH ? `${text.slice(0, MAX_KEY_LENGTH)}…` : text;
}

function hasKey(source: object, key: string): boolean {
  try {
    return Object.hasOwn(source, key);
  } catch {
    return false;
  }
}

function hasPairKey(args: readonly unknown[], start: number, key: string): boolean {
  for (let i = start; i + 1 < args.length; i += 2) if (args[i] === key) return true;
  return false;
}

/**
 * Writes the fields of one log call into its record: seed keys under their standard names
 * (`name` -> `resource.name`), keys the record itself uses as `field.<key>`, `[REDACTED]` for
 * secrets, and JSON-safe values. Call fields win over the logger's own (child) fields.
 */
export class CallFields {
  readonly #keys: KeyPolicy;
  readonly #sanitizer: Sanitizer;

  constructor(keys: KeyPolicy, sanitizer: Sanitizer) {
    this.#keys = keys;
    this.#sanitizer = sanitizer;
  }

  /** Writes the fields of an object (`log.info({ ... }, msg)`, `log.child({ ... })`) into `out`. */
  fromObject(source: object, out: Fields): void {
    let keys: string[];
    try {
      keys = Object.keys(source);
    } catch {
      out[`${RESERVED_PREFIX}fields`] = UNSERIALIZABLE;
      return;
    }
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      let value: unknown;
      try {
        value = (source as Fields)[key];
      } catch (error) {
        value = `[Throws: ${error instanceof Error ? error.message : safeString(error)}]`;
      }
      const kind = this.#keys.classify(key);
      if (kind === KeyKind.Plain) out[key] = this.#sanitizer.field(value);
      else this.#special(out, kind, key, value, hasKey(source, MAPPED_KEYS.get(key) ?? key));
    }
  }

  /**
   * True when `source` can be written as it is, with no copy: a plain object (no prototype of its
   * own, so no `toJSON`) whose keys are all plain and whose values are all numbers, booleans,
   * `undefined` or strings within the length limit: {@link fromObject} would copy it unchanged.
   * Never throws (a proxy or a throwing getter answers false, and the copy handles it).
   */
  isWritableAsIs(source: object): boolean {
    try {
      const prototype = Object.getPrototypeOf(source);
      if (prototype !== Object.prototype && prototype !== null) return false;
      const keys = Object.keys(source);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        if (this.#keys.classify(key) !== KeyKind.Plain) return false;
        const value = (source as Fields)[key];
        const type = typeof value;
        if (type === 'string') {
          if (!this.#sanitizer.fits(value as string)) return false;
        } else if (type !== 'number' && type !== 'boolean' && type !== 'undefined') {
          return false;
        }
      }
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Writes `key, value, key, value, ...` from `args[start]` on into `out`; a value left over goes
   * under `!BADKEY`. `earlier` holds the fields this call gave before the pairs (its object or its
   * error), so that an explicit standard key there still wins over a seed key here.
   */
  fromPairs(args: readonly unknown[], start: number, out: Fields, earlier?: object): void {
    const end = args.length;
    for (let i = start; i < end; i += 2) {
      if (i + 1 === end) {
        out[DANGLING_KEY] = this.#sanitizer.field(args[i]);
        return;
      }
      const raw = args[i];
      const key = typeof raw === 'string' && raw.length <= MAX_KEY_LENGTH ? raw : keyText(raw);
      const kind = this.#keys.classify(key);
      if (kind === KeyKind.Plain) {
        out[key] = this.#sanitizer.field(args[i + 1]);
      } else {
        const standard = MAPPED_KEYS.get(key) ?? key;
        const taken =
          kind === KeyKind.Mapped &&
          (hasPairKey(args, start, standard) ||
            (earlier !== undefined && hasKey(earlier, standard)));
        this.#special(out, kind, key, args[i + 1], taken);
      }
    }
  }

  #special(out: Fields, kind: KeyKind, key: string, value: unknown, standardTaken: boolean): void {
    if (kind === KeyKind.Sensitive) {
      out[key] = REDACTED;
    } else if (kind === KeyKind.Mapped && !standardTaken) {
      out[MAPPED_KEYS.get(key)!] = this.#sanitizer.field(value);
    } else {
      out[RESERVED_PREFIX + key] = this.#sanitizer.field(value);
    }
  }
}
