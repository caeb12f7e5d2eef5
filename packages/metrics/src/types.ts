import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  Env,
  OtlpExporterOptions,
  ServiceOptions,
  SignalHandle,
  SloSection,
} from '@datum-telemetry/config';
import type {
  InstrumentKind,
  MetricNameLiteral,
  ResourceDeclaration,
} from '@datum-telemetry/conventions';
import type {
  Attributes,
  AttributeValue,
  Counter,
  Gauge,
  Histogram,
  Meter,
  MeterProvider,
  ObservableCounter,
  ObservableGauge,
  ObservableUpDownCounter,
  UpDownCounter,
} from '@opentelemetry/api';
import type {
  ResourceMetrics,
  MeterProvider as SdkMeterProvider,
  ViewOptions,
} from '@opentelemetry/sdk-metrics';
import type { ExemplarFilter, MetricExemplar } from './exemplars/types.js';

/** Where metrics go. `prometheus` serves a scrape endpoint; the others push on an interval. */
export type MetricsExporter = 'prometheus' | 'otlp' | 'console' | 'none';

/** What to do with an instrument whose name breaks the naming rules. */
export type InvalidNamePolicy = 'throw' | 'warn';

/** OTLP aggregation temporality preference (`OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`). */
export type TemporalityPreference = 'cumulative' | 'delta' | 'lowmemory';

/** The value type of an instrument's measurements. */
export type MetricValueType = 'int' | 'float';

/** The Prometheus scrape endpoint of the process. */
export interface PrometheusOptions {
  /**
   * Listen on an endpoint of its own. `false` keeps the Prometheus reader for
   * `handle.metricsHandler` / `handle.scrape()` only, e.g. to serve `/metrics` on the app's port
   * beside an OTLP exporter. The default value is `true`.
   */
  readonly serve?: boolean;
  /**
   * Interface the endpoint listens on. The default value is `OTEL_EXPORTER_PROMETHEUS_HOST`, then
   * `127.0.0.1`. Set `0.0.0.0` to be scraped from outside the pod.
   */
  readonly host?: string;
  /**
   * TCP port; `0` picks a free one (read it from `handle.prometheusUrl` after `await handle.ready`).
   * The default value is `OTEL_EXPORTER_PROMETHEUS_PORT`, then `9464`.
   */
  readonly port?: number;
  /** Path of the exposition. The default value is `/metrics`. */
  readonly endpoint?: string;
  /** Emit a `target_info` series carrying the resource attributes. The default value is `true`. */
  readonly withTargetInfo?: boolean;
  /**
   * Add `otel_scope_name` / `otel_scope_version` labels to every series, so that two meters that
   * create the same metric stay apart. The default value is `false`.
   */
  readonly withScopeLabels?: boolean;
}

/**
 * OTLP push options: the shared OTLP settings, which exporter sends OTLP over HTTP (`exporter`:
 * `datum`, the default, is `@datum-telemetry/otlp`'s, which also sends the exemplars of the points;
 * `opentelemetry` the stock `@opentelemetry/exporter-metrics-otlp-proto` / `-http`, which drops
 * them), plus the metrics temporality.
 */
export interface MetricsOtlpOptions extends OtlpExporterOptions {
  /**
   * The default value is `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE`, then `cumulative`.
   */
  readonly temporality?: TemporalityPreference;
}

