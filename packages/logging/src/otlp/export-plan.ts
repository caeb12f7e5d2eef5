import { createRequire } from 'node:module';
import type {
  Env,
  GrpcExporterCheck,
  OtlpSettings,
  ResourceAttributes,
} from '@datum-telemetry/config';
import {
  ConfigError,
  isSdkDisabled,
  readDurationMillis,
  readPositiveInteger,
  resolveExporterKind,
  resolveOtlpSettings,
  resolveResourceAttributes,
  warnInvalidEnv,
} from '@datum-telemetry/config';
import type { LogExporterKind, LoggingOptions } from '../types.js';

/** The optional peer the `grpc` protocol needs. */
export const GRPC_EXPORTER_PACKAGE = '@opentelemetry/exporter-logs-otlp-grpc';
const GRPC_EXPORTER_VERSION = '0.301.0';

/**
 * Whether the optional gRPC exporter resolves, for `resolveOtlpSettings`: a missing one fails the
 * `otlp.protocol` option and turns `OTEL_EXPORTER_OTLP_[LOGS_]PROTOCOL=grpc` into a warning.
 */
const grpcCheck: GrpcExporterCheck = {
  installed() {
    try {
      assertInstalled(GRPC_EXPORTER_PACKAGE, GRPC_EXPORTER_VERSION, 'otlp.protocol');
      return true;
    } catch {
      return false;
    }
  },
  version: GRPC_EXPORTER_VERSION,
};

/** The OTLP batch queue with every default resolved. */
export interface BatchSettings {
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
}

/** What `setupLogging` will export, resolved (and validated) once at set-up. */
export type ExportPlan =
  | { readonly kind: 'console' | 'none' }
  | {
      readonly kind: 'otlp';
      readonly otlp: OtlpSettings;
      readonly batch: BatchSettings;
      readonly resource: ResourceAttributes;
    };

/** The message of the error a missing optional peer gives, naming the package to install. */
export function missingPeerMessage(packageName: string, version: string, option: string): string {
  return `${option} needs the optional peer dependency ${packageName}, which is not installed: run \`npm install ${packageName}@${version}\``;
}

/**
 * Throws a `ConfigError` naming the option when `packageName` cannot be resolved from this package.
 * Checked at set-up so that a missing optional peer fails there, not at the first export.
 */
export function assertInstalled(packageName: string, version: string, option: string): void {
  try {
    createRequire(import.meta.url).resolve(packageName);
  } catch {
    throw new ConfigError(option, missingPeerMessage(packageName, version, option));
  }
}

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
  if (kind !== 'otlp') return { kind };
  if (isSdkDisabled(env)) return { kind: 'none' };
  const otlp = resolveOtlpSettings('logs', options.otlp, env, grpcCheck);
  const batch = resolveBatch(options, env);
  return { kind, otlp, batch, resource: resolveResourceAttributes(options, env) };
}
