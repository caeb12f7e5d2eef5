import type { InstrumentKind } from '@datum-telemetry/conventions';
import { checkServiceName } from '@datum-telemetry/conventions';
import type { PrometheusType } from '@datum-telemetry/conventions/prometheus';
import type { SinkAttributes, SinkMetric, SinkMetricType } from '@datum-telemetry/otlp-sink';
import type { CollectedTelemetry } from '../types.js';

/**
 * First segments of OpenTelemetry semantic-convention metrics (`http.server.request.duration`,
 * `process.cpu.time`, `nodejs.eventloop.delay.p50`): instrumentation libraries emit them under
 * those names on purpose, so they are not held to `{service}.{resource}.{measurement}`.
 */
export const SEMCONV_NAMESPACES: ReadonlySet<string> = new Set([
  'aspnetcore',
  'azure',
  'browser',
  'cicd',
  'container',
  'cpu',
  'cpython',
  'db',
  'disk',
  'dns',
  'dotnet',
  'faas',
  'gen_ai',
  'go',
  'hw',
  'http',
  'jvm',
  'k8s',
  'kestrel',
  'messaging',
  'network',
  'nodejs',
  'otel',
  'process',
  'rpc',
  'runtime',
  'signalr',
  'system',
  'v8js',
  'vcs',
]);

/** Whose naming rules a metric is held to. */
export type MetricOwner = 'own' | 'semconv' | 'foreign';

/**
 * `own`: declared, or its first segment is the service (or the service is unknown): Datum's rules
 * apply in full. `semconv`: an OpenTelemetry semantic-convention name from a library: reported as
 * info only. `foreign`: another prefix, most likely a shared library's: findings are warnings.
 */
export function metricOwner(
  firstSegment: string,
  service: string | undefined,
  declared: boolean,
): MetricOwner {
  if (declared || firstSegment === service) return 'own';
  if (SEMCONV_NAMESPACES.has(firstSegment)) return 'semconv';
  return service === undefined ? 'own' : 'foreign';
}

/** The instrument kind an OTLP metric type stands for. */
export function kindOfOtlp(
  type: SinkMetricType,
  monotonic: boolean | undefined,
): InstrumentKind | undefined {
  switch (type) {
    case 'sum':
      return monotonic ? 'counter' : 'updowncounter';
    case 'gauge':
      return 'gauge';
    case 'histogram':
    case 'exponentialHistogram':
      return 'histogram';
    default:
      return undefined;
  }
}

/** The Prometheus type each instrument kind is exposed as (up-down counters are gauges). */
export const PROMETHEUS_TYPE_OF_KIND: Readonly<Record<InstrumentKind, PrometheusType>> = {
  counter: 'counter',
  updowncounter: 'gauge',
  gauge: 'gauge',
  histogram: 'histogram',
};

/** The kind as people say it in a message. */
export const KIND_WORDS: Readonly<Record<InstrumentKind, string>> = {
  counter: 'a counter',
  updowncounter: 'an up-down counter',
  gauge: 'a gauge',
  histogram: 'a histogram',
};

/** One OTLP metric, with every export of it folded together. */
export interface AggregatedMetric {
  readonly name: string;
  readonly type: SinkMetricType;
  readonly kind: InstrumentKind | undefined;
  readonly unit: string;
  /** Instrumentation scopes it came from. */
  readonly scopes: ReadonlySet<string>;
  /** Distinct attribute sets, by a stable key. */
  readonly series: ReadonlyMap<string, SinkAttributes>;
  /** Other types or units the same name was exported with (a conflict). */
  readonly variants: ReadonlySet<string>;
}

/** A stable key of an attribute set, whatever order the keys came in. */
export function attributesKey(attributes: SinkAttributes): string {
  const keys = Object.keys(attributes).sort();
  return keys.map((k) => `${k}\u0000${String(attributes[k])}`).join('\u0001');
}

function variant(metric: SinkMetric): string {
  const kind = kindOfOtlp(metric.type, metric.monotonic);
  return `${kind ?? metric.type} with unit ${metric.unit === '' ? 'none' : `\`${metric.unit}\``}`;
}

/** Groups every export of a metric by name (one `SinkMetric` arrives per metric per export). */
export function aggregateMetrics(metrics: readonly SinkMetric[]): AggregatedMetric[] {
  const byName = new Map<
    string,
    AggregatedMetric & {
      scopes: Set<string>;
      series: Map<string, SinkAttributes>;
      variants: Set<string>;
    }
  >();
  for (const metric of metrics) {
    let entry = byName.get(metric.name);
    if (entry === undefined) {
      entry = {
        name: metric.name,
        type: metric.type,
        kind: kindOfOtlp(metric.type, metric.monotonic),
        unit: metric.unit,
        scopes: new Set(),
        series: new Map(),
        variants: new Set([variant(metric)]),
      };
      byName.set(metric.name, entry);
    } else {
      entry.variants.add(variant(metric));
    }
    entry.scopes.add(metric.scope.name);
    for (const point of metric.points) {
      const key = attributesKey(point.attributes);
      if (!entry.series.has(key)) entry.series.set(key, point.attributes);
    }
  }
  return [...byName.values()];
}

/**
 * The service name metric names must start with: the option, then the definition's, then the most
 * common `service.name` resource attribute turned into a metric segment (`compute-api` is
 * `compute_api`, as the middleware does). `undefined` when nothing names it.
 */
export function resolveServiceName(
  explicit: string | undefined,
  declared: string | undefined,
  collected: CollectedTelemetry,
): string | undefined {
  if (explicit !== undefined) return explicit;
  if (declared !== undefined) return declared;
  const counts = new Map<string, number>();
  const count = (resource: SinkAttributes) => {
    const name = resource['service.name'];
    if (typeof name === 'string' && name !== '' && !name.startsWith('unknown_service')) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  };
  for (const s of collected.spans ?? []) count(s.resource);
  for (const m of collected.metrics ?? []) count(m.resource);
  for (const l of collected.logs ?? []) count(l.resource);
  const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (top === undefined) return undefined;
  const findings = checkServiceName(top[0]);
  if (findings.length === 0) return top[0];
  const suggestion = findings[0]?.suggestion;
  return suggestion !== undefined && checkServiceName(suggestion).length === 0
    ? suggestion
    : undefined;
}