/** Options of {@link setupMetrics}. Every option also has an `OTEL_*` variable or a default. */
export interface SetupMetricsOptions extends ServiceOptions {
  /**
   * Where metrics go. The default value is `OTEL_METRICS_EXPORTER`, then `otlp` when an OTLP
   * endpoint variable is set, then `prometheus`.
   */
  readonly exporter?: MetricsExporter;
  /**
   * The Prometheus scrape endpoint. With the `prometheus` exporter it is started unless this is
   * `false` (then serve the exposition through `handle.metricsHandler` only). With another exporter,
   * an object here adds a Prometheus endpoint beside it. The default value is `{}` (127.0.0.1:9464).
   */
  readonly prometheus?: PrometheusOptions | false;
  /** OTLP options, used when the exporter is `otlp`. The default value is `{}` (all from env). */
  readonly otlp?: MetricsOtlpOptions;
  /**
   * How often push exporters export. The default value is `OTEL_METRIC_EXPORT_INTERVAL`, then
   * 60000.
   */
  readonly exportIntervalMillis?: number;
  /**
   * How long one push export may take. The default value is `OTEL_METRIC_EXPORT_TIMEOUT`, then
   * 30000 (clamped to the interval when only the interval is set).
   */
  readonly exportTimeoutMillis?: number;
  /**
   * Register the provider with `metrics.setGlobalMeterProvider`, so that `metrics.getMeter()` in
   * other packages (the HTTP middleware) reports here. The default value is `true`.
   */
  readonly register?: boolean;
  /**
   * Deadline for `shutdown()` and `forceFlush()`; they resolve by then whatever the exporter does.
   * The default value is 5000.
   */
  readonly shutdownTimeoutMillis?: number;
  /**
   * Most attribute sets per metric; further sets are folded into one `otel.metric.overflow="true"`
   * series. The default value is 2000.
   */
  readonly cardinalityLimit?: number;
  /** Per-metric cardinality limits by instrument name, over `cardinalityLimit`. Default: none. */
  readonly cardinalityLimits?: Readonly<Record<string, number>>;
  /**
   * SDK views, for advanced stream changes. A view without `aggregationCardinalityLimit` gets
   * `cardinalityLimit`. Do not select an instrument that `cardinalityLimits` names: each matching
   * view makes a stream of its own. Default: none.
   */
  readonly views?: readonly ViewOptions[];
  /** Name of the meter `handle.meter()` returns. The default value is the service name. */
  readonly meterName?: string;
  /**
   * Which measurements of the HTTP middleware's request counter and duration histogram may become
   * exemplars (the trace and span id of a request next to its data point): `trace_based`, those
   * recorded in a sampled span; `always_on`, those recorded in any span with valid ids;
   * `always_off`, none (and no cost per request). The default value is
   * `OTEL_METRICS_EXEMPLAR_FILTER`, then `trace_based`.
   */
  readonly exemplarFilter?: ExemplarFilter;
  /**
   * Turn metrics off: `setupMetrics` returns a handle that does nothing. The default value is
   * `OTEL_SDK_DISABLED`, then `false`.
   */
  readonly disabled?: boolean;
  /** Environment to read `OTEL_*` variables from. The default value is `process.env`. */
  readonly env?: Env;
}

/**
 * The exposition formats: `prometheus` is the Prometheus text format 0.0.4 (`text/plain;
 * version=0.0.4`), `openmetrics` is OpenMetrics 1.0.0 (`application/openmetrics-text;
 * version=1.0.0`), which adds exemplars and ends with `# EOF`.
 */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** Options of `scrape()`. */
export interface ScrapeOptions {
  /**
   * The format to write. The `/metrics` handler picks it from the request's `Accept` header; do the
   * same with `negotiateExposition(accept).format`. Exemplars appear in `openmetrics` only, on the
   * data points that carry them.
   * @default 'prometheus'
   */
  readonly format?: ExpositionFormat;
}

/** A Node.js-style request handler: works with `node:http`, Express and Connect. */
export type MetricsRequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** What {@link setupMetrics} returns: the handle every `setup*()` returns, plus the metrics members. */
export interface MetricsHandle extends SignalHandle<MetricsExporter> {
  /** False when disabled (`disabled: true`, `OTEL_SDK_DISABLED=true`): every member then is a no-op. */
  readonly enabled: boolean;
  /**
   * The exporter chosen from the option and `OTEL_METRICS_EXPORTER`: `prometheus`, `otlp`,
   * `console` or `none` (also when disabled). A Prometheus endpoint added beside another exporter
   * does not change it.
   */
  readonly exporter: MetricsExporter;
  /**
   * Attributes dropped since set-up because the instrument did not declare their key (instruments
   * made by `createInstruments` or `defineMetrics` on this provider's meters). Also counted by the
   * `{service}.telemetry.attributes.dropped.total` counter.
   */
  readonly droppedAttributes: number;
  /** The SDK MeterProvider (a no-op provider when disabled). */
  readonly meterProvider: MeterProvider;
  /** A meter of this provider; the name defaults to `meterName`, then the service name. */
  meter(name?: string, version?: string): Meter;
  /**
   * Serves the Prometheus exposition: `app.get('/metrics', handle.metricsHandler)` in Express, or
   * `http.createServer(handle.metricsHandler)`. Answers 404 when no Prometheus reader is set up.
   */
  readonly metricsHandler: MetricsRequestHandler;
  /**
   * The Prometheus exposition text, for frameworks that set the body themselves (Koa). Pick the
   * format from the request with `negotiateExposition(accept)`, and send its `contentType`.
   * Rejects with a ConfigError for options it does not know.
   */
  scrape(options?: ScrapeOptions): Promise<string>;
  /**
   * Resolves when the Prometheus endpoint listens and an optional exporter has loaded; rejects with
   * the reason when that failed (the same error also goes to `diag`, so not awaiting it is safe).
   */
  readonly ready: Promise<void>;
  /** URL of the Prometheus endpoint once it listens, else `undefined`. */
  readonly prometheusUrl: string | undefined;
  /** Exports what is pending; resolves within the deadline and never rejects. */
  forceFlush(): Promise<void>;
  /** Flushes, stops exporters and the endpoint; resolves within the deadline and never rejects. */
  shutdown(): Promise<void>;
}

