import type { OptionsSchema } from '@datum-telemetry/config';
import { ConfigError, checkSloSection, is, rules, validateOptions } from '@datum-telemetry/config';
import type { InstrumentKind, MetricNameLiteral, NameError } from '@datum-telemetry/conventions';
import {
  ConventionError,
  checkServiceName,
  createResourceRegistry,
  DEFAULT_REQUEST_DURATION_BUCKETS,
  prometheusSeriesNames,
  requestMetricNames,
  toPrometheusName,
} from '@datum-telemetry/conventions';
import type { Meter } from '@opentelemetry/api';
import { definitionToYaml } from './definition-yaml.js';
import type { ResolvedSpec } from './instruments.js';
import {
  buildInstrument,
  INSTRUMENT_KINDS,
  instrumentOptionRules,
  invalidNamePolicyRule,
  resolveSpec,
} from './instruments.js';
import type {
  DefineMetricsOptions,
  MetricDeclaration,
  MetricDefinitionJson,
  MetricInstruments,
  MetricsDefinition,
  MetricsDefinitionJson,
  ResourceDefinitionJson,
} from './types.js';

type ServicePrefixed<S extends string, N extends string> = string extends N
  ? N
  : string extends S
    ? N
    : N extends `${S}.${string}`
      ? N
      : NameError<`metric names start with the service name: ${S}.{resource}.{measurement}`>;

/** Each declaration with its literal name checked against the rules and the service. */
export type CheckedDeclarations<S extends string, M> = {
  [P in keyof M]: M[P] extends {
    readonly name: infer N extends string;
    readonly kind: infer K extends InstrumentKind;
  }
    ? M[P] & { readonly name: ServicePrefixed<S, N> & MetricNameLiteral<N, K> }
    : MetricDeclaration;
};

const metricDeclarationRules: OptionsSchema<MetricDeclaration> = {
  name: rules.required(rules.custom('a metric name', is.string)),
  kind: rules.required(rules.oneOf(INSTRUMENT_KINDS)),
  observable: rules.boolean,
  ...instrumentOptionRules,
};

const defineMetricsOptionRules: OptionsSchema<
  DefineMetricsOptions<string, Readonly<Record<string, MetricDeclaration>>>
> = {
  service: rules.required(rules.custom('a service name such as "compute"', is.string)),
  metrics: rules.required(
    rules.record(
      rules.object(metricDeclarationRules, '{ name, kind, ... }'),
      'an object of metric declarations such as { vmRequests: { name, kind } }',
    ),
  ),
  onInvalidName: invalidNamePolicyRule,
  resources: rules.arrayOf(
    rules.custom('{ group, plural, kind, short }', is.object),
    'an array of resource declarations { group, plural, kind, short }',
  ),
  // Checked with the declared metrics below (checkSloSection).
  slo: rules.custom('an object of objectives', is.object),
};

function toJson(key: string, spec: ResolvedSpec): MetricDefinitionJson {
  return {
    key,
    name: spec.name,
    kind: spec.kind,
    observable: spec.observable,
    valueType: spec.valueType,
    unit: spec.unit,
    description: spec.description,
    attributes: [...(spec.attributes ?? [])],
    buckets: spec.buckets === undefined ? null : [...spec.buckets],
    prometheusName: toPrometheusName(spec.name, spec.kind),
    prometheusSeries: prometheusSeriesNames(spec.name, spec.kind),
  };
}

/**
 * The declared resources in their data form, checked as the middleware checks them; a resource's
 * duration buckets are those of its duration histogram when the definition declares it, else the
 * middleware's default.
 */
function declaredResources(
  service: string,
  declarations: DefineMetricsOptions<string, unknown>['resources'],
  specs: readonly [key: string, spec: ResolvedSpec][],
): ResourceDefinitionJson[] {
  if (declarations === undefined || declarations.length === 0) return [];
  createResourceRegistry(declarations);
  return declarations.map(({ group, plural, kind, short }) => {
    const duration = requestMetricNames(service, short).duration;
    const declared = specs.find(([, spec]) => spec.name === duration)?.[1].buckets;
    return {
      group,
      plural,
      kind,
      short,
      durationBuckets: [...(declared ?? DEFAULT_REQUEST_DURATION_BUCKETS)],
    };
  });
}

/**
 * One typed definition of a service's metrics. Every name is checked against the naming rules and
 * the service when defined (a ConventionError, or a `diag` warning with `onInvalidName: 'warn'`), and
 * literal names also at compile time. `create(meter)` builds the instruments, each accepting only
 * its declared attribute keys (others are dropped and counted); `toJSON()` and `toYAML()` export the
 * declarations for `datum-telemetry validate` and for Datum's `MetricDefinition` registry.
 */
export function defineMetrics<
  const S extends string,
  const M extends Readonly<Record<string, MetricDeclaration>>,
>(options: DefineMetricsOptions<S, M & CheckedDeclarations<S, M>>): MetricsDefinition<S, M> {
  validateOptions<DefineMetricsOptions<string, Readonly<Record<string, MetricDeclaration>>>>(
    options,
    defineMetricsOptionRules,
    '',
    '{ service, metrics }',
  );
  const { service, metrics } = options;
  const serviceFindings = checkServiceName(service);
  if (serviceFindings.length > 0) throw new ConventionError(serviceFindings);
  const policy = options.onInvalidName ?? 'throw';
  if (Object.keys(metrics).length === 0) {
    throw new ConfigError(
      'metrics',
      'got no metric; expected an object of metric declarations such as { vmRequests: { name, kind } }',
    );
  }

  const specs: [key: string, spec: ResolvedSpec][] = [];
  const keyByName = new Map<string, string>();
  for (const [key, declaration] of Object.entries(metrics as Record<string, MetricDeclaration>)) {
    const option = `metrics.${key}`;
    const spec = resolveSpec(
      {
        ...declaration,
        observable: declaration.observable === true,
        // A definition declares every attribute it takes: none declared means none accepted.
        attributes: declaration.attributes ?? [],
      },
      option,
      service,
      policy,
    );
    const earlier = keyByName.get(spec.name);
    if (earlier !== undefined) {
      throw new ConfigError(
        `${option}.name`,
        `${spec.name} is already declared as metrics.${earlier}`,
      );
    }
    keyByName.set(spec.name, key);
    specs.push([key, spec]);
  }

  const resources = declaredResources(service, options.resources, specs);
  const slo =
    options.slo === undefined
      ? undefined
      : checkSloSection(
          options.slo,
          { resources: new Map(resources.map((r) => [r.short, r.durationBuckets])) },
          'slo',
        );

  // A fresh copy each time, so a caller editing the data cannot change the definition.
  const json = (): MetricsDefinitionJson => ({
    format: 'datum-telemetry.metrics/v1',
    service,
    metrics: specs.map(([key, spec]) => toJson(key, spec)),
    ...(resources.length === 0
      ? {}
      : { resources: resources.map((r) => ({ ...r, durationBuckets: [...r.durationBuckets] })) }),
    ...(slo === undefined ? {} : { slo: JSON.parse(JSON.stringify(slo)) as typeof slo }),
  });

  return Object.freeze({
    service,
    metrics: metrics as M,
    create(meter: Meter): MetricInstruments<M> {
      const instruments: Record<string, unknown> = {};
      for (const [key, spec] of specs) instruments[key] = buildInstrument(meter, spec, service);
      return Object.freeze(instruments) as MetricInstruments<M>;
    },
    toJSON: json,
    toYAML: () => definitionToYaml(json()),
  });
}
