/** The three signals. */
export type Signal = 'traces' | 'metrics' | 'logs';

/** Where a signal goes. `prometheus` is for metrics only; `memory` is for tests. */
export type ExporterKind = 'otlp' | 'console' | 'prometheus' | 'memory' | 'none';

/** OTLP transport. */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/**
 * Resource attributes as a plain map (`process.pid` is a number, the rest strings); turn it into an
 * SDK resource with `createResource` from `@datum-telemetry/config/resource`.
 */
export type ResourceAttributes = Record<string, string | number>;

/** Environment to read from; `process.env` by default. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Identity of the service, shared by every signal. */
export interface ServiceOptions {
  /**
   * `service.name`. The default value is `OTEL_SERVICE_NAME`, then `service.name` in
   * `OTEL_RESOURCE_ATTRIBUTES`, then `unknown_service:node`.
   */
  readonly service?: string;
  /** `service.namespace`. Default: from `OTEL_RESOURCE_ATTRIBUTES`, else not set. */
  readonly serviceNamespace?: string;
  /** `service.version`. Default: from `OTEL_RESOURCE_ATTRIBUTES`, else not set. */
  readonly serviceVersion?: string;
  /** More resource attributes; they win over `OTEL_RESOURCE_ATTRIBUTES`. Default: none. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** OTLP exporter options; every one falls back to the `OTEL_EXPORTER_OTLP_*` variables. */
export interface OtlpOptions {
  /**
   * Base URL of the collector; `/v1/{signal}` is appended for the HTTP protocols. The default value
   * is `OTEL_EXPORTER_OTLP_ENDPOINT`, then `http://localhost:4318` (HTTP) or `http://localhost:4317`
   * (gRPC).
   */
  readonly endpoint?: string;
  /** Full URL, used as it is (like `OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT`). Wins over `endpoint`. */
  readonly url?: string;
  /**
   * The default value is `OTEL_EXPORTER_OTLP_{SIGNAL}_PROTOCOL`, then `OTEL_EXPORTER_OTLP_PROTOCOL`,
   * then `http/protobuf`.
   */
  readonly protocol?: OtlpProtocol;
  /** Merged over `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_EXPORTER_OTLP_{SIGNAL}_HEADERS`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Export request timeout. The default value is `OTEL_EXPORTER_OTLP_[{SIGNAL}_]TIMEOUT`, then 10000. */
  readonly timeoutMillis?: number;
  /** The default value is `OTEL_EXPORTER_OTLP_[{SIGNAL}_]COMPRESSION`, then `none`. */
  readonly compression?: 'gzip' | 'none';
}

/**
 * Which exporter sends OTLP over HTTP: `datum`, the one of `@datum-telemetry/otlp` (spans, log
 * records and metrics encoded straight to bytes, metric exemplars included), or `opentelemetry`,
 * the stock `@opentelemetry/exporter-*-otlp-*`.
 */
export type OtlpExporterImplementation = 'datum' | 'opentelemetry';

/** The OTLP options of a signal package that offers both OTLP/HTTP exporters. */
export interface OtlpExporterOptions extends OtlpOptions {
  /**
   * Which exporter sends OTLP over HTTP (`http/protobuf`, `http/json`): `datum` encodes the SDK's
   * spans, log records and metrics straight to bytes (`@datum-telemetry/otlp`); `opentelemetry` is the
   * stock exporter, as a way back. Both send the same data with the same retries. gRPC always uses
   * the stock exporter. The default value is `datum`.
   */
  readonly exporter?: OtlpExporterImplementation;
}

/** How `resolveOtlpSettings` learns whether the signal's OTLP gRPC exporter can be loaded. */
export interface GrpcExporterCheck {
  /** True when the signal's gRPC exporter package resolves from the signal package. */
  installed(): boolean;
  /** The version of the gRPC exporters to install, for the message. */
  readonly version: string;
}

/** OTLP exporter settings with every default resolved. */
export interface OtlpSettings {
  readonly protocol: OtlpProtocol;
  /** HTTP: the full URL including `/v1/{signal}`. gRPC: the endpoint. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
  readonly compression: 'gzip' | 'none';
}

/** Sampler settings (`OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG`). */
export interface SamplerSettings {
  /** The sampler for root spans. */
  readonly root: 'always_on' | 'always_off' | 'traceidratio';
  /** Whether a sampled/unsampled parent decides for its children. */
  readonly parentBased: boolean;
  /** Ratio for `traceidratio`, in [0, 1]. */
  readonly ratio: number;
}