/** Options of {@link createInstruments}. */
export interface InstrumentsOptions {
  /**
   * The service name every metric name must start with. The default value is none: any valid
   * first segment is accepted.
   */
  readonly service?: string;
  /**
   * `throw` a ConventionError for a name that breaks the rules, or `warn` through `diag` and create
   * the instrument anyway (for migrating old names). The default value is `throw`.
   */
  readonly onInvalidName?: InvalidNamePolicy;
}

/** Options of one instrument created by the factories. */
export interface InstrumentOptions<A extends string = string> {
  readonly description?: string;
  /**
   * UCUM unit (`s`, `By`, `{request}`). The default value is the unit the name's unit word asks for
   * (`.seconds` is `s`), else none.
   */
  readonly unit?: string;
  /** The default value is `float`. */
  readonly valueType?: MetricValueType;
  /**
   * The attribute keys this instrument accepts; others are dropped and counted in
   * `{service}.telemetry.attributes.dropped.total`. The default value is none: every key passes.
   */
  readonly attributes?: readonly A[];
}

/** Options of a histogram created by the factories. */
export interface HistogramOptions<A extends string = string> extends InstrumentOptions<A> {
  /**
   * Explicit bucket boundaries, ascending. The default value is
   * `DEFAULT_SECONDS_BUCKETS` for unit `s`, else the SDK's default.
   */
  readonly buckets?: readonly number[];
}

/** Attributes an instrument accepts when its keys are declared. */
export type DeclaredAttributes<A extends string> = string extends A
  ? Record<string, AttributeValue | undefined>
  : { [K in A]?: AttributeValue };

/** One metric of a {@link defineMetrics} definition. */
export interface MetricDeclaration {
  /** The metric name, `{service}.{resource}.{measurement}[.{unit}]`. */
  readonly name: string;
  /** The instrument kind. */
  readonly kind: InstrumentKind;
  /** Observed through a callback instead of recorded (counter, updowncounter, gauge only). */
  readonly observable?: boolean;
  /** UCUM unit. The default value is the unit the name's unit word asks for, else none. */
  readonly unit?: string;
  /** What the metric measures; becomes the Prometheus HELP text. */
  readonly description?: string;
  /** The attribute keys the metric accepts. The default value is `[]`: no attributes. */
  readonly attributes?: readonly string[];
  /** The default value is `float`. */
  readonly valueType?: MetricValueType;
  /** Histogram bucket boundaries; see {@link HistogramOptions.buckets}. */
  readonly buckets?: readonly number[];
}

/** Options of {@link defineMetrics}. */
export interface DefineMetricsOptions<S extends string, M> {
  /** The service name: the first segment of every metric name. */
  readonly service: S;
  /** The metrics, by the key the created instruments are reached with. */
  readonly metrics: M;
  /** See {@link InstrumentsOptions.onInvalidName}. The default value is `throw`. */
  readonly onInvalidName?: InvalidNamePolicy;
  /**
   * The resources the service serves: the same declarations the middleware is given
   * (`telemetry({ resources })`), so that their request metrics
   * (`{service}.{short}.requests.total`, `{service}.{short}.request.duration.seconds`) count as
   * declared. `datum-telemetry dashboard` draws a row per resource. The default value is none.
   */
  readonly resources?: readonly ResourceDeclaration[];
  /**
   * Service level objectives on the resources' requests, by name; `datum-telemetry alerts` writes
   * recording rules and burn-rate alerts for them. The default value is none.
   */
  readonly slo?: SloSection;
}

type AttributeKeysOf<D> = D extends { readonly attributes: readonly (infer A extends string)[] }
  ? A
  : never;

type Attrs<D> = [AttributeKeysOf<D>] extends [never]
  ? Record<string, never>
  : { [K in AttributeKeysOf<D>]?: AttributeValue };

