import type { InstrumentKind, MetricNameCheckOptions } from './metric-names.js';
import { assertMetricName } from './metric-names.js';
import type { DefaultVerb, SpanNameCheckOptions } from './span-names.js';
import { assertSpanName } from './span-names.js';

type Lower =
  | 'a'
  | 'b'
  | 'c'
  | 'd'
  | 'e'
  | 'f'
  | 'g'
  | 'h'
  | 'i'
  | 'j'
  | 'k'
  | 'l'
  | 'm'
  | 'n'
  | 'o'
  | 'p'
  | 'q'
  | 'r'
  | 's'
  | 't'
  | 'u'
  | 'v'
  | 'w'
  | 'x'
  | 'y'
  | 'z';
type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';
type Alnum = Lower | Uppercase<Lower> | Digit;

type AllOf<S extends string, Allowed extends string> = S extends `${infer C}${infer R}`
  ? C extends Allowed
    ? AllOf<R, Allowed>
    : false
  : true;

type Split<S extends string> = S extends `${infer H}.${infer T}` ? [H, ...Split<T>] : [S];

/** True when the last segment, or the one before a final `total`, repeats the segment before it. */
type RepeatsSuffix<P extends string[]> = P extends [
  ...infer Rest extends string[],
  infer A,
  infer B,
]
  ? [A] extends [B]
    ? true
    : B extends 'total'
      ? Rest extends [...string[], infer C]
        ? [C] extends [A]
          ? true
          : false
        : false
      : false
  : false;

type SegmentsStartWithLetter<P extends string[]> = P extends [
  infer H extends string,
  ...infer T extends string[],
]
  ? H extends `${Lower}${string}`
    ? SegmentsStartWithLetter<T>
    : false
  : true;

/**
 * A compile-time error in place of a name: no string is assignable to it, and the editor shows the
 * message.
 */
export interface NameError<Message extends string> {
  readonly __nameError: Message;
}

/**
 * `N` when the literal metric name `N` passes the rules TypeScript can check, otherwise a
 * {@link NameError} saying why: lower-case letters, digits, `_` and `.` only; no empty segment; every
 * segment starts with a letter; at least three segments; counters end in `.total` and other kinds
 * do not; no suffix is written twice (`.total.total`). A `string` that is not a literal passes (it
 * is checked at run time).
 */
export type MetricNameLiteral<
  N extends string,
  K extends InstrumentKind = InstrumentKind,
> = string extends N
  ? N
  : AllOf<N, Lower | Digit | '_' | '.'> extends false
    ? NameError<'metric names use only a-z, 0-9, "_" and "."'>
    : SegmentsStartWithLetter<Split<N>> extends false
      ? NameError<'every metric segment starts with a letter, and none is empty'>
      : Split<N>['length'] extends 0 | 1 | 2
        ? NameError<'metric names are {service}.{resource}.{measurement}[.{unit}]'>
        : RepeatsSuffix<Split<N>> extends true
          ? NameError<'a suffix is written twice (.total.total, .seconds.seconds): write it once'>
          : [InstrumentKind] extends [K]
            ? N
            : [K] extends ['counter']
              ? N extends `${string}.${string}.${string}.total`
                ? N
                : NameError<'counter names are {service}.{resource}.{measurement}.total'>
              : N extends `${string}.total`
                ? NameError<'only counter names end in .total'>
                : N;

type RestAfterVerb<N extends string, V extends string> = V extends string
  ? N extends `${V}${infer R}`
    ? R
    : never
  : never;

type ValidResource<R extends string> = R extends `${Uppercase<Lower>}${string}`
  ? AllOf<R, Alnum>
  : false;

/**
 * `N` when the literal span name `N` is `{Operation}{Resource}`: a verb from `V` (the default verbs,
 * plus any you add) followed by a PascalCase resource with letters and digits only; otherwise a
 * {@link NameError}. A `string` that is not a literal passes (it is checked at run time).
 */
export type SpanNameLiteral<N extends string, V extends string = DefaultVerb> = string extends N
  ? N
  : [RestAfterVerb<N, V>] extends [never]
    ? NameError<'span names start with an operation verb: {Operation}{Resource}, e.g. CreateVirtualMachine'>
    : true extends ValidResource<RestAfterVerb<N, V>>
      ? N
      : NameError<'the resource after the verb is PascalCase letters and digits: {Operation}{Resource}'>;

/**
 * Returns a metric name after checking it: at compile time for literals ({@link MetricNameLiteral}),
 * and at run time (throws a ConventionError naming each rule and fix).
 */
export function metricName<const N extends string, const K extends InstrumentKind = InstrumentKind>(
  name: N & MetricNameLiteral<N, K>,
  options: MetricNameCheckOptions & { readonly kind?: K } = {},
): N {
  assertMetricName(name, options);
  return name;
}

/**
 * Returns a span name after checking it: at compile time for literals ({@link SpanNameLiteral}),
 * and at run time (throws a ConventionError naming each rule and fix).
 */
export function spanName<const N extends string, const V extends string = DefaultVerb>(
  name: N & SpanNameLiteral<N, V | DefaultVerb>,
  options: SpanNameCheckOptions & { readonly verbs?: readonly V[] } = {},
): N {
  assertSpanName(name, options);
  return name;
}
