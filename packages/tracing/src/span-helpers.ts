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

function checkStringList(option: string, value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new TypeError(`${option}: expected an array of PascalCase strings such as ['Drain']`);
  }
  return value;
}

function checkStartOptions(options: SpanStartOptions, where: string): void {
  if (options.spanKind !== undefined && !SPAN_KINDS.has(options.spanKind)) {
    throw new TypeError(
      `${where}.spanKind: got ${String(options.spanKind)}; expected a SpanKind from @opentelemetry/api (SpanKind.INTERNAL, SpanKind.SERVER, ...)`,
    );
  }
  if (
    options.attributes !== undefined &&
    (options.attributes === null || typeof options.attributes !== 'object')
  ) {
    throw new TypeError(`${where}.attributes: expected an object of attribute values`);
  }
}

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
  const check: SpanNameCheckOptions = {
    verbs: checkStringList('verbs', options.verbs),
    kinds: checkStringList('kinds', options.kinds),
  };
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
      if (helperOptions === null || typeof helperOptions !== 'object') {
        throw new TypeError(
          "createSpanHelper: expected { operation, kind } such as { operation: 'Reconcile', kind: 'VirtualMachine' }, or a span name",
        );
      }
      checkStartOptions(helperOptions, 'createSpanHelper');
      const extraVerbs = checkStringList('createSpanHelper.verbs', helperOptions.verbs) ?? [];
      const extraKinds = checkStringList('createSpanHelper.kinds', helperOptions.kinds);
      nameCheck = {
        verbs: [...(check.verbs ?? []), ...extraVerbs],
        kinds: extraKinds ?? check.kinds,
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
