import type {
  Env,
  OptionsSchema,
  OtlpExporterImplementation,
  OtlpSettings,
  ResourceAttributes,
} from '@datum-telemetry/config';
import {
  ConfigError,
  is,
  otlpExporterOptionRules,
  readDurationMillis,
  readPositiveInteger,
  resolveExporterKind,
  resolveOtlpSettings,
  resolveResourceAttributes,
  rules,
  serviceOptionRules,
  splitOtlpExporterOptions,
  validateOptions,
  warnInvalidEnv,
} from '@datum-telemetry/config';
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import { DEFAULT_EXEMPLAR_FILTER, EXEMPLAR_FILTERS } from './exemplars/filter.js';
import type { ExemplarFilter } from './exemplars/types.js';
import { GRPC_EXPORTER } from './grpc-exporter.js';
import type {
  MetricsExporter,
  MetricsOtlpOptions,
  PrometheusOptions,
  SetupMetricsOptions,
  TemporalityPreference,
} from './types.js';

/** The Prometheus reader, and whether it gets an endpoint of its own. */
export interface PrometheusSettings {
  readonly serve: boolean;
  readonly host: string;
  readonly port: number;
  readonly endpoint: string;
  readonly withTargetInfo: boolean;
  readonly withScopeLabels: boolean;
}

/** Every option of {@link SetupMetricsOptions} with its default, resolved once. */
export interface MetricsSettings {
  readonly exporter: MetricsExporter;
  readonly resourceAttributes: ResourceAttributes;
  readonly meterName: string;
  /** Present when a Prometheus reader is set up. */
  readonly prometheus: PrometheusSettings | undefined;
  /** Present when the exporter is `otlp`. */
  readonly otlp: MetricsOtlpSettings | undefined;
  readonly exportIntervalMillis: number;
  readonly exportTimeoutMillis: number;
  readonly register: boolean;
  readonly shutdownTimeoutMillis: number;
  readonly cardinalityLimit: number;
  readonly views: readonly ViewOptions[];
  readonly exemplarFilter: ExemplarFilter;
}

/** The OTLP settings of metrics: the shared ones, the temporality, and which HTTP exporter. */
export type MetricsOtlpSettings = OtlpSettings & {
  readonly temporality: TemporalityPreference;
  /** `datum` (`@datum-telemetry/otlp`, exemplars included) or `opentelemetry` (the stock one). */
  readonly implementation: OtlpExporterImplementation;
};

const TEMPORALITIES: readonly TemporalityPreference[] = ['cumulative', 'delta', 'lowmemory'];

