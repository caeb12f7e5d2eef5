// Our three signals, set up the way a service would: spans 100% sampled and pushed over
// OTLP/protobuf behind the default bounded batch queue, metrics pushed over OTLP every 5 s, and
// (when asked) the access log written as JSON lines to a file with the package's own file writer
// (`createLogFile`), as pino-http's configuration uses pino's.
import { createLogFile, createLogger } from '@datum-telemetry/logging';
import { setupMetrics } from '@datum-telemetry/metrics';
import { setupTracing } from '@datum-telemetry/tracing';

/**
 * `exemplarFilter`: the metrics' exemplar filter (default `trace_based`, as for a service).
 */
export function setupSignals({ sinkUrl, logFile, logs, exemplarFilter = 'trace_based' }) {
  const tracing = setupTracing({
    service: 'compute',
    exporter: 'otlp',
    otlp: { endpoint: sinkUrl, protocol: 'http/protobuf' },
    sampler: { root: 'always_on', parentBased: true },
    instrumentFetch: false,
  });
  const metrics = setupMetrics({
    service: 'compute',
    exporter: 'otlp',
    otlp: { endpoint: sinkUrl, protocol: 'http/protobuf' },
    exportIntervalMillis: 5000,
    exemplarFilter,
  });
  let file;
  let logger = false;
  if (logs) {
    file = createLogFile(logFile);
    logger = createLogger({ service: 'compute', stream: file });
  }
  return {
    logger,
    droppedSpans: () => tracing.droppedSpans,
    /** Exports the spans waiting in the batch queue now. */
    flushSpans: () => tracing.forceFlush(),
    async shutdown() {
      await Promise.all([tracing.shutdown(), metrics.shutdown()]);
      file?.close();
    },
  };
}
