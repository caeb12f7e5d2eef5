import { ConfigError } from '@datum-telemetry/config';
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
import { checkBuckets, DEFAULT_SECONDS_BUCKETS } from './buckets.js';
import { shown } from './settings.js';
import type {
  InstrumentFactories,
  InstrumentsOptions,
  InvalidNamePolicy,
  MetricValueType,
} from './types.js';

/** One instrument to build, as the factories and definitions describe it. */
export interface InstrumentSpec {
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly observable: boolean;
  readonly unit?: unknown;
  readonly description?: unknown;
  readonly valueType?: unknown;
  readonly attributes?: unknown;
  readonly buckets?: unknown;
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

const KINDS: readonly InstrumentKind[] = ['counter', 'updowncounter', 'gauge', 'histogram'];

export function checkPolicy(option: string, value: unknown): InvalidNamePolicy {
  if (value === undefined) return 'throw';
  if (value !== 'throw' && value !== 'warn') {
    throw new ConfigError(option, `got ${shown(value)}; expected "throw" or "warn"`);
  }
  return value;
}

/**
 * Validates a spec: the name against the naming rules (throwing a ConventionError, or warning when
 * the policy is `warn`), the other fields as options (ConfigError naming `option.field`).
 */
export function resolveSpec(
  spec: InstrumentSpec,
  option: string,
  service: string | undefined,
  policy: InvalidNamePolicy,
): ResolvedSpec {
  const { name, kind } = spec;
  if (typeof name !== 'string') {
    throw new ConfigError(`${option}.name`, `got ${shown(name)}; expected a metric name string`);
  }
  if (!KINDS.includes(kind)) {
    throw new ConfigError(
      `${option}.kind`,
      `got ${shown(kind)}; expected one of ${KINDS.join(', ')}`,
    );
  }
  if (spec.observable && kind === 'histogram') {
    throw new ConfigError(
      `${option}.observable`,
      'histograms cannot be observable; use an observable gauge, or record into a histogram',
    );
  }
  if (spec.unit !== undefined && typeof spec.unit !== 'string') {
    throw new ConfigError(
      `${option}.unit`,
      `got ${shown(spec.unit)}; expected a UCUM unit string such as "s"`,
    );
  }
  if (spec.description !== undefined && typeof spec.description !== 'string') {
    throw new ConfigError(
      `${option}.description`,
      `got ${shown(spec.description)}; expected a string`,
    );
  }
  if (spec.valueType !== undefined && spec.valueType !== 'int' && spec.valueType !== 'float') {
    throw new ConfigError(
      `${option}.valueType`,
      `got ${shown(spec.valueType)}; expected "int" or "float"`,
    );
  }
  let attributes: string[] | undefined;
  if (spec.attributes !== undefined) {
    if (!Array.isArray(spec.attributes)) {
      throw new ConfigError(
        `${option}.attributes`,
        `got ${shown(spec.attributes)}; expected an array of attribute keys`,
      );
    }
    attributes = [];
    for (const key of spec.attributes as unknown[]) {
      if (typeof key !== 'string' || key === '') {
        throw new ConfigError(
          `${option}.attributes`,
          `got ${shown(key)}; expected non-empty strings`,
        );
      }
      if (!attributes.includes(key)) attributes.push(key);
    }
  }
  if (spec.buckets !== undefined && kind !== 'histogram') {
    throw new ConfigError(`${option}.buckets`, 'only histograms have buckets');
  }
  const unit = (spec.unit as string | undefined) ?? unitForName(name) ?? '';
  const buckets =
    spec.buckets !== undefined
      ? checkBuckets(`${option}.buckets`, spec.buckets)
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
    description: (spec.description as string | undefined) ?? '',
    valueType: (spec.valueType as MetricValueType | undefined) ?? 'float',
    attributes,
    buckets,
  };
}

/**
 * Makes the instrument a resolved spec describes. Without declared attributes it is the SDK's own
 * instrument, so recording costs exactly what the SDK costs.
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
  const policy = checkPolicy('onInvalidName', options.onInvalidName);
  if (options.service !== undefined && typeof options.service !== 'string') {
    throw new ConfigError('service', `got ${shown(options.service)}; expected a string`);
  }
  const service = options.service;
  const make =
    (kind: InstrumentKind, observable: boolean) =>
    (name: string, instrumentOptions: Record<string, unknown> = {}): never => {
      if (typeof instrumentOptions !== 'object' || instrumentOptions === null) {
        throw new ConfigError(
          String(name),
          `got options ${shown(instrumentOptions)}; expected an object`,
        );
      }
      const spec = resolveSpec(
        { ...instrumentOptions, name, kind, observable },
        typeof name === 'string' ? name : 'instrument',
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
