import type { Env, OtlpSettings, ResourceAttributes } from '@datum-telemetry/config';
import {
  ConfigError,
  readDurationMillis,
  readPositiveInteger,
  resolveExporterKind,
  resolveOtlpSettings,
  resolveResourceAttributes,
} from '@datum-telemetry/config';
import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import type {
  MetricsExporter,
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
  readonly otlp: (OtlpSettings & { readonly temporality: TemporalityPreference }) | undefined;
  readonly exportIntervalMillis: number;
  readonly exportTimeoutMillis: number;
  readonly register: boolean;
  readonly shutdownTimeoutMillis: number;
  readonly cardinalityLimit: number;
  readonly views: readonly ViewOptions[];
}

const SETUP_KEYS = new Set([
  'service',
  'serviceNamespace',
  'serviceVersion',
  'attributes',
  'exporter',
  'prometheus',
  'otlp',
  'exportIntervalMillis',
  'exportTimeoutMillis',
  'register',
  'shutdownTimeoutMillis',
  'cardinalityLimit',
  'cardinalityLimits',
  'views',
  'meterName',
  'disabled',
  'env',
]);
const PROMETHEUS_KEYS = new Set([
  'serve',
  'host',
  'port',
  'endpoint',
  'withTargetInfo',
  'withScopeLabels',
]);
const TEMPORALITIES: readonly TemporalityPreference[] = ['cumulative', 'delta', 'lowmemory'];

export const DEFAULT_PROMETHEUS_HOST = '127.0.0.1';
export const DEFAULT_PROMETHEUS_PORT = 9464;
export const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5000;
export const DEFAULT_CARDINALITY_LIMIT = 2000;

/** Shows a received value in an error message, cut short. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(option: string, value: Record<string, unknown>, known: Set<string>): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      throw new ConfigError(
        option === '' ? key : `${option}.${key}`,
        `is not an option; expected one of ${[...known].join(', ')}`,
      );
    }
  }
}

function checkBoolean(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ConfigError(option, `got ${shown(value)}; expected true or false`);
  }
  return value;
}

function checkText(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(option, `got ${shown(value)}; expected a non-empty string`);
  }
  return value;
}

function resolvePort(option: unknown, env: Env): number {
  if (option !== undefined) {
    if (typeof option !== 'number' || !Number.isInteger(option) || option < 0 || option > 65535) {
      throw new ConfigError(
        'prometheus.port',
        `got ${shown(option)}; expected an integer from 0 to 65535 (0 picks a free port)`,
      );
    }
    return option;
  }
  const port = readPositiveInteger(
    'prometheus.port',
    undefined,
    'OTEL_EXPORTER_PROMETHEUS_PORT',
    DEFAULT_PROMETHEUS_PORT,
    env,
  );
  if (port > 65535) {
    throw new ConfigError(
      'OTEL_EXPORTER_PROMETHEUS_PORT',
      `got ${shown(env.OTEL_EXPORTER_PROMETHEUS_PORT)}; expected a port from 1 to 65535`,
    );
  }
  return port;
}

function resolvePrometheus(
  exporter: MetricsExporter,
  option: unknown,
  env: Env,
): PrometheusSettings | undefined {
  if (option !== undefined && option !== false && !isObject(option)) {
    throw new ConfigError(
      'prometheus',
      `got ${shown(option)}; expected an object such as { port: 9464 } or false`,
    );
  }
  const given = isObject(option) ? (option as PrometheusOptions & Record<string, unknown>) : {};
  if (isObject(option)) checkKeys('prometheus', option, PROMETHEUS_KEYS);
  // An unscraped pull reader would stash every push export's deltas forever, so it only exists when
  // Prometheus is the exporter or the code asks for an endpoint beside another exporter.
  if (exporter === 'none') return undefined;
  if (exporter !== 'prometheus' && !isObject(option)) return undefined;

  const endpoint = checkText('prometheus.endpoint', given.endpoint) ?? '/metrics';
  if (!endpoint.startsWith('/') || /[?#\s]/.test(endpoint)) {
    throw new ConfigError(
      'prometheus.endpoint',
      `got ${shown(endpoint)}; expected a path that starts with "/", such as "/metrics"`,
    );
  }
  const envHost = env.OTEL_EXPORTER_PROMETHEUS_HOST?.trim();
  return {
    serve: option !== false && checkBoolean('prometheus.serve', given.serve, true),
    host:
      checkText('prometheus.host', given.host) ??
      (envHost === undefined || envHost === '' ? DEFAULT_PROMETHEUS_HOST : envHost),
    port: resolvePort(given.port, env),
    endpoint,
    withTargetInfo: checkBoolean('prometheus.withTargetInfo', given.withTargetInfo, true),
    withScopeLabels: checkBoolean('prometheus.withScopeLabels', given.withScopeLabels, false),
  };
}

function resolveTemporality(option: unknown, env: Env): TemporalityPreference {
  if (option !== undefined) {
    if (!TEMPORALITIES.includes(option as TemporalityPreference)) {
      throw new ConfigError(
        'otlp.temporality',
        `got ${shown(option)}; expected one of ${TEMPORALITIES.join(', ')}`,
      );
    }
    return option as TemporalityPreference;
  }
  const variable = 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE';
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return 'cumulative';
  const value = raw.toLowerCase();
  if (!TEMPORALITIES.includes(value as TemporalityPreference)) {
    throw new ConfigError(
      variable,
      `got ${shown(raw)}; expected one of ${TEMPORALITIES.join(', ')}`,
    );
  }
  return value as TemporalityPreference;
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
  const envTimeout = env.OTEL_METRIC_EXPORT_TIMEOUT?.trim();
  const timeoutGiven = options.exportTimeoutMillis !== undefined || (envTimeout ?? '') !== '';
  if (timeout <= exportIntervalMillis)
    return { exportIntervalMillis, exportTimeoutMillis: timeout };
  if (!timeoutGiven) return { exportIntervalMillis, exportTimeoutMillis: exportIntervalMillis };
  throw new ConfigError(
    options.exportTimeoutMillis !== undefined
      ? 'exportTimeoutMillis'
      : 'OTEL_METRIC_EXPORT_TIMEOUT',
    `got ${timeout}; an export cannot take longer than the export interval (${exportIntervalMillis} ms)`,
  );
}

function resolveViews(options: SetupMetricsOptions, cardinalityLimit: number): ViewOptions[] {
  const views: ViewOptions[] = [];
  if (options.views !== undefined) {
    if (!Array.isArray(options.views)) {
      throw new ConfigError('views', `got ${shown(options.views)}; expected an array of views`);
    }
    options.views.forEach((view: unknown, index) => {
      if (!isObject(view)) {
        throw new ConfigError(`views[${index}]`, `got ${shown(view)}; expected a view object`);
      }
      // A matching View bypasses the reader's cardinality selector, so it needs the limit itself.
      views.push({ aggregationCardinalityLimit: cardinalityLimit, ...(view as ViewOptions) });
    });
  }
  if (options.cardinalityLimits !== undefined) {
    if (!isObject(options.cardinalityLimits)) {
      throw new ConfigError(
        'cardinalityLimits',
        `got ${shown(options.cardinalityLimits)}; expected an object of metric name to limit`,
      );
    }
    for (const [name, limit] of Object.entries(options.cardinalityLimits)) {
      const value = readPositiveInteger(
        `cardinalityLimits[${JSON.stringify(name)}]`,
        limit as number,
        undefined,
        cardinalityLimit,
      );
      views.push({ instrumentName: name, aggregationCardinalityLimit: value });
    }
  }
  return views;
}

/**
 * Resolves set-up options and `OTEL_*` variables into settings, code first. Throws a ConfigError
 * that names the option or variable for anything invalid.
 */
