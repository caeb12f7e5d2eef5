import { isSensitiveKey, LogField } from '../log-fields.js';

/** What a field key is, decided once per distinct key. */
export const KeyKind = {
  /** Written as it is. */
  Plain: 0,
  /** Its value is replaced by `[REDACTED]`. */
  Sensitive: 1,
  /** A seed key written under its standard name (`name` -> `resource.name`). */
  Mapped: 2,
  /** A key the record itself uses (`level`, `time`, ...): written as `field.<key>`. */
  Reserved: 3,
} as const;

export type KeyKind = (typeof KeyKind)[keyof typeof KeyKind];

export const REDACTED = '[REDACTED]';

/** Prefix of a call field whose key the record itself uses. */
export const RESERVED_PREFIX = 'field.';

/** Key of a value that has no key (an odd count of keys and values); the name Go's slog uses. */
export const DANGLING_KEY = '!BADKEY';

/**
 * Seed keys written under their standard names: `log.info('created', 'name', vm.name)` gives
 * `resource.name`. `name` also is bunyan's logger-name field, so it could never stay as it is.
 */
export const MAPPED_KEYS: ReadonlyMap<string, string> = new Map([
  ['name', LogField.ResourceName],
  ['namespace', LogField.ResourceNamespace],
  ['err', LogField.Error],
]);

/**
 * The fields of the line itself: bunyan's core fields and the severity and trace fields this writer
 * adds. Not the caller's fields (a checker reading lines holds only the others to the field rules).
 */
export const LINE_CORE_FIELDS: ReadonlySet<string> = new Set([
  'v',
  'level',
  'name',
  'hostname',
  'pid',
  'time',
  'msg',
  'src',
  'severity_text',
  'severity_number',
  LogField.TraceId,
  LogField.SpanId,
  LogField.TraceFlags,
]);

/**
 * Keys of the record itself; call fields never overwrite them. `name` is not among them: a call's
 * `name` is the resource's (written `resource.name`, above).
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(
  [...LINE_CORE_FIELDS].filter((key) => key !== 'name').concat('__proto__'),
);

/** Keys are mostly literals in code, so a bounded memo makes the per-field check one Map lookup. */
const MEMO_LIMIT = 4096;
/** Longer keys are not remembered, so the memo stays small whatever keys come in. */
const MEMO_KEY_LENGTH = 128;

/** Decides, and remembers, what each field key is. One per root logger (children share it). */
export class KeyPolicy {
  readonly #extra: ReadonlySet<string>;
  readonly #memo = new Map<string, KeyKind>();

  constructor(extraSensitiveKeys: readonly string[]) {
    this.#extra = new Set(extraSensitiveKeys.map((key) => key.toLowerCase()));
  }

  /** The kind of a key that appears at the top level of a record. */
  classify(key: string): KeyKind {
    const known = this.#memo.get(key);
    if (known !== undefined) return known;
    const kind = MAPPED_KEYS.has(key)
      ? KeyKind.Mapped
      : RESERVED_KEYS.has(key)
        ? KeyKind.Reserved
        : this.#isSensitive(key)
          ? KeyKind.Sensitive
          : KeyKind.Plain;
    if (this.#memo.size < MEMO_LIMIT && key.length <= MEMO_KEY_LENGTH) this.#memo.set(key, kind);
    return kind;
  }

  /** True when the key names a secret; used for nested keys too (none of the others is one). */
  isSensitive(key: string): boolean {
    return this.classify(key) === KeyKind.Sensitive;
  }

  #isSensitive(key: string): boolean {
    return isSensitiveKey(key) || (this.#extra.size > 0 && this.#extra.has(key.toLowerCase()));
  }
}
