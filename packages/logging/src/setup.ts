import type { OptionsSchema } from '@datum-telemetry/config';
import { otlpOptionRules, rules, validateOptions } from '@datum-telemetry/config';
import { diag } from '@opentelemetry/api';
import { withDeadline } from './deadline.js';
import { buildLogger, loggerOptionRules } from './logger.js';
import { droppedLogRecordsMetric, logDropCounter } from './otlp/drop-metric.js';
import { resolveExportPlan } from './otlp/export-plan.js';
import { OtlpOutput } from './otlp/otlp-output.js';
import type { LogPipeline } from './otlp/pipeline.js';
import type { LogBatchOptions, LoggingOptions, LoggingSetup } from './types.js';

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
  otlp: rules.object(otlpOptionRules),
  batch: rules.object(batchOptionRules),
  shutdownTimeoutMillis: rules.positiveInteger,
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
export function setupLogging(options: LoggingOptions = {}): LoggingSetup {
  validateOptions<LoggingOptions>(options, loggingOptionRules);
  const plan = resolveExportPlan(options);
  const timeoutMillis = options.shutdownTimeoutMillis ?? DEFAULT_SHUTDOWN_TIMEOUT_MILLIS;
  const { logger, sink } = buildLogger(options);
  if (plan.kind !== 'otlp') {
    return {
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

  let stopping: Promise<void> | undefined;
  return {
    logger,
    exporter: 'otlp',
    get droppedLogRecords() {
      return drops.dropped;
    },
    forceFlush: async () => {
      await withDeadline(
        async () => (await ready)?.provider.forceFlush(),
        timeoutMillis,
        'forceFlush of the OTLP log export',
      );
      drops.report();
    },
    shutdown: () => {
      output.close();
      stopping ??= withDeadline(
        async () => (await ready)?.provider.shutdown(),
        timeoutMillis,
        'shutdown of the OTLP log export',
      ).then(() => drops.report());
      return stopping;
    },
  };
}
