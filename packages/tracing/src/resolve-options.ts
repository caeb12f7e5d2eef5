import type { Env, OptionsSchema } from '@datum-telemetry/config';
import {
  ConfigError,
  is,
  otlpExporterOptionRules,
  readDurationMillis,
  readPositiveInteger,
  rules,
  samplerOptionRules,
  serviceOptionRules,
  validateOptions,
  warnInvalidEnv,
} from '@datum-telemetry/config';
import { consoleOptionRules } from './console-exporter.js';
import { isSpanExporter } from './exporters.js';
import { isSampler } from './sampler.js';
import type { TraceExporterChoice, TracingOptions } from './types.js';

/** Every option of `setupTracing`, checked by the one validator of `@datum-telemetry/config`. */
const tracingOptionRules: OptionsSchema<TracingOptions> = {
  ...serviceOptionRules,
  exporter: rules.union(
    '"otlp", "console", "memory", "none" or a SpanExporter',
    [is.string, rules.oneOf(['otlp', 'console', 'memory', 'none'])],
    [
      is.object,
      rules.custom('a SpanExporter (an object with export() and shutdown())', isSpanExporter),
    ],
  ),
  otlp: rules.object(otlpExporterOptionRules),
  console: rules.object(consoleOptionRules, 'an object such as { format: "text" }'),
  sampler: rules.union(
    'an object such as { root: "traceidratio", ratio: 0.1 }, or a Sampler',
    [isSampler, rules.any],
    [is.object, rules.object(samplerOptionRules)],
  ),
  processor: rules.oneOf(['batch', 'simple']),
  maxQueueSize: rules.positiveInteger,
  maxExportBatchSize: rules.positiveInteger,
  scheduledDelayMillis: rules.positiveMillis,
  exportTimeoutMillis: rules.positiveMillis,
  shutdownTimeoutMillis: rules.positiveInteger,
  registerGlobal: rules.boolean,
  instrumentFetch: rules.boolean,
  instrumentHttp: rules.boolean,
  disabled: rules.boolean,
  env: rules.record(rules.string, 'an object of environment variables'),
};

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

/** Checks every option, nested ones included: unknown names, types and values. */
export function checkTracingOptions(options: unknown): asserts options is TracingOptions {
  validateOptions<TracingOptions>(
    options,
    tracingOptionRules,
    '',
    'an object such as { service: "compute" }',
  );
}

function resolveBatchSize(options: TracingOptions, env: Env, maxQueueSize: number): number {
  const size = readPositiveInteger(
    'maxExportBatchSize',
    options.maxExportBatchSize,
    'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
    512,
    env,
  );
  if (size <= maxQueueSize) return size;
  if (options.maxExportBatchSize !== undefined) {
    throw new ConfigError(
      'maxExportBatchSize',
      `got ${size}; expected at most maxQueueSize (${maxQueueSize})`,
    );
  }
  if (env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE?.trim() === String(size)) {
    warnInvalidEnv(
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
      env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
      `at most the queue size (${maxQueueSize})`,
      String(maxQueueSize),
    );
  }
  // The default, or a variable, too large for a small queue: a batch is then the whole queue.
  return maxQueueSize;
}

export function resolveSettings(
  options: TracingOptions,
  env: Env,
  exporter: TraceExporterChoice,
): ResolvedSettings {
  const maxQueueSize = readPositiveInteger(
    'maxQueueSize',
    options.maxQueueSize,
    'OTEL_BSP_MAX_QUEUE_SIZE',
    2048,
    env,
  );
  const registerGlobal = options.registerGlobal ?? true;
  return {
    processor: options.processor ?? (exporter === 'memory' ? 'simple' : 'batch'),
    maxQueueSize,
    maxExportBatchSize: resolveBatchSize(options, env, maxQueueSize),
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
    shutdownTimeoutMillis: options.shutdownTimeoutMillis ?? 5000,
    registerGlobal,
    // The instrumentation records through the global API: without our global provider its spans
    // would go to whatever else is registered.
    instrumentFetch: options.instrumentFetch ?? registerGlobal,
    instrumentHttp: options.instrumentHttp ?? registerGlobal,
  };
}
