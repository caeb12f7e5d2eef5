import type {
  Env,
  OtlpExporterOptions,
  SamplerSettings,
  ServiceOptions,
  SignalHandle,
} from '@datum-telemetry/config';
import type { Attributes, Span, SpanKind, Tracer } from '@opentelemetry/api';
import type { Sampler, SpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';

/** Where finished spans go. `memory` keeps them in an `InMemorySpanExporter` (tests). */
export type TraceExporterKind = 'otlp' | 'console' | 'memory' | 'none';

/** The exporter `setupTracing` chose: a kind, or `custom` for a `SpanExporter` passed as the option. */
export type TraceExporterChoice = TraceExporterKind | 'custom';

/** How the console exporter prints a span. */
export type ConsoleFormat = 'text' | 'json';

/** Options of the readable console exporter. */
export interface ConsoleExporterOptions {
  /**
   * `text`: one compact human-readable line per span. `json`: one JSON object per line (for log
   * collectors). The default value is `text`.
   */
  readonly format?: ConsoleFormat;
  /**
   * Where the lines go; each call gets one line without the trailing newline. The default value
   * writes to `process.stdout`.
   */
  readonly write?: (line: string) => void;
  /**
   * How many attributes a `text` line shows after the standard ones (`resource.*`, `http.*`,
   * `error.type`, ...). The default value is 8.
   */
  readonly maxAttributes?: number;
}

/** Options of `setupTracing`. Every option wins over its `OTEL_*` variable. */
export interface TracingOptions extends ServiceOptions {
  /**
   * Where spans go: a kind, or your own `SpanExporter`. The default value is
   * `OTEL_TRACES_EXPORTER`, then `otlp` when an `OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT` is set, then
   * `console` (the embedded default, readable spans on stdout).
   */
  readonly exporter?: TraceExporterKind | SpanExporter;
  /**
   * OTLP settings, used when the exporter is `otlp`. Each falls back to its
   * `OTEL_EXPORTER_OTLP_[TRACES_]*` variable; the protocol defaults to `http/protobuf`. `grpc` needs
   * `@opentelemetry/exporter-trace-otlp-grpc` installed next to this package. Over HTTP,
   * `exporter` picks the exporter: `datum` (the default: `@datum-telemetry/otlp`, spans encoded
   * straight to bytes) or `opentelemetry` (the stock `@opentelemetry/exporter-trace-otlp-proto` /
   * `-http`).
   */
  readonly otlp?: OtlpExporterOptions;
  /** Console exporter settings, used when the exporter is `console`. The default value is `{}`. */
  readonly console?: ConsoleExporterOptions;
  /**
   * The sampler: settings (`{ root: 'traceidratio', ratio: 0.1, parentBased: true }`) or your own
   * SDK `Sampler`. The default value is `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`, then
   * `parentbased_always_on`.
   */
  readonly sampler?: Partial<SamplerSettings> | Sampler;
  /**
   * `batch` queues spans and exports them in the background (bounded queue, drops counted);
   * `simple` exports each span when it ends. The default value is `simple` for the `memory`
   * exporter and `batch` for every other one.
   */
  readonly processor?: 'batch' | 'simple';
  /**
   * Spans the batch queue holds before it drops new ones (counted in `droppedSpans`, reported
   * through `diag.warn`). The default value is `OTEL_BSP_MAX_QUEUE_SIZE`, then 2048.
   */
  readonly maxQueueSize?: number;
  /**
   * Largest batch sent in one export; at most `maxQueueSize`. The default value is
   * `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, then 512.
   */
  readonly maxExportBatchSize?: number;
  /**
   * Delay between two batch exports. The default value is `OTEL_BSP_SCHEDULE_DELAY`, then 1000 for
   * the console exporter and 5000 for the others.
   */
  readonly scheduledDelayMillis?: number;
  /** How long one batch export may take. The default value is `OTEL_BSP_EXPORT_TIMEOUT`, then 30000. */
  readonly exportTimeoutMillis?: number;
  /**
   * Deadline of `shutdown()` and `forceFlush()`: they resolve after at most this long even when the
   * exporter hangs. The default value is 5000.
   */
  readonly shutdownTimeoutMillis?: number;
  /**
   * Register the provider, an AsyncLocalStorage context manager and the W3C tracecontext + baggage
   * propagator as the `@opentelemetry/api` globals. The default value is `true`.
   */
  readonly registerGlobal?: boolean;
  /**
   * Give calls made with the global `fetch` a CLIENT span and `traceparent` / `tracestate` /
   * `baggage` headers (through `node:diagnostics_channel`, no patching). It records through the
   * global API, so the default value is the value of `registerGlobal`.
   */
  readonly instrumentFetch?: boolean;
  /**
   * Give `node:http` / `node:https` client requests a CLIENT span and `traceparent` /
   * `tracestate` / `baggage` headers (through `node:diagnostics_channel`'s
   * `http.client.request.created`, no patching). It records through the global API, so the default
   * value is the value of `registerGlobal`.
   */
  readonly instrumentHttp?: boolean;
  /**
   * Turn the SDK off: `setupTracing` returns a handle that does nothing. The default value is
   * `OTEL_SDK_DISABLED`, then `false`.
   */
  readonly disabled?: boolean;
  /** The environment the `OTEL_*` variables are read from. The default value is `process.env`. */
  readonly env?: Env;
}

/** What `setupTracing` returns: the handle every `setup*()` returns, plus the tracing members. */
export interface TracingHandle extends SignalHandle<TraceExporterChoice> {
  /** `false` when tracing is disabled (`disabled: true`, `OTEL_SDK_DISABLED`): nothing is recorded. */
  readonly enabled: boolean;
  /**
   * The exporter chosen from the option and `OTEL_TRACES_EXPORTER`: `otlp`, `console`, `memory`,
   * `none` (also when disabled), or `custom` for your own `SpanExporter`.
   */
  readonly exporter: TraceExporterChoice;
  /**
   * The `SpanExporter` in use (an `InMemorySpanExporter` for `memory`), `undefined` for `none` or
   * when disabled.
   */
  readonly spanExporter: SpanExporter | undefined;
  /** The SDK provider, `undefined` when disabled. */
  readonly tracerProvider: TracerProvider | undefined;
  /** A tracer of this provider. The default name is `@datum-telemetry/tracing`. */
  tracer(name?: string, version?: string): Tracer;
  /**
   * Spans dropped because the batch queue was full, since set-up. Also reported by `diag.warn` and
   * by the `{service}.telemetry.spans.dropped.total` counter on the global meter provider.
   */
  readonly droppedSpans: number;
  /** Exports pending spans. Resolves within `shutdownTimeoutMillis`; never rejects (errors go to `diag`). */
  forceFlush(): Promise<void>;
  /**
   * Flushes, shuts the provider down and unregisters what `setupTracing` registered. Resolves within
   * `shutdownTimeoutMillis`; never rejects (errors go to `diag`). Calling it again does nothing.
   */
  shutdown(): Promise<void>;
}

/** What a span helper knows about its span when it starts it. */
export interface SpanStartOptions {
  /** Attributes set when the span starts (samplers see them). The default value is none. */
  readonly attributes?: Attributes;
  /** The OpenTelemetry span kind. The default value is `SpanKind.INTERNAL`. */
  readonly spanKind?: SpanKind;
}

/** The object form of `withSpan`: the span is named `{operation}{kind}`. */
export interface NamedSpanOptions extends SpanStartOptions {
  /** The operation verb: `Reconcile`, `Create`, ... (case-insensitive). */
  readonly operation: string;
  /** The resource kind, PascalCase: `VirtualMachine`. */
  readonly kind: string;
}

/** Options of `createSpanHelper`: a fixed name and fixed start options. */
export interface SpanHelperOptions extends NamedSpanOptions {
  /** Verbs accepted beside the default ones, PascalCase. The default value is none. */
  readonly verbs?: readonly string[];
  /** Declared resource kinds; another kind gets a `diag.warn` at creation. The default value is any. */
  readonly kinds?: readonly string[];
}

/** Options of `createSpanHelpers`. */
export interface SpanHelpersOptions {
  /** Verbs accepted beside the default ones, PascalCase (`Drain`). The default value is none. */
  readonly verbs?: readonly string[];
  /** Declared resource kinds; another kind gets a `diag.warn` once. The default value is any. */
  readonly kinds?: readonly string[];
  /** Instrumentation scope of the spans. The default value is `@datum-telemetry/tracing`. */
  readonly tracerName?: string;
  /** Instrumentation scope version. The default value is this package's version. */
  readonly tracerVersion?: string;
}

/** A function that runs inside a span; it may return a value or a promise. */
export type SpanFunction<T> = (span: Span) => T;

/** The cheap hot-path function `createSpanHelper` returns. */
export interface SpanHelper {
  /** The span name, checked at creation. */
  readonly spanName: string;
  /** Runs `fn` inside a new span (active in context), records a throw or rejection, ends the span. */
  <T>(fn: SpanFunction<T>): T;
  /** Same, with attributes set on the span after it starts. */
  <T>(attributes: Attributes, fn: SpanFunction<T>): T;
}

/** `withSpan` with a name, or with `{ operation, kind }`. */
export interface WithSpan {
  <T>(name: string, fn: SpanFunction<T>): T;
  <T>(name: string, options: SpanStartOptions, fn: SpanFunction<T>): T;
  <T>(options: NamedSpanOptions, fn: SpanFunction<T>): T;
}

/** What `createSpanHelpers` returns. */
export interface SpanHelpers {
  readonly withSpan: WithSpan;
  createSpanHelper(options: SpanHelperOptions | string): SpanHelper;
}

/** A request as the outgoing instrumentations describe it to `ignore`. */
export interface OutgoingRequestInfo {
  /** `GET`, `POST`, ... */
  readonly method: string;
  /** The URL with its query values, as sent (not redacted): decide on it, never record it. */
  readonly url: string;
}

/** Options of `instrumentOutgoingFetch` and `instrumentOutgoingHttp`. */
export interface OutgoingInstrumentationOptions {
  /**
   * Requests to leave alone (no span, no headers). It runs inside a guard: a hook that throws is
   * reported through `diag` and the request is traced. The default value traces every request.
   */
  readonly ignore?: (request: OutgoingRequestInfo) => boolean;
  /** Instrumentation scope of the CLIENT spans. The default value is `@datum-telemetry/tracing`. */
  readonly tracerName?: string;
}

/** Turns an instrumentation off again. Calling it twice does nothing. */
export type Disposer = () => void;
