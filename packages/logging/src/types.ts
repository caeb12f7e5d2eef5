import type {
  Env,
  OtlpExporterOptions,
  ServiceOptions,
  SignalHandle,
} from '@datum-telemetry/config';
import type { KubernetesObjectLike } from '@datum-telemetry/conventions';
import type {
  LogLevelName,
  LogLineStream,
  LogSeverity,
} from '@datum-telemetry/conventions/log-line';

export type { LogLevelName, LogSeverity };

/** A level threshold: a level name, or `silent` for no output at all. */
export type LogLevelSetting = LogLevelName | 'silent';

/** Fields of a log line (`{ 'resource.name': 'vm-1', operation: 'create' }`). */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * One log method. Three call shapes:
 * - `log.info('resource created', 'name', vm.name, 'namespace', vm.ns)`: a message, then keys and
 *   values in pairs (the seed's shape);
 * - `log.error(err, 'failed to create resource', 'name', name)`: an error first, serialised under
 *   the `error` field;
 * - `log.info({ 'resource.name': 'x' }, 'msg')`: a fields object first (bunyan's shape), optionally
 *   followed by more keys and values.
 */
export interface LogMethod {
  (message: string, ...keysAndValues: unknown[]): void;
  (error: Error, message?: string, ...keysAndValues: unknown[]): void;
  (fields: LogFields, message?: string, ...keysAndValues: unknown[]): void;
}

/** The logger. Methods never throw, whatever they are given. */
export interface Logger {
  readonly trace: LogMethod;
  readonly debug: LogMethod;
  readonly info: LogMethod;
  readonly warn: LogMethod;
  readonly error: LogMethod;
  readonly fatal: LogMethod;
  /** True when a line at `level` would be written (to skip building expensive fields). */
  isLevelEnabled(level: LogLevelName): boolean;
  /** A logger whose every line also carries `fields` (`log.child({ operation: 'create' })`). */
  child(fields: LogFields): Logger;
  /**
   * A logger whose every line carries the `resource.*` fields of a Kubernetes-style object
   * (`apiVersion`, `kind`, `metadata.name`, `metadata.namespace`); safe on any input.
   */
  withResource(object: KubernetesObjectLike | null | undefined): Logger;
}

/** Where JSON lines go: anything with a `write(string)` method, such as a `Writable`. */
export type LogStream = LogLineStream;

/** Options of `createLogger` (and of `setupLogging`, which adds the export options). */
export interface LoggerOptions extends ServiceOptions {
  /**
   * The lowest level written. The default value is the `LOG_LEVEL` environment variable, then
   * `info`.
   */
  readonly level?: LogLevelSetting;
  /**
   * Where the JSON lines go. `null` writes no lines (for an OTLP-only set-up). The default value is
   * `process.stdout`.
   */
  readonly stream?: LogStream | null;
  /**
   * Human-readable lines (`12:00:00.000 INFO  compute: resource created resource.name=vm-1`)
   * instead of JSON. The default value is `false`.
   */
  readonly pretty?: boolean;
  /**
   * More keys whose values are replaced by `[REDACTED]` (matched without regard to case, at any
   * depth), on top of the built-in ones (`authorization`, `cookie`, `set-cookie`, `password`,
   * `secret`, `token`, `api_key`, `x-api-key`, ...). The default value is `[]`.
   */
  readonly redactKeys?: readonly string[];
  /**
   * Longest string value (and message) written, in UTF-16 code units; longer ones are cut and end
   * in `…[truncated N chars]`. The default value is 8192.
   */
  readonly maxStringLength?: number;
  /** Fields every line carries (`{ component: 'scheduler' }`). The default value is `{}`. */
  readonly fields?: LogFields;
  /** Environment to read `LOG_LEVEL` and `OTEL_*` from. The default value is `process.env`. */
  readonly env?: Env;
}

/** Bounds of the OTLP batch queue. */
export interface LogBatchOptions {
  /**
   * Records waiting to be exported; more are dropped (and counted). The default value is
   * `OTEL_BLRP_MAX_QUEUE_SIZE`, then 2048.
   */
  readonly maxQueueSize?: number;
  /**
   * Records per export request, at most `maxQueueSize`. The default value is
   * `OTEL_BLRP_MAX_EXPORT_BATCH_SIZE`, then 512.
   */
  readonly maxExportBatchSize?: number;
  /**
   * Delay between two exports. The default value is `OTEL_BLRP_SCHEDULE_DELAY`, then 1000.
   */
  readonly scheduledDelayMillis?: number;
  /**
   * How long one export may run. The default value is `OTEL_BLRP_EXPORT_TIMEOUT`, then 30000.
   */
  readonly exportTimeoutMillis?: number;
}

/** Where log records are exported besides the JSON lines. */
export type LogExporterKind = 'otlp' | 'console' | 'none';

/** Options of `setupLogging`. */
export interface LoggingOptions extends LoggerOptions {
  /**
   * `otlp` exports every record as an OpenTelemetry LogRecord beside the JSON lines; `console` and
   * `none` write the JSON lines only. The default value is `OTEL_LOGS_EXPORTER`, then `otlp` when
   * an `OTEL_EXPORTER_OTLP_[LOGS_]ENDPOINT` is set, then `console`. `OTEL_SDK_DISABLED=true` turns
   * the export off.
   */
  readonly exporter?: LogExporterKind;
  /**
   * OTLP endpoint, protocol (`http/protobuf`, `http/json`, or `grpc`, which needs the optional peer
   * `@opentelemetry/exporter-logs-otlp-grpc`), headers, timeout and compression. Every value falls
   * back to its `OTEL_EXPORTER_OTLP_[LOGS_]*` variable. Over HTTP, `exporter` picks the exporter:
   * `datum` (the default: `@datum-telemetry/otlp`, records encoded straight to bytes) or
   * `opentelemetry` (the stock `@opentelemetry/exporter-logs-otlp-proto` / `-http`). The default
   * value is `{}`.
   */
  readonly otlp?: OtlpExporterOptions;
  /** The OTLP batch queue. The default value is `{}`. */
  readonly batch?: LogBatchOptions;
  /**
   * The longest `forceFlush()` and `shutdown()` wait before they give up (and resolve). The default
   * value is 5000.
   */
  readonly shutdownTimeoutMillis?: number;
  /**
   * Turn the export off (the logger keeps writing JSON lines): `exporter` is then `none` and
   * `enabled` is `false`. The default value is `OTEL_SDK_DISABLED`, then `false`.
   */
  readonly disabled?: boolean;
}

/** What `setupLogging` returns: the handle every `setup*()` returns, plus the logger. */
export interface LoggingHandle extends SignalHandle<LogExporterKind> {
  /**
   * `false` when the export is disabled (`disabled: true`, `OTEL_SDK_DISABLED=true`); the logger
   * still writes its lines.
   */
  readonly enabled: boolean;
  readonly logger: Logger;
  /**
   * The exporter chosen from the option and `OTEL_LOGS_EXPORTER`: `otlp`, `console` (JSON lines
   * only) or `none` (also when disabled).
   */
  readonly exporter: LogExporterKind;
  /**
   * Log records the OTLP export dropped since set-up because its queue was full (0 without OTLP
   * export). Also reported by `diag.warn` and by the
   * `{service}.telemetry.log_records.dropped.total` counter on the global meter provider.
   */
  readonly droppedLogRecords: number;
  /**
   * Exports the records logged so far. Resolves within `shutdownTimeoutMillis`, never rejects;
   * failures go to the OpenTelemetry `diag` logger.
   */
  forceFlush(): Promise<void>;
  /**
   * Flushes and stops the export (the logger keeps writing lines). Resolves within
   * `shutdownTimeoutMillis`, never rejects; calling it again returns the same promise.
   */
  shutdown(): Promise<void>;
}

/** @deprecated The former name of {@link LoggingHandle}, named like `TracingHandle` and `MetricsHandle` now. */
export type LoggingSetup = LoggingHandle;