const prometheusOptionRules: OptionsSchema<PrometheusOptions> = {
  serve: rules.boolean,
  host: rules.nonEmptyString,
  port: rules.integer(0, 65535, 'an integer from 0 to 65535 (0 picks a free port)'),
  endpoint: rules.custom(
    'a path that starts with "/", such as "/metrics"',
    (value) => typeof value === 'string' && value.startsWith('/') && !/[?#\s]/.test(value),
  ),
  withTargetInfo: rules.boolean,
  withScopeLabels: rules.boolean,
};

const metricsOtlpOptionRules: OptionsSchema<MetricsOtlpOptions> = {
  ...otlpExporterOptionRules,
  temporality: rules.oneOf(TEMPORALITIES),
};

/** Every option of `setupMetrics`, checked by the one validator of `@datum-telemetry/config`. */
const setupMetricsOptionRules: OptionsSchema<SetupMetricsOptions> = {
  ...serviceOptionRules,
  exporter: rules.oneOf(
    ['prometheus', 'otlp', 'console', 'none'],
    'one of "prometheus", "otlp", "console", "none" (in tests, use createTestMetrics() from @datum-telemetry/metrics/testing)',
  ),
  prometheus: rules.union(
    'an object such as { port: 9464 } or false',
    [is.false, rules.any],
    [is.object, rules.object(prometheusOptionRules)],
  ),
  otlp: rules.object(metricsOtlpOptionRules),
  exportIntervalMillis: rules.positiveMillis,
  exportTimeoutMillis: rules.positiveMillis,
  register: rules.boolean,
  shutdownTimeoutMillis: rules.positiveInteger,
  cardinalityLimit: rules.positiveInteger,
  cardinalityLimits: rules.record(rules.positiveInteger, 'an object of metric name to limit'),
  views: rules.arrayOf(rules.custom('a view object', is.object), 'an array of views'),
  exemplarFilter: rules.oneOf(EXEMPLAR_FILTERS),
  meterName: rules.nonEmptyString,
  disabled: rules.boolean,
  env: rules.record(rules.string, 'an object of environment variables'),
};

export const DEFAULT_PROMETHEUS_HOST = '127.0.0.1';
export const DEFAULT_PROMETHEUS_PORT = 9464;
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5000;
export const DEFAULT_CARDINALITY_LIMIT = 2000;

function resolvePort(option: number | undefined, env: Env): number {
  if (option !== undefined) return option;
  const port = readPositiveInteger(
    'prometheus.port',
    undefined,
    'OTEL_EXPORTER_PROMETHEUS_PORT',
    DEFAULT_PROMETHEUS_PORT,
    env,
  );
  if (port <= 65535) return port;
  warnInvalidEnv(
    'OTEL_EXPORTER_PROMETHEUS_PORT',
    env.OTEL_EXPORTER_PROMETHEUS_PORT,
    'a port from 1 to 65535',
    String(DEFAULT_PROMETHEUS_PORT),
  );
  return DEFAULT_PROMETHEUS_PORT;
}

function resolvePrometheus(
  exporter: MetricsExporter,
  option: PrometheusOptions | false | undefined,
  env: Env,
): PrometheusSettings | undefined {
  // An unscraped pull reader would stash every push export's deltas forever, so it only exists when
  // Prometheus is the exporter or the code asks for an endpoint beside another exporter.
  if (exporter === 'none') return undefined;
  if (exporter !== 'prometheus' && (option === undefined || option === false)) return undefined;
  const given = option === false ? {} : (option ?? {});
  const envHost = env.OTEL_EXPORTER_PROMETHEUS_HOST?.trim();
  return {
    serve: option !== false && (given.serve ?? true),
    host:
      given.host ?? (envHost === undefined || envHost === '' ? DEFAULT_PROMETHEUS_HOST : envHost),
    port: resolvePort(given.port, env),
    endpoint: given.endpoint ?? '/metrics',
    withTargetInfo: given.withTargetInfo ?? true,
    withScopeLabels: given.withScopeLabels ?? false,
  };
}

function resolveTemporality(
  option: TemporalityPreference | undefined,
  env: Env,
): TemporalityPreference {
  if (option !== undefined) return option;
  const variable = 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE';
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return 'cumulative';
  const value = raw.toLowerCase() as TemporalityPreference;
  if (TEMPORALITIES.includes(value)) return value;
  warnInvalidEnv(variable, env[variable], `one of ${TEMPORALITIES.join(', ')}`, 'cumulative');
  return 'cumulative';
}

function resolveExemplarFilter(option: ExemplarFilter | undefined, env: Env): ExemplarFilter {
  if (option !== undefined) return option;
  const variable = 'OTEL_METRICS_EXEMPLAR_FILTER';
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return DEFAULT_EXEMPLAR_FILTER;
  const value = raw.toLowerCase() as ExemplarFilter;
  if (EXEMPLAR_FILTERS.includes(value)) return value;
  warnInvalidEnv(
    variable,
    env[variable],
    `one of ${EXEMPLAR_FILTERS.join(', ')}`,
    DEFAULT_EXEMPLAR_FILTER,
  );
  return DEFAULT_EXEMPLAR_FILTER;
}

function resolveIntervals(
  options: SetupMetricsOptions,
  env: Env,
): { exportIntervalMillis: number; exportTimeoutMillis: number } {
  const exportIntervalMillis = readDurationMillis(
    'exportIntervalMillis',
    options.exportIntervalMillis,
    'OTEL_METRIC_EXPORT_INTERVAL',
    60_000,
    env,
  );
  const timeout = readDurationMillis(
    'exportTimeoutMillis',
    options.exportTimeoutMillis,
    'OTEL_METRIC_EXPORT_TIMEOUT',
    30_000,
    env,
  );
  if (timeout <= exportIntervalMillis) {
    return { exportIntervalMillis, exportTimeoutMillis: timeout };
  }
  if (options.exportTimeoutMillis !== undefined) {
    throw new ConfigError(
      'exportTimeoutMillis',
      `got ${timeout}; an export cannot take longer than the export interval (${exportIntervalMillis} ms)`,
    );
  }
  // The default timeout, or a variable, longer than the interval: an export gets the interval.
  if (env.OTEL_METRIC_EXPORT_TIMEOUT?.trim() === String(timeout)) {
    warnInvalidEnv(
      'OTEL_METRIC_EXPORT_TIMEOUT',
      env.OTEL_METRIC_EXPORT_TIMEOUT,
      `at most the export interval (${exportIntervalMillis} ms)`,
      String(exportIntervalMillis),
    );
  }
  return { exportIntervalMillis, exportTimeoutMillis: exportIntervalMillis };
}

function resolveViews(options: SetupMetricsOptions, cardinalityLimit: number): ViewOptions[] {
  // A matching View bypasses the reader's cardinality selector, so it needs the limit itself.
  const views: ViewOptions[] = (options.views ?? []).map((view) => ({
    aggregationCardinalityLimit: cardinalityLimit,
    ...view,
  }));
  for (const [name, limit] of Object.entries(options.cardinalityLimits ?? {})) {
    views.push({ instrumentName: name, aggregationCardinalityLimit: limit });
  }
  return views;
}

/** Checks every option of `setupMetrics`, nested ones included: unknown names, types and values. */
export function checkSetupMetricsOptions(options: unknown): asserts options is SetupMetricsOptions {
  validateOptions<SetupMetricsOptions>(options, setupMetricsOptionRules);
}

/**
 * Resolves set-up options and `OTEL_*` variables into settings, code first. An invalid option throws
 * a ConfigError naming it (a misspelt one with a did-you-mean); an invalid variable is reported
 * through `diag.warn` and its default used.
 */
export function resolveMetricsSettings(options: SetupMetricsOptions, env: Env): MetricsSettings {
  checkSetupMetricsOptions(options);
  const resourceAttributes = resolveResourceAttributes(options, env);
  const exporter = resolveExporterKind('metrics', options.exporter, env) as MetricsExporter;
  const prometheus = resolvePrometheus(exporter, options.prometheus, env);

  let otlp: MetricsSettings['otlp'];
  if (exporter === 'otlp') {
    const { temporality, ...rest } = options.otlp ?? {};
    const { exporter: implementation, otlp: shared } = splitOtlpExporterOptions(rest);
    const settings = resolveOtlpSettings('metrics', shared, env, GRPC_EXPORTER);
    if (settings.protocol === 'grpc' && options.otlp?.headers !== undefined) {
      throw new ConfigError(
        'otlp.headers',
        'the gRPC exporter takes headers only from OTEL_EXPORTER_OTLP_HEADERS; set them there or use protocol "http/protobuf"',
      );
    }
    otlp = { ...settings, temporality: resolveTemporality(temporality, env), implementation };
  }

  const push = exporter === 'otlp' || exporter === 'console';
  const intervals = push
    ? resolveIntervals(options, env)
    : { exportIntervalMillis: 60_000, exportTimeoutMillis: 30_000 };
  const cardinalityLimit = options.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT;
  return {
    exporter,
    resourceAttributes,
    meterName: options.meterName ?? String(resourceAttributes['service.name']),
    prometheus,
    otlp,
    ...intervals,
    register: options.register ?? true,
    shutdownTimeoutMillis: options.shutdownTimeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
    cardinalityLimit,
    views: resolveViews(options, cardinalityLimit),
    exemplarFilter: resolveExemplarFilter(options.exemplarFilter, env),
  };
}
