// The one options validator of the @datum-telemetry packages: every set-up function, factory and
// definition describes its options as a schema of rules and checks them here, so that a misspelt
// option or a value of the wrong type fails at set-up, with the option's path and what it expects.
import { ConfigError, shown } from './errors.js';

/** What one option accepts, and the check. */
export interface OptionRule {
  /** What the option accepts, as error messages say it: `true or false`, `a positive integer`. */
  readonly expected: string;
  /** True when the option must be given. The default value is `false`. */
  readonly required?: boolean;
  /**
   * Throws a {@link ConfigError} naming `path` when `value` is not accepted. Never called with
   * `undefined`: an option left out is accepted, unless the rule is required.
   */
  check(value: unknown, path: string): void;
}

/** The rule of an option that must be given (see {@link rules}`.required`). */
export interface RequiredOptionRule extends OptionRule {
  readonly required: true;
}

/**
 * The rules of an options object, one per option of `T`. A key the schema does not list is an
 * unknown option; TypeScript checks that every option of `T` has a rule, and a required rule for a
 * required option.
 */
export type OptionsSchema<T> = {
  readonly [K in keyof T]-?: undefined extends T[K] ? OptionRule : RequiredOptionRule;
};

/** A test that picks one alternative of {@link rules}`.union`, and the rule that then applies. */
export type RuleAlternative = readonly [matches: (value: unknown) => boolean, rule: OptionRule];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `path.key`, or `path["key.with.dots"]` when the key is not an identifier. */
function join(path: string, key: string): string {
  if (IDENTIFIER.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Optimal string alignment distance: edits, where swapping two neighbours is one edit. */
function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The known name closest to `name` (case aside), when it is close enough to be a typo: at most one
 * edit per three characters (and at least one), else a known name that `name` begins (`redact` for
 * `redactKeys`, four characters at least).
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(name.length, best.length) / 3));
  if (bestDistance <= limit) return best;
  if (lower.length < 4) return undefined;
  return known.find((candidate) => candidate.toLowerCase().startsWith(lower));
}

function unknownOption(path: string, key: string, known: readonly string[]): ConfigError {
  const suggestion = didYouMean(key, known);
  return new ConfigError(
    join(path, key),
    suggestion !== undefined
      ? `unknown option; did you mean ${JSON.stringify(suggestion)}?`
      : `unknown option; expected one of ${known.join(', ')}`,
  );
}

function rejected(path: string, value: unknown, expected: string): ConfigError {
  return new ConfigError(
    path === '' ? 'options' : path,
    `got ${shown(value)}; expected ${expected}`,
  );
}

/**
 * Checks an options object against its schema: first that it is an object and has no key the
 * schema does not know (with a did-you-mean), then each option in schema order, nested objects and
 * arrays included. Throws a {@link ConfigError} whose `option` is the path of the first bad option
 * (`sampler.ratio`, `resources[0].short`), prefixed with `path` when one is given.
 */
export function validateOptions<T>(
  value: unknown,
  schema: OptionsSchema<T>,
  path = '',
  expected = 'an object',
): asserts value is T {
  if (!isPlainObject(value)) throw rejected(path, value, expected);
  const known = Object.keys(schema);
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(schema, key)) throw unknownOption(path, key, known);
  }
  checkOptionValues(value, schema, path);
}

/**
 * Checks the options `schema` lists, in schema order, leaving other keys alone: for a resolver that
 * reads a part of a larger options object (the service options of `setupTracing`'s options) after
 * the whole was checked with {@link validateOptions}.
 */
export function checkOptionValues<T>(
  value: Readonly<Record<string, unknown>>,
  schema: OptionsSchema<T>,
  path = '',
): void {
  const rulesByKey = schema as unknown as Readonly<Record<string, OptionRule>>;
  for (const key of Object.keys(rulesByKey)) {
    const rule = rulesByKey[key]!;
    const option = value[key];
    if (option === undefined) {
      if (rule.required === true) {
        throw new ConfigError(join(path, key), `is missing; expected ${rule.expected}`);
      }
      continue;
    }
    rule.check(option, join(path, key));
  }
}

