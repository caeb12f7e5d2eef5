/** The three OTLP signals, named after their HTTP paths (`/v1/traces`, `/v1/metrics`, `/v1/logs`). */
export type SinkSignal = 'traces' | 'metrics' | 'logs';

/** How a request body was encoded: `application/x-protobuf` or `application/json` (OTLP/JSON). */
export type SinkEncoding = 'protobuf' | 'json';

/**
 * A decoded attribute or log body value (OTLP `AnyValue`, unwrapped):
 * `string | boolean | number | bigint | Uint8Array | AttributeValue[] | Record<string, AttributeValue>`,
 * or `undefined` for an empty `AnyValue`. Integers are `number` when they fit in
 * `Number.MAX_SAFE_INTEGER`, else `bigint`; bytes are a plain `Uint8Array`.
 */
export type SinkAttributes = Record<string, unknown>;

/** The instrumentation scope an item was emitted under. Empty fields are left out. */
export interface SinkScope {
  name: string;
  version?: string;
  /** Only present when the scope carried attributes. */
  attributes?: SinkAttributes;
}

export type SinkSpanKind =
  | 'UNSPECIFIED'
  | 'INTERNAL'
  | 'SERVER'
  | 'CLIENT'
  | 'PRODUCER'
  | 'CONSUMER';
export type SinkStatusCode = 'UNSET' | 'OK' | 'ERROR';

export interface SinkSpanEvent {
  name: string;
  timeUnixNano: bigint;
  attributes: SinkAttributes;
}

export interface SinkSpanLink {
  /** 32 lowercase hex characters. */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  traceState?: string;
  attributes: SinkAttributes;
}

/** One received span. Ids are lowercase hex; times are nanoseconds since the epoch. */
export interface SinkSpan {
  traceId: string;
  spanId: string;
  /** Absent on a root span. */
  parentSpanId?: string;
  /** Absent when empty. */
  traceState?: string;
  /** The span's W3C trace flags and OTLP flag bits (`Span.flags`), absent when the exporter sent none. */
  flags?: number;
  name: string;
  kind: SinkSpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: SinkAttributes;
  status: { code: SinkStatusCode; message?: string };
  events: SinkSpanEvent[];
  links: SinkSpanLink[];
  /** The resource's attributes. */
  resource: SinkAttributes;
  scope: SinkScope;
}

export type SinkMetricType = 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';
export type SinkTemporality = 'UNSPECIFIED' | 'DELTA' | 'CUMULATIVE';

/** One bucket range of an exponential histogram. */
export interface SinkExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

/**
 * One exemplar of a data point (OTLP `Exemplar`): a measurement recorded inside a sampled span.
 * The same object whether it came as protobuf or JSON.
 */
export interface SinkExemplar {
  timeUnixNano: bigint;
  /** From `as_int` or `as_double`; absent when the exemplar had neither. */
  value?: number;
  /** Lowercase hex (32 characters); absent when the exemplar had no span. */
  traceId?: string;
  /** Lowercase hex (16 characters); absent when the exemplar had no span. */
  spanId?: string;
  /** The measurement's attributes that the series does not have; `{}` for none. */
  filteredAttributes: SinkAttributes;
}

/**
 * One data point, flattened. Which fields are set depends on the metric type:
 * sum and gauge: `value` (from `asInt` or `asDouble`); histogram: `count`, `sum`, `min`, `max`,
 * `bucketCounts`, `explicitBounds`; exponential histogram: `count`, `sum`, `min`, `max`, `scale`,
 * `zeroCount`, `positive`, `negative`; summary: `count`, `sum`, `quantiles`.
 * 64-bit integers are converted to `number` (exact up to 2^53).
 */
export interface SinkPoint {
  attributes: SinkAttributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  value?: number;
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  bucketCounts?: number[];
  explicitBounds?: number[];
  scale?: number;
  zeroCount?: number;
  positive?: SinkExponentialBuckets;
  negative?: SinkExponentialBuckets;
  quantiles?: { quantile: number; value: number }[];
  /** The exemplars of a sum, gauge, histogram or exponential histogram point; absent when none. */
  exemplars?: SinkExemplar[];
}

/** One metric of one export request (a metric exported twice appears twice). */
export interface SinkMetric {
  name: string;
  description: string;
  unit: string;
  type: SinkMetricType;
  /** Only on `sum`. */
  monotonic?: boolean;
  /** On `sum`, `histogram` and `exponentialHistogram`. */
  temporality?: SinkTemporality;
  points: SinkPoint[];
  resource: SinkAttributes;
  scope: SinkScope;
}

/** One received log record. */
export interface SinkLogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  /** 0 (unspecified) to 24, as sent. */
  severityNumber: number;
  severityText?: string;
  /** The unwrapped `AnyValue` body; `undefined` when the record had none. */
  body: unknown;
  attributes: SinkAttributes;
  traceId?: string;
  spanId?: string;
  /** The low byte of `LogRecord.flags`; present when the record carries a trace id or non-zero flags. */
  traceFlags?: number;
  eventName?: string;
  resource: SinkAttributes;
  scope: SinkScope;
}

