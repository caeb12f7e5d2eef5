/** How an exporter encodes a request: OTLP/HTTP protobuf, or OTLP/JSON. */
export type OtlpEncoding = 'protobuf' | 'json';

/** Options of `OtlpHttpSpanExporter` and `OtlpHttpLogRecordExporter`. */
export interface OtlpHttpExporterOptions {
  /**
   * The full URL requests go to, path included: `http://127.0.0.1:4318/v1/traces`. Required (this
   * package reads no environment variable; `@datum-telemetry/config`'s `resolveOtlpSettings`
   * resolves one from `OTEL_EXPORTER_OTLP_*`).
   */
  readonly url: string;
  /** Headers sent with every request (credentials, tenant). The default value is none. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * How long one export may take, retries included; each attempt gets what is left. The default
   * value is 10000.
   */
  readonly timeoutMillis?: number;
  /** `gzip` compresses each request body. The default value is `none`. */
  readonly compression?: 'gzip' | 'none';
  /** `protobuf` (`application/x-protobuf`) or `json` (`application/json`). The default value is `protobuf`. */
  readonly encoding?: OtlpEncoding;
  /**
   * Exports in flight at once; one more fails at once with "Concurrent export limit reached", as
   * with the stock exporter. The default value is 30.
   */
  readonly concurrencyLimit?: number;
}
