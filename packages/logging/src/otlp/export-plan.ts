import type {
  Env,
  OtlpExporterImplementation,
  OtlpSettings,
  ResourceAttributes,
} from '@datum-telemetry/config';
import {
  ConfigError,
  readDurationMillis,
  readPositiveInteger,
  resolveDisabled,
  resolveExporterKind,
  resolveOtlpSettings,
  resolveResourceAttributes,
  splitOtlpExporterOptions,
  warnInvalidEnv,
} from '@datum-telemetry/config';
import { optionalPeer } from '@datum-telemetry/config/manifest';
import type { LogExporterKind, LoggingOptions } from '../types.js';

/** The optional peer the `grpc` protocol needs. */
export const GRPC_EXPORTER = optionalPeer(
  import.meta.url,
  '@opentelemetry/exporter-logs-otlp-grpc',
);
/** What the optional peer is needed for, in the message when it is missing. */
export const GRPC_REASON = 'the OTLP protocol "grpc"';

/** The OTLP batch queue with every default resolved. */
export interface BatchSettings {
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
}

/** What `setupLogging` will export, resolved (and validated) once at set-up. */
export type ExportPlan =
  | { readonly kind: 'console' | 'none'; readonly disabled?: boolean }
  | {
      readonly kind: 'otlp';
      readonly otlp: OtlpSettings;
      /** Which OTLP/HTTP exporter: ours or the stock one. */
      readonly exporter: OtlpExporterImplementation;
      readonly batch: BatchSettings;
      readonly resource: ResourceAttributes;
    };

function resolveBatch(options: LoggingOptions, env: Env): BatchSettings {
  const batch = options.batch ?? {};
  const maxQueueSize = readPositiveInteger(
    'batch.maxQueueSize',
    batch.maxQueueSize,
    'OTEL_BLRP_MAX_QUEUE_SIZE',
    2048,
    env,
  );
  let maxExportBatchSize = readPositiveInteger(
    'batch.maxExportBatchSize',
    batch.maxExportBatchSize,
    'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
    Math.min(512, maxQueueSize),
    env,
  );
  if (maxExportBatchSize > maxQueueSize) {
    if (batch.maxExportBatchSize !== undefined) {
      throw new ConfigError(
        'batch.maxExportBatchSize',
        `got ${maxExportBatchSize}; expected at most the queue size (${maxQueueSize})`,
      );
    }
    warnInvalidEnv(
      'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
      env.OTEL_BLRP_MAX_EXPORT_BATCH_SIZE,
      `at most the queue size (${maxQueueSize})`,
      String(maxQueueSize),
    );
    maxExportBatchSize = maxQueueSize;
  }
  return {
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis: readDurationMillis(
      'batch.scheduledDelayMillis',
      batch.scheduledDelayMillis,
      'OTEL_BLRP_SCHEDULE_DELAY',
      1000,
      env,
    ),
    exportTimeoutMillis: readDurationMillis(
      'batch.exportTimeoutMillis',
      batch.exportTimeoutMillis,
      'OTEL_BLRP_EXPORT_TIMEOUT',
      30_000,
      env,
    ),
  };
}

/**
 * Which export `setupLogging` sets up: the `exporter` option, else `OTEL_LOGS_EXPORTER`, else
 * `otlp` when an OTLP endpoint variable is set, else `console` (JSON lines on stdout only).
 * `OTEL_SDK_DISABLED=true` turns the export off. The options were checked beforehand; a bad
 * variable is reported through `diag.warn` and its default used.
 */
export function resolveExportPlan(options: LoggingOptions): ExportPlan {
  const env = options.env ?? process.env;
  const kind = resolveExporterKind('logs', options.exporter, env) as LogExporterKind;
  if (resolveDisabled(options.disabled, env)) return { kind: 'none', disabled: true };
  if (kind !== 'otlp') return { kind };
  // A missing gRPC exporter fails `otlp.protocol` in code, and turns the variable into a warning.
  const { exporter, otlp: otlpOptions } = splitOtlpExporterOptions(options.otlp);
  const otlp = resolveOtlpSettings('logs', otlpOptions, env, GRPC_EXPORTER);
  const batch = resolveBatch(options, env);
  return { kind, otlp, exporter, batch, resource: resolveResourceAttributes(options, env) };
}
