import type { Env, OtlpSettings, ResourceAttributes } from '@datum-telemetry/config';
import {
  ConfigError,
  readDurationMillis,
  readPositiveInteger,
  resolveDisabled,
  resolveExporterKind,
  resolveOtlpSettings,
  resolveResourceAttributes,
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

const EXPORTER_KINDS: readonly LogExporterKind[] = ['otlp', 'console', 'none'];

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
      readonly batch: BatchSettings;
      readonly resource: ResourceAttributes;
    };

function resolveBatch(options: LoggingOptions, env: Env): BatchSettings {
  const batch = options.batch ?? {};
  if (batch === null || typeof batch !== 'object') {
    throw new ConfigError('batch', 'expected an object');
  }
  const maxQueueSize = readPositiveInteger(
    'batch.maxQueueSize',
    batch.maxQueueSize,
    'OTEL_BLRP_MAX_QUEUE_SIZE',
    2048,
    env,
  );
  const maxExportBatchSize = readPositiveInteger(
    'batch.maxExportBatchSize',
    batch.maxExportBatchSize,
    'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
    Math.min(512, maxQueueSize),
    env,
  );
  if (maxExportBatchSize > maxQueueSize) {
    throw new ConfigError(
      batch.maxExportBatchSize !== undefined
        ? 'batch.maxExportBatchSize'
        : 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE',
      `got ${maxExportBatchSize}; expected at most the queue size (${maxQueueSize})`,
    );
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
 * `OTEL_SDK_DISABLED=true` turns the export off. Throws a `ConfigError` naming the bad option.
 */
export function resolveExportPlan(options: LoggingOptions): ExportPlan {
  const env = options.env ?? process.env;
  if (options.exporter !== undefined && !EXPORTER_KINDS.includes(options.exporter)) {
    throw new ConfigError(
      'exporter',
      `got ${JSON.stringify(String(options.exporter))}; expected one of ${EXPORTER_KINDS.join(', ')}`,
    );
  }
  const resolved = resolveExporterKind('logs', options.exporter, env);
  if (resolved !== 'otlp' && resolved !== 'console' && resolved !== 'none') {
    throw new ConfigError(
      'OTEL_LOGS_EXPORTER',
      `got "${resolved}"; expected one of ${EXPORTER_KINDS.join(', ')} (in tests, use createTestLogger from @datum-telemetry/logging/testing)`,
    );
  }
  if (resolveDisabled(options.disabled, env)) return { kind: 'none', disabled: true };
  if (resolved !== 'otlp') return { kind: resolved };
  const kind = resolved;
  const otlp = resolveOtlpSettings('logs', options.otlp, env);
  const batch = resolveBatch(options, env);
  if (otlp.protocol === 'grpc') {
    GRPC_EXPORTER.assertInstalled('otlp.protocol', GRPC_REASON);
  }
  return { kind, otlp, batch, resource: resolveResourceAttributes(options, env) };
}