function rule(expected: string, accepts: (value: unknown) => boolean): OptionRule {
  return {
    expected,
    check(value, path) {
      if (!accepts(value)) throw rejected(path, value, expected);
    },
  };
}

function quoteAll(values: readonly unknown[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  if (quoted.length === 2) return `${quoted[0]} or ${quoted[1]}`;
  return `one of ${quoted.join(', ')}`;
}

const isPositiveInteger = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** The rules schemas are made of. */
export const rules = Object.freeze({
  /** Anything: for options whose value is the caller's own (fields, views). */
  any: rule('any value', () => true),
  boolean: rule('true or false', (value) => typeof value === 'boolean'),
  string: rule('a string', (value) => typeof value === 'string'),
  nonEmptyString: rule(
    'a non-empty string',
    (value) => typeof value === 'string' && value.trim() !== '',
  ),
  function: rule('a function', (value) => typeof value === 'function'),
  positiveInteger: rule('a positive integer', isPositiveInteger),
  positiveMillis: rule('a positive integer of milliseconds', isPositiveInteger),

  /** An integer from `min` to `max`. */
  integer(min: number, max: number, expected = `an integer from ${min} to ${max}`): OptionRule {
    return rule(
      expected,
      (value) =>
        typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max,
    );
  },

  /** A finite number from `min` to `max`. */
  number(min: number, max: number, expected = `a number from ${min} to ${max}`): OptionRule {
    return rule(
      expected,
      (value) =>
        typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max,
    );
  },

  /** One of these values (compared with `===`). */
  oneOf(values: readonly unknown[], expected = quoteAll(values)): OptionRule {
    return rule(expected, (value) => values.includes(value));
  },

  /** Whatever `accepts` says yes to. */
  custom(expected: string, accepts: (value: unknown) => boolean): OptionRule {
    return rule(expected, accepts);
  },

  /** The same rule, for an option that must be given. */
  required(of: OptionRule): RequiredOptionRule {
    return { expected: of.expected, required: true, check: (value, path) => of.check(value, path) };
  },

  /** An array whose every item `item` accepts; an item's path is `path[index]`. */
  arrayOf(item: OptionRule, expected: string): OptionRule {
    return {
      expected,
      check(value, path) {
        if (!Array.isArray(value)) throw rejected(path, value, expected);
        value.forEach((entry: unknown, index) => {
          item.check(entry, `${path}[${index}]`);
        });
      },
    };
  },

  /** An object of any keys whose every value `item` accepts (headers, attributes, limits). */
  record(item: OptionRule, expected: string): OptionRule {
    return {
      expected,
      check(value, path) {
        if (!isPlainObject(value)) throw rejected(path, value, expected);
        for (const [key, entry] of Object.entries(value)) {
          if (entry !== undefined) item.check(entry, join(path, key));
        }
      },
    };
  },

  /** An object with the options of `schema` and no other key. */
  object<T>(schema: OptionsSchema<T>, expected = 'an object'): OptionRule {
    return {
      expected,
      check(value, path) {
        validateOptions(value, schema, path, expected);
      },
    };
  },

  /**
   * One of several shapes (`false` or an object, a name or a function): the first alternative whose
   * test matches the value checks it; a value no alternative matches is rejected with `expected`.
   */
  union(expected: string, ...alternatives: readonly RuleAlternative[]): OptionRule {
    return {
      expected,
      check(value, path) {
        for (const [matches, alternative] of alternatives) {
          if (matches(value)) {
            alternative.check(value, path);
            return;
          }
        }
        throw rejected(path, value, expected);
      },
    };
  },
});

/** Tests for {@link rules}`.union`. */
export const is = Object.freeze({
  object: isPlainObject,
  array: (value: unknown): boolean => Array.isArray(value),
  string: (value: unknown): boolean => typeof value === 'string',
  function: (value: unknown): boolean => typeof value === 'function',
  false: (value: unknown): boolean => value === false,
});