/** The instrument that a declaration builds. */
export type InstrumentFor<D> = D extends { readonly observable: true }
  ? D extends { readonly kind: 'counter' }
    ? ObservableCounter<Attrs<D>>
    : D extends { readonly kind: 'updowncounter' }
      ? ObservableUpDownCounter<Attrs<D>>
      : D extends { readonly kind: 'gauge' }
        ? ObservableGauge<Attrs<D>>
        : never
  : D extends { readonly kind: 'counter' }
    ? Counter<Attrs<D>>
    : D extends { readonly kind: 'updowncounter' }
      ? UpDownCounter<Attrs<D>>
      : D extends { readonly kind: 'gauge' }
        ? Gauge<Attrs<D>>
        : D extends { readonly kind: 'histogram' }
          ? Histogram<Attrs<D>>
          : never;

/** The instruments a definition builds, by key. */
export type MetricInstruments<M> = { readonly [P in keyof M]: InstrumentFor<M[P]> };

/**
 * One metric in the data form of a definition (`toJSON().metrics[i]`). Stable: fields are only
 * added, never renamed or removed, within `format: "datum-telemetry.metrics/v1"`.
 */
export interface MetricDefinitionJson {
  /** The key in `defineMetrics({ metrics })`. */
  readonly key: string;
  readonly name: string;
  readonly kind: InstrumentKind;
  readonly observable: boolean;
  readonly valueType: MetricValueType;
  /** UCUM unit; `''` for none. */
  readonly unit: string;
  /** `''` when none was given. */
  readonly description: string;
  /** Declared attribute keys, in declaration order. */
  readonly attributes: readonly string[];
  /** Histogram bucket boundaries, or `null` for the SDK's default (non-histograms: `null`). */
  readonly buckets: readonly number[] | null;
  /** The one Prometheus name (`toPrometheusName`). */
  readonly prometheusName: string;
  /** The series names it appears as in the exposition (`_bucket`, `_sum`, `_count` for histograms). */
  readonly prometheusSeries: readonly string[];
}

/** The data form of a definition, read by `datum-telemetry validate`. */
export interface MetricsDefinitionJson {
  readonly format: 'datum-telemetry.metrics/v1';
  readonly service: string;
  readonly metrics: readonly MetricDefinitionJson[];
  /** The declared resources (present only when some are declared). */
  readonly resources?: readonly ResourceDefinitionJson[];
  /** The service level objectives (present only when some are declared). */
  readonly slo?: SloSection;
}

/** One declared resource in the data form of a definition. */
export interface ResourceDefinitionJson {
  readonly group: string;
  readonly plural: string;
  readonly kind: string;
  /** The metric segment of its request metrics (`vm`). */
  readonly short: string;
  /** The bucket boundaries of its request duration histogram, in seconds. */
  readonly durationBuckets: readonly number[];
}

/** What {@link defineMetrics} returns. */
export interface MetricsDefinition<S extends string, M> {
  readonly service: S;
  /** The declarations as given (after validation). */
  readonly metrics: M;
  /** Builds every instrument from a meter, typed by its declaration. */
  create(meter: Meter): MetricInstruments<M>;
  /** The data form; see {@link MetricsDefinitionJson}. */
  toJSON(): MetricsDefinitionJson;
  /** One `MetricDefinition` YAML document per metric, separated by `---`. */
  toYAML(): string;
}

/**
 * Instrument factories that check each name against the naming rules when the instrument is made
 * (and literal names at compile time). Returned by {@link createInstruments}.
 */
export interface InstrumentFactories {
  counter<const N extends string, const A extends string = string>(
    name: N & MetricNameLiteral<N, 'counter'>,
    options?: InstrumentOptions<A>,
  ): Counter<DeclaredAttributes<A>>;
  upDownCounter<const N extends string, const A extends string = string>(
    name: N & MetricNameLiteral<N, 'updowncounter'>,
    options?: InstrumentOptions<A>,
  ): UpDownCounter<DeclaredAttributes<A>>;
  gauge<const N extends string, const A extends string = string>(
    name: N & MetricNameLiteral<N, 'gauge'>,
    options?: InstrumentOptions<A>,
  ): Gauge<DeclaredAttributes<A>>;
  histogram<const N extends string, const A extends string = string>(
    name: N & MetricNameLiteral<N, 'histogram'>,
    options?: HistogramOptions<A>,
  ): Histogram<DeclaredAttributes<A>>;
  observableCounter<const N extends string, const A extends string = string>(
    name: N & MetricNameLiteral<N, 'counter'>,
    options?: InstrumentOptions<A>,
  ): ObservableCounter<DeclaredAttributes<A>>;
  observableUpDownCounter<const N extends string, const A extends string = string>(
    name: N & MetricNameLiteral<N, 'updowncounter'>,
    options?: InstrumentOptions<A>,
  ): ObservableUpDownCounter<DeclaredAttributes<A>>;
  observableGauge<const N extends string, const A extends string = string>(
    name: N & MetricNameLiteral<N, 'gauge'>,
    options?: InstrumentOptions<A>,
  ): ObservableGauge<DeclaredAttributes<A>>;
}

