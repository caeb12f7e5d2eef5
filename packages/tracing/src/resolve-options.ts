import type { Env } from '@datum-telemetry/config';
import { ConfigError, readDurationMillis, readPositiveInteger } from '@datum-telemetry/config';
import type { TraceExporterChoice, TracingOptions } from './types.js';

/** Every option key `setupTracing` knows, so that a misspelt one is an error, not silently ignored. */
const KNOWN_OPTIONS = new Set<string>([
  'service',
  'serviceNamespace',
  'serviceVersion',
  'attributes',
  'exporter',
  'otlp',
  'console',
  'sampler',
  'processor',
  'maxQueueSize',
  'maxExportBatchSize',
  'scheduledDelayMillis',
  'exportTimeoutMillis',
  'shutdownTimeoutMillis',
  'registerGlobal',
  'instrumentFetch',
  'instrumentHttp',
  'disabled',
  'env',
]);

/** The batch processor settings and the switches, resolved once at set-up. */
export interface ResolvedSettings {
  readonly processor: 'batch' | 'simple';
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
  readonly shutdownTimeoutMillis: number;
  readonly registerGlobal: boolean;
  readonly instrumentFetch: boolean;
  readonly instrumentHttp: boolean;
}

/** Checks the options object itself: an object, with no unknown keys. */
export function checkOptionsObject(options: unknown): asserts options is TracingOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError('options', 'expected an object such as { service: "compute" }');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new ConfigError(
        key,
        `is not an option of setupTracing; expected one of ${[...KNOWN_OPTIONS].join(', ')}`,
      );
    }
  }
}

export function readBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new ConfigError(name, `got ${JSON.stringify(value)}; expected true or false`);
  }
  return value;
}

export function resolveSettings(
  options: TracingOptions,
  env: Env,
  exporter: TraceExporterChoice,
): ResolvedSettings {
  const processor = options.processor ?? (exporter === 'memory' ? 'simple' : 'batch');
  if (processor !== 'batch' && processor !== 'simple') {
    throw new ConfigError(
      'processor',
      `got ${JSON.stringify(processor)}; expected "batch" or "simple"`,
    );
  }
  const maxQueueSize = readPositiveInteger(
    'maxQueueSize',
    options.maxQueueSize,
    'OTEL_BSP_MAX_QUEUE_SIZE',
    2048,
    env,
  );
  let maxExportBatchSize = readPositiveInteger(
    'maxExportBatchSize',
    options.maxExportBatchSize,
    'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
    512,
    env,
  );
  if (maxExportBatchSize > maxQueueSize) {
    const explicit =
      options.maxExportBatchSize !== undefined || env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE !== undefined;
    if (explicit) {
      throw new ConfigError(
        options.maxExportBatchSize !== undefined
          ? 'maxExportBatchSize'
          : 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
        `got ${maxExportBatchSize}; expected at most maxQueueSize (${maxQueueSize})`,
      );
    }
    // Only the default is too large for a small queue: a batch is then the whole queue.
    maxExportBatchSize = maxQueueSize;
  }
  const registerGlobal = readBoolean('registerGlobal', options.registerGlobal, true);
  return {
    processor,
    maxQueueSize,
    maxExportBatchSize,
    scheduledDelayMillis: readDurationMillis(
      'scheduledDelayMillis',
      options.scheduledDelayMillis,
      'OTEL_BSP_SCHEDULE_DELAY',
      // Spans on the console are for a person watching: show them soon.
      exporter === 'console' ? 1000 : 5000,
      env,
    ),
    exportTimeoutMillis: readDurationMillis(
      'exportTimeoutMillis',
      options.exportTimeoutMillis,
      'OTEL_BSP_EXPORT_TIMEOUT',
      30_000,
      env,
    ),
    shutdownTimeoutMillis: readPositiveInteger(
      'shutdownTimeoutMillis',
      options.shutdownTimeoutMillis,
      undefined,
      5000,
      env,
    ),
    registerGlobal,
    // The instrumentation records through the global API: without our global provider its spans
    // would go to whatever else is registered.
    instrumentFetch: readBoolean('instrumentFetch', options.instrumentFetch, registerGlobal),
    instrumentHttp: readBoolean('instrumentHttp', options.instrumentHttp, registerGlobal),
  };
}
