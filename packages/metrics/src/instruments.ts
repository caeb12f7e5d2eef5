import type { OptionsSchema } from '@datum-telemetry/config';
import { ConfigError, is, rules, validateOptions } from '@datum-telemetry/config';
import type { InstrumentKind } from '@datum-telemetry/conventions';
import {
  ConventionError,
  checkMetricName,
  formatFindings,
  unitForName,
} from '@datum-telemetry/conventions';
import type { Meter, MetricOptions } from '@opentelemetry/api';
import { diag, ValueType } from '@opentelemetry/api';
import {
  AttributeGuard,
  droppedAttributesCounter,
  guardedAdder,
  guardedObservable,
  guardedRecorder,
} from './attribute-filter.js';
import { checkBuckets, DEFAULT_SECONDS_BUCKETS, SDK_DEFAULT_BUCKETS } from './buckets.js';
import type { OwnInstrument } from './exemplars/own-instrument.js';
import { exemplarCounter, exemplarHistogram } from './exemplars/own-recording.js';
import { meterExemplars } from './meter-provider.js';
import type {
  HistogramOptions,
  InstrumentFactories,
  InstrumentsOptions,
  InvalidNamePolicy,
  MetricValueType,
} from './types.js';

/** One instrument to build, as the factories and definitions describe it, after validation. */
export interface InstrumentSpec extends HistogramOptions {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly observable: boolean;
}

/** An instrument spec after validation, with every default applied. */
export interface ResolvedSpec {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly observable: boolean;
  readonly unit: string;
  readonly description: string;
  readonly valueType: MetricValueType;
  /** `undefined`: every key passes. */
  readonly attributes: readonly string[] | undefined;
  /** `undefined`: the SDK default. */
  readonly buckets: readonly number[] | undefined;
}

export const INSTRUMENT_KINDS: readonly InstrumentKind[] = [
  'counter',
  'updowncounter',
  'gauge',
  'histogram',
];

/** `onInvalidName`, of `createInstruments` and `defineMetrics`. */
export const invalidNamePolicyRule = rules.oneOf(['throw', 'warn']);

/** The options of one instrument: of the factories, and of a `defineMetrics` declaration. */
export const instrumentOptionRules: OptionsSchema<HistogramOptions> = {
  description: rules.string,
  unit: rules.custom('a UCUM unit string such as "s"', is.string),
  valueType: rules.oneOf(['int', 'float']),
  attributes: rules.arrayOf(rules.nonEmptyString, 'an array of attribute keys'),
  buckets: {
    expected: 'a non-empty array of ascending finite numbers',
    check: (value, path) => {
      checkBuckets(path, value);
    },
  },
};

const instrumentsOptionRules: OptionsSchema<InstrumentsOptions> = {
  service: rules.string,
  onInvalidName: invalidNamePolicyRule,
};

/**
 * Resolves a validated spec: the name against the naming rules (throwing a ConventionError, or
 * warning when the policy is `warn`), and the defaults (unit from the name, seconds buckets).
 */
export function resolveSpec(
  spec: InstrumentSpec,
  option: string,
  service: string | undefined,
  policy: InvalidNamePolicy,
): ResolvedSpec {
  const { name, kind } = spec;
  if (spec.observable && kind === 'histogram') {
    throw new ConfigError(
      `${option}.observable`,
      'histograms cannot be observable; use an observable gauge, or record into a histogram',
    );
  }
  if (spec.buckets !== undefined && kind !== 'histogram') {
    throw new ConfigError(`${option}.buckets`, 'only histograms have buckets');
  }
  const attributes = spec.attributes === undefined ? undefined : [...new Set(spec.attributes)];
  const unit = spec.unit ?? unitForName(name) ?? '';
  const buckets =
    spec.buckets !== undefined
      ? [...spec.buckets]
      : kind === 'histogram' && unit === 's'
        ? DEFAULT_SECONDS_BUCKETS
        : undefined;

  const violations = checkMetricName(name, { kind, unit, service }).filter(
    (finding) => finding.level === 'violation',
  );
  if (violations.length > 0) {
    if (policy === 'throw') throw new ConventionError(violations);
    diag.warn(`@datum-telemetry/metrics: ${formatFindings(violations)}`);
  }
  return {
    name,
    kind,
    observable: spec.observable,
    unit,
    description: spec.description ?? '',
    valueType: spec.valueType ?? 'float',
    attributes,
    buckets,
  };
}