export function resolveMetricsSettings(options: SetupMetricsOptions, env: Env): MetricsSettings {
  const given: unknown = options;
  if (!isObject(given)) {
    throw new ConfigError('options', `got ${shown(given)}; expected an object`);
  }
  checkKeys('', given, SETUP_KEYS);
  const resourceAttributes = resolveResourceAttributes(options, env);
  const kind = resolveExporterKind(
    'metrics',
    options.exporter as Parameters<typeof resolveExporterKind>[1],
    env,
  );
  if (kind === 'memory') {
    throw new ConfigError(
      options.exporter !== undefined ? 'exporter' : 'OTEL_METRICS_EXPORTER',
      '"memory" is for tests: use createTestMetrics() from @datum-telemetry/metrics/testing',
    );
  }
  const exporter: MetricsExporter = kind;
  const prometheus = resolvePrometheus(exporter, options.prometheus, env);

  if (options.otlp !== undefined && !isObject(options.otlp)) {
    throw new ConfigError('otlp', `got ${shown(options.otlp)}; expected an object`);
  }
  let otlp: MetricsSettings['otlp'];
  if (exporter === 'otlp') {
    const settings = resolveOtlpSettings('metrics', options.otlp, env);
    if (settings.protocol === 'grpc' && options.otlp?.headers !== undefined) {
      throw new ConfigError(
        'otlp.headers',
        'the gRPC exporter takes headers only from OTEL_EXPORTER_OTLP_HEADERS; set them there or use protocol "http/protobuf"',
      );
    }
    otlp = { ...settings, temporality: resolveTemporality(options.otlp?.temporality, env) };
  }

  const push = exporter === 'otlp' || exporter === 'console';
  const intervals = push
    ? resolveIntervals(options, env)
    : { exportIntervalMillis: 60_000, exportTimeoutMillis: 30_000 };
  const cardinalityLimit = readPositiveInteger(
    'cardinalityLimit',
    options.cardinalityLimit,
    undefined,
    DEFAULT_CARDINALITY_LIMIT,
  );
  return {
    exporter,
    resourceAttributes,
    meterName:
      checkText('meterName', options.meterName) ??
      resourceAttributes['service.name'] ??
      '@datum-telemetry/metrics',
    prometheus,
    otlp,
    ...intervals,
    register: checkBoolean('register', options.register, true),
    shutdownTimeoutMillis: readPositiveInteger(
      'shutdownTimeoutMillis',
      options.shutdownTimeoutMillis,
      undefined,
      DEFAULT_SHUTDOWN_TIMEOUT_MILLIS,
    ),
    cardinalityLimit,
    views: resolveViews(options, cardinalityLimit),
  };
}