/** One request that reached a signal path with a supported content type. */
export interface SinkRequest {
  signal: SinkSignal;
  encoding: SinkEncoding;
  /** `'grpc'` on OTLP/gRPC calls (`startOtlpSink({ grpc: true })`); absent on OTLP/HTTP requests. */
  transport?: 'grpc';
  gzip: boolean;
  /**
   * The HTTP status answered; 0 when the connection was cut (`destroy`) or the client went away.
   * For a gRPC call, the HTTP status an OTLP/HTTP collector would have answered (200, the
   * `respondWith` status, 400 for a body that does not decode, 413), next to `grpcStatus`.
   */
  status: number;
  /** The `grpc-status` answered to a gRPC call (0 OK, 14 UNAVAILABLE, ...); absent for HTTP. */
  grpcStatus?: number;
  /** Why the body was refused (400, 413), or which failure mode answered. */
  error?: string;
}

/**
 * A request the sink refused before decoding: unknown path (404), method (405) or content type
 * (415). A gRPC call to an unknown method is answered UNIMPLEMENTED and recorded as 404.
 */
export interface SinkRejectedRequest {
  method: string;
  path: string;
  contentType: string;
  status: number;
  /** `'grpc'` on gRPC calls; absent on OTLP/HTTP requests. */
  transport?: 'grpc';
}

/**
 * How the sink answers the next requests to a signal path. `undefined` (or `{}`) answers as a collector does.
 * A `status` that is not 2xx records nothing.
 */
export interface SinkResponseMode {
  /**
   * The HTTP status to answer with (an integer 200 to 599), with an OTLP `Status` body in the
   * request's encoding. 2xx records the data as usual; anything else records nothing.
   */
  status?: number;
  /** Sent as the `Retry-After` header (seconds), e.g. with 429 or 503. Not sent to gRPC calls. */
  retryAfterSeconds?: number;
  /**
   * Wait this many milliseconds before answering. The data is recorded only if the client is still
   * connected when the wait ends (what an exporter that gave up would expect).
   */
  delayMs?: number;
  /** Cut the connection once the request arrives, with no response; records nothing. */
  destroy?: boolean;
  /**
   * Apply this mode to the next `times` requests only, then answer normally again.
   * The default is every request until `respondWith` is called again.
   */
  times?: number;
}

/** Options of {@link startOtlpSink}. */
export interface OtlpSinkOptions {
  /** The address to listen on. The default value is `'127.0.0.1'`. */
  host?: string;
  /** The port to listen on; 0 picks a free one. The default value is `0`. */
  port?: number;
  /**
   * The largest accepted body, in bytes, before and after gzip decompression; larger gets 413.
   * The default value is `20 * 1024 * 1024` (20 MiB).
   */
  maxBodyBytes?: number;
  /**
   * Also receive OTLP/gRPC (`TraceService`, `MetricsService`, `LogsService` `Export`, plaintext
   * HTTP/2, gzip too) on a second port: see {@link OtlpSink.grpcEndpoint}. Received data goes to
   * the same lists; `respondWith` applies to both, a `status` becoming the matching gRPC status
   * (503 UNAVAILABLE, 429 RESOURCE_EXHAUSTED, 400 INVALID_ARGUMENT, 500 INTERNAL). The default
   * value is `false`.
   */
  grpc?: boolean;
}

/** Options of {@link OtlpSink.waitFor}. */
export interface WaitForOptions {
  /** How long to wait before rejecting. The default value is `5000`. */
  timeoutMs?: number;
  /** How often to evaluate the predicate. The default value is `20`. */
  intervalMs?: number;
}

/** A running OTLP/HTTP receiver. */
export interface OtlpSink {
  /** `http://HOST:PORT`, the base OTLP endpoint (exporters append `/v1/traces` etc.). */
  readonly endpoint: string;
  /** Full URLs per signal, for exporters whose `url` option wants the whole path. */
  readonly urls: Readonly<Record<SinkSignal, string>>;
  readonly host: string;
  readonly port: number;
  /**
   * `http://HOST:PORT` of the OTLP/gRPC receiver, the `url` for the OTLP gRPC exporters; undefined
   * unless started with `{ grpc: true }`.
   */
  readonly grpcEndpoint: string | undefined;
  /** Spans received so far, in arrival order (a copy). */
  spans(): SinkSpan[];
  /** Metrics received so far, one entry per metric per export (a copy). */
  metrics(): SinkMetric[];
  /** Log records received so far (a copy). */
  logs(): SinkLogRecord[];
  /** Every request to a signal path with a supported content type, in arrival order. */
  requests(): SinkRequest[];
  /** Requests refused before decoding (404, 405, 415). */
  rejected(): SinkRejectedRequest[];
  /**
   * How many requests have arrived and not been answered yet, e.g. held by `delayMs`: lets a test
   * wait until an export is in flight before it acts.
   */
  pendingRequests(): number;
  /**
   * Resolves once `predicate` returns a truthy value (a throwing predicate counts as false);
   * rejects after `timeoutMs` with a message listing what was received so far.
   */
  waitFor(predicate: () => unknown, options?: WaitForOptions): Promise<void>;
  /** Sets how the next requests are answered; `undefined` restores normal answers. Throws on bad values. */
  respondWith(mode: SinkResponseMode | undefined): void;
  /** Forgets everything received (spans, metrics, logs, requests, rejected). */
  clear(): void;
  /** Stops listening and destroys every open connection; pending delayed answers are dropped. */
  close(): Promise<void>;
}