/**
 * The exemplars of a counter or histogram made on a meter of a provider that keeps them
 * (`setupMetrics`, `createTestMetrics`, unless the exemplar filter is `always_off`).
 */
function exemplarsFor(meter: Meter, spec: ResolvedSpec): OwnInstrument | undefined {
  if (spec.observable || (spec.kind !== 'counter' && spec.kind !== 'histogram')) return undefined;
  const exemplars = meterExemplars(meter);
  return exemplars?.store.register(exemplars.scope, {
    name: spec.name,
    kind: spec.kind,
    unit: spec.unit,
    boundaries: spec.buckets ?? SDK_DEFAULT_BUCKETS,
    integer: spec.valueType === 'int',
  });
}

/**
 * Makes the instrument a resolved spec describes. Without declared attributes, and without
 * exemplars (the exemplar filter is `always_off`, or the meter is not one of `setupMetrics`'), it
 * is the SDK's own instrument, so recording costs exactly what the SDK costs.
 */
export function buildInstrument(
  meter: Meter,
  spec: ResolvedSpec,
  service: string | undefined,
): unknown {
  const options: MetricOptions = {
    description: spec.description,
    unit: spec.unit,
    valueType: spec.valueType === 'int' ? ValueType.INT : ValueType.DOUBLE,
  };
  if (spec.buckets !== undefined) options.advice = { explicitBucketBoundaries: [...spec.buckets] };
  const guard =
    spec.attributes === undefined
      ? undefined
      : new AttributeGuard(
          spec.attributes,
          spec.name,
          droppedAttributesCounter(meter, service ?? spec.name.split('.')[0]!),
        );
  if (spec.observable) {
    const inner =
      spec.kind === 'counter'
        ? meter.createObservableCounter(spec.name, options)
        : spec.kind === 'updowncounter'
          ? meter.createObservableUpDownCounter(spec.name, options)
          : meter.createObservableGauge(spec.name, options);
    return guard ? guardedObservable(inner, guard) : inner;
  }
  switch (spec.kind) {
    case 'counter': {
      const inner = meter.createCounter(spec.name, options);
      const exemplars = exemplarsFor(meter, spec);
      if (exemplars !== undefined) return exemplarCounter(inner, guard, exemplars);
      return guard ? guardedAdder(inner, guard) : inner;
    }
    case 'updowncounter': {
      const inner = meter.createUpDownCounter(spec.name, options);
      return guard ? guardedAdder(inner, guard) : inner;
    }
    case 'gauge': {
      const inner = meter.createGauge(spec.name, options);
      return guard ? guardedRecorder(inner, guard) : inner;
    }
    default: {
      const inner = meter.createHistogram(spec.name, options);
      const exemplars = exemplarsFor(meter, spec);
      if (exemplars !== undefined) return exemplarHistogram(inner, guard, exemplars);
      return guard ? guardedRecorder(inner, guard) : inner;
    }
  }
}

/**
 * Instrument factories over a meter that check every name, kind and unit against the naming rules
 * when the instrument is made: a bad name throws a ConventionError with the rule and the fix (or,
 * with `onInvalidName: 'warn'`, warns through `diag`). Literal names are also checked by TypeScript.
 */
export function createInstruments(
  meter: Meter,
  options: InstrumentsOptions = {},
): InstrumentFactories {
  validateOptions<InstrumentsOptions>(options, instrumentsOptionRules);
  const policy = options.onInvalidName ?? 'throw';
  const service = options.service;
  const make =
    (kind: InstrumentKind, observable: boolean) =>
    (name: string, instrumentOptions: HistogramOptions = {}): never => {
      rules.string.check(name, 'instrument.name');
      validateOptions<HistogramOptions>(instrumentOptions, instrumentOptionRules, name);
      const spec = resolveSpec(
        { ...instrumentOptions, name, kind, observable },
        name,
        service,
        policy,
      );
      return buildInstrument(meter, spec, service) as never;
    };
  return {
    counter: make('counter', false),
    upDownCounter: make('updowncounter', false),
    gauge: make('gauge', false),
    histogram: make('histogram', false),
    observableCounter: make('counter', true),
    observableUpDownCounter: make('updowncounter', true),
    observableGauge: make('gauge', true),
  };
}
