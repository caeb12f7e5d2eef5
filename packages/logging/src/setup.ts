import type { OptionsSchema } from '@datum-telemetry/config';
import { otlpExporterOptionRules, rules, validateOptions } from '@datum-telemetry/config';
import { settleWithin } from '@datum-telemetry/config/deadline';
import { diag } from '@opentelemetry/api';
import { buildLogger, loggerOptionRules } from './logger.js';
import { droppedLogRecordsMetric, logDropCounter } from './otlp/drop-metric.js';
import { resolveExportPlan } from './otlp/export-plan.js';
import { OtlpOutput } from './otlp/otlp-output.js';
import type { LogPipeline } from './otlp/pipeline.js';
import { packageScope } from './otlp/scope.js';
import type { LogBatchOptions, LoggingHandle, LoggingOptions } from './types.js';

const DEFAULT_SHUTDOWN_TIMEOUT_MILLIS = 5000;

const batchOptionRules: OptionsSchema<LogBatchOptions> = {
  maxQueueSize: rules.positiveInteger,
  maxExportBatchSize: rules.positiveInteger,
  scheduledDelayMillis: rules.positiveMillis,
  exportTimeoutMillis: rules.positiveMillis,
};

/** Every option of `setupLogging`, checked by the one validator of `@datum-telemetry/config`. */
const loggingOptionRules: OptionsSchema<LoggingOptions> = {
  ...loggerOptionRules,
  exporter: rules.oneOf(
    ['otlp', 'console', 'none'],
    'one of "otlp", "console", "none" (in tests, use createTestLogger from @datum-telemetry/logging/testing)',
  ),
  otlp: rules.object(otlpExporterOptionRules),
  batch: rules.object(batchOptionRules),
  shutdownTimeoutMillis: rules.positiveInteger,
  disabled: rules.boolean,
};

const done = async (): Promise<void> => {};

/**
 * The logger plus, when configured, OTLP export of every record beside the JSON lines. Options and
 * `OTEL_*` variables are read and checked here, once: a bad option throws a `ConfigError` naming it
 * (a misspelt one with a did-you-mean); a bad variable is reported through `diag` and its default
 * used.
 * The logs SDK loads in the background; the logger is usable at once and nothing logged meanwhile
 * is lost (up to the queue size). `forceFlush()` and `shutdown()` finish within
 * `shutdownTimeoutMillis` and never reject.
 */
export function setupLogging(options: LoggingOptions = {}): LoggingHandle {
  validateOptions<LoggingOptions>(options, loggingOptionRules);
  const plan = resolveExportPlan(options);
  const timeoutMillis = options.shutdownTimeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  const { logger, sink } = buildLogger(options);
  if (plan.kind !== 'otlp') {
    return {
      enabled: plan.disabled !== true,
      logger,
      exporter: plan.kind,
      droppedLogRecords: 0,
      forceFlush: done,
      shutdown: done,
    };
  }

  // Only the OTLP export has a queue that can drop, so only then is there a counter to report.
  const metric = droppedLogRecordsMetric(String(plan.resource['service.name']));
  const drops = logDropCounter(plan.batch.maxQueueSize, (count) => metric.add(count));
  const output = new OtlpOutput(plan.batch.maxQueueSize, drops);
  sink.outputs.push(output);
  const ready: Promise<LogPipeline | undefined> = import('./otlp/pipeline.js')
    .then(({ startPipeline }) => startPipeline(plan, drops.meterProvider))
    .then((pipeline) => {
      output.attach(pipeline.logger);
      return pipeline;
    })
    .catch((error: unknown) => {
      output.abandon();
      diag.error('@datum-telemetry/logging: the OTLP log export could not start', error);
      return undefined;
    });

  const labels = (what: string) => ({ component: packageScope().name, what });
  let stopping: Promise<void> | undefined;
  return {
    enabled: true,
    logger,
    exporter: 'otlp',
    get droppedLogRecords() {
      return drops.dropped;
    },
    forceFlush: async () => {
      await settleWithin(
        async () => (await ready)?.provider.forceFlush(),
        timeoutMillis,
        labels('forceFlush of the OTLP log export'),
      );
      drops.report();
    },
    shutdown: () => {
      output.close();
      stopping ??= settleWithin(
        async () => (await ready)?.provider.shutdown(),
        timeoutMillis,
        labels('shutdown of the OTLP log export'),
      ).then(() => drops.report());
      return stopping;
    },
  };
}
