import type { OptionsSchema } from '@datum-telemetry/config';
import { rules, validateOptions } from '@datum-telemetry/config';
import type { SpanNameCheckOptions } from '@datum-telemetry/conventions';
import {
  assertSpanName,
  buildSpanName,
  checkSpanName,
  formatFindings,
} from '@datum-telemetry/conventions';
import type { Attributes, SpanOptions } from '@opentelemetry/api';
import { diag, SpanKind } from '@opentelemetry/api';
import { startAndRun } from './run-in-span.js';
import { RuntimeSpanNames } from './span-names.js';
import { TracerCache } from './tracer-cache.js';
import type {
  NamedSpanOptions,
  SpanFunction,
  SpanHelper,
  SpanHelperOptions,
  SpanHelpers,
  SpanHelpersOptions,
  SpanStartOptions,
  WithSpan,
} from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

const SPAN_KINDS = new Set<unknown>(Object.values(SpanKind).filter((v) => typeof v === 'number'));

const names = rules.arrayOf(rules.string, "an array of PascalCase strings such as ['Drain']");

const spanStartOptionRules: OptionsSchema<SpanStartOptions> = {
  attributes: rules.record(rules.any, 'an object of attribute values'),
  spanKind: rules.custom(
    'a SpanKind from @opentelemetry/api (SpanKind.INTERNAL, SpanKind.SERVER, ...)',
    (value) => SPAN_KINDS.has(value),
  ),
};

const spanHelperOptionRules: OptionsSchema<SpanHelperOptions> = {
  ...spanStartOptionRules,
  operation: rules.required(rules.nonEmptyString),
  kind: rules.required(rules.nonEmptyString),
  verbs: names,
  kinds: names,
};

const spanHelpersOptionRules: OptionsSchema<SpanHelpersOptions> = {
  verbs: names,
  kinds: names,
  tracerName: rules.nonEmptyString,
  tracerVersion: rules.nonEmptyString,
};

function spanOptionsOf(options: SpanStartOptions): SpanOptions | undefined {
  if (options.spanKind === undefined && options.attributes === undefined) return undefined;
  return { kind: options.spanKind, attributes: options.attributes };
}

function notAFunction(): never {
  throw new TypeError('withSpan: expected a function to run inside the span as the last argument');
}

/**
 * Span helpers bound to a set of extra verbs and kinds. `withSpan` and `createSpanHelper`
 * exported by the package are the ones with the default verbs.
 */
export function createSpanHelpers(options: SpanHelpersOptions = {}): SpanHelpers {
  validateOptions<SpanHelpersOptions>(options, spanHelpersOptionRules);
  const check: SpanNameCheckOptions = { verbs: options.verbs, kinds: options.kinds };
  // Validates the extra verbs now (a ConventionError), not on the first span.
  checkSpanName('GetVirtualMachine', check);
  const tracerName = options.tracerName ?? PACKAGE_NAME;
  const tracers = new TracerCache(
    tracerName,
    options.tracerVersion ?? (tracerName === PACKAGE_NAME ? PACKAGE_VERSION : undefined),
  );
  const runtimeNames = new RuntimeSpanNames(check);

  function withSpan<T>(
    first: string | NamedSpanOptions,
    second: SpanFunction<T> | SpanStartOptions,
    third?: SpanFunction<T>,
  ): T {
    if (typeof first === 'string') {
      if (typeof second === 'function') {
        return startAndRun(tracers.get(), runtimeNames.named(first), undefined, undefined, second);
      }
      if (typeof third !== 'function') notAFunction();
      const start = second !== null && typeof second === 'object' ? second : {};
      return startAndRun(
        tracers.get(),
        runtimeNames.named(first),
        spanOptionsOf(start),
        undefined,
        third,
      );
    }
    if (typeof second !== 'function') notAFunction();
    if (first === null || typeof first !== 'object') {
      return startAndRun(tracers.get(), runtimeNames.named(first), undefined, undefined, second);
    }
    return startAndRun(
      tracers.get(),
      runtimeNames.fromParts(first.operation, first.kind),
      spanOptionsOf(first),
      undefined,
      second,
    );
  }

  function createSpanHelper(helperOptions: SpanHelperOptions | string): SpanHelper {
    let name: string;
    let spanOptions: SpanOptions | undefined;
    let nameCheck = check;
    if (typeof helperOptions === 'string') {
      name = helperOptions;
    } else {
      validateOptions<SpanHelperOptions>(
        helperOptions,
        spanHelperOptionRules,
        'createSpanHelper',
        "{ operation, kind } such as { operation: 'Reconcile', kind: 'VirtualMachine' }, or a span name",
      );
      nameCheck = {
        verbs: [...(check.verbs ?? []), ...(helperOptions.verbs ?? [])],
        kinds: helperOptions.kinds ?? check.kinds,
      };
      name = buildSpanName(helperOptions.operation, helperOptions.kind, nameCheck);
      spanOptions = spanOptionsOf(helperOptions);
    }
    assertSpanName(name, nameCheck);
    const warnings = checkSpanName(name, nameCheck);
    if (warnings.length > 0) diag.warn(`@datum-telemetry/tracing: ${formatFindings(warnings)}`);

    const helper = <T>(first: Attributes | SpanFunction<T>, second?: SpanFunction<T>): T => {
      if (typeof first === 'function') {
        return startAndRun(tracers.get(), name, spanOptions, undefined, first);
      }
      if (typeof second !== 'function') notAFunction();
      return startAndRun(tracers.get(), name, spanOptions, first, second);
    };
    Object.defineProperty(helper, 'name', { value: name });
    Object.defineProperty(helper, 'spanName', { value: name, enumerable: true });
    return helper as SpanHelper;
  }

  return { withSpan: withSpan as WithSpan, createSpanHelper };
}

const defaultHelpers = createSpanHelpers();

/**
 * Runs `fn` inside a span named `{Operation}{Resource}`, active in context: sets the attributes,
 * records a throw or rejection (status ERROR, `exception` event, `error.type`) and rethrows the
 * same error, and always ends the span. A name that breaks the naming rules gets one `diag.warn`
 * and is used anyway.
 */
export const withSpan: WithSpan = defaultHelpers.withSpan;

/**
 * Checks the span name once (throws a `ConventionError` when it breaks a rule) and returns a cheap
 * function for the hot path: `helper(fn)` or `helper(attributes, fn)`.
 */
export const createSpanHelper: (options: SpanHelperOptions | string) => SpanHelper =
  defaultHelpers.createSpanHelper;