// The testing entry point (`@datum-telemetry/metrics/testing`).

/** Options of {@link createTestMetrics}. */
export interface TestMetricsOptions {
  /** `service.name` of the resource. The default value is `test`. */
  readonly service?: string;
  /** More resource attributes. Default: none. */
  readonly attributes?: Readonly<Record<string, string>>;
  /**
   * Register as the global MeterProvider, to see what code using `metrics.getMeter()` records (the
   * HTTP middleware). `shutdown()` unregisters it. The default value is `false`.
   */
  readonly register?: boolean;
  /** See `SetupMetricsOptions.cardinalityLimit`. The default value is 2000. */
  readonly cardinalityLimit?: number;
  /** See `SetupMetricsOptions.cardinalityLimits`. Default: none. */
  readonly cardinalityLimits?: Readonly<Record<string, number>>;
  /** See `SetupMetricsOptions.views`. Default: none. */
  readonly views?: readonly ViewOptions[];
  /** Name of the meter `meter()` returns. The default value is `test`. */
  readonly meterName?: string;
  /**
   * See `SetupMetricsOptions.exemplarFilter` (the environment is not read). The default value is
   * `trace_based`.
   */
  readonly exemplarFilter?: ExemplarFilter;
}

/** One series of a collected metric. */
export interface TestPoint {
  readonly attributes: Attributes;
  /** Sums and gauges: the value (sums add up everything since the last reset). */
  readonly value?: number;
  /** Histograms: how many values were recorded. */
  readonly count?: number;
  /** Histograms: their sum. */
  readonly sum?: number;
  readonly min?: number;
  readonly max?: number;
  /** Histograms: upper bounds of the buckets (the last bucket, to +Inf, has none). */
  readonly explicitBounds?: readonly number[];
  /** Histograms: values per bucket (not cumulative), one more than `explicitBounds`. */
  readonly bucketCounts?: readonly number[];
  /**
   * Counters and histograms: the exemplars kept since the last reset (the latest of a counter's
   * series; the latest per bucket of a histogram's, in bucket order). Absent when there is none.
   */
  readonly exemplars?: readonly MetricExemplar[];
}

/** A collected metric. */
export interface TestMetric {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** `undefined` for exponential histograms. */
  readonly kind: InstrumentKind | undefined;
  readonly valueType: MetricValueType;
  readonly scope: { readonly name: string; readonly version?: string };
  readonly points: readonly TestPoint[];
}

/** What {@link createTestMetrics} returns. */
export interface TestMetrics {
  /** The SDK MeterProvider. */
  readonly meterProvider: SdkMeterProvider;
  /** A meter of this provider; the name defaults to `meterName`. */
  meter(name?: string, version?: string): Meter;
  /** Collects, and returns every metric recorded since the last `reset()`. */
  collect(): Promise<TestMetric[]>;
  /** The metric of that name (points of every meter that made it), or `undefined`. */
  getMetric(name: string): Promise<TestMetric | undefined>;
  /** The points of a metric whose attributes include `attributes` (all when omitted). */
  getPoints(name: string, attributes?: Attributes): Promise<TestPoint[]>;
  /** The Prometheus exposition of everything recorded since the last reset. */
  scrape(options?: ScrapeOptions): Promise<string>;
  /** The collected data as the SDK gives it to exporters (cumulative since the last reset). */
  collectResourceMetrics(): Promise<ResourceMetrics>;
  /** Forgets everything recorded so far. */
  reset(): Promise<void>;
  /** Shuts the provider down (and unregisters it when registered). */
  shutdown(): Promise<void>;
}

/** What {@link assertPoint} and `MetricExpectation.points` compare; omitted fields are not compared. */
export interface PointExpectation {
  readonly value?: number;
  readonly count?: number;
  readonly sum?: number;
  readonly min?: number;
  readonly max?: number;
  readonly explicitBounds?: readonly number[];
  readonly bucketCounts?: readonly number[];
}

/** What {@link assertMetric} compares; omitted fields are not compared. */
export interface MetricExpectation {
  readonly kind?: InstrumentKind;
  readonly unit?: string;
  readonly description?: string;
  readonly valueType?: MetricValueType;
  /** The exact set of series, in any order: each with its exact attributes. */
  readonly points?: readonly (PointExpectation & { readonly attributes: Attributes })[];
}
