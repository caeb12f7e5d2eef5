// Our three signals, set up the way a service would: spans 100% sampled and pushed over
// OTLP/protobuf behind the default bounded batch queue, metrics pushed over OTLP every 5 s, and
// (when asked) the access log written as JSON lines to a file.
import { createWriteStream } from 'node:fs';
import { createLogger } from '@datum-telemetry/logging';
import { setupMetrics } from '@datum-telemetry/metrics';
import { setupTracing } from '@datum-telemetry/tracing';

export function setupSignals({ sinkUrl, logFile, logs }) {
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
  });
  let stream;
  let logger = false;
  if (logs) {
    stream = createWriteStream(logFile, { flags: 'a' });
    logger = createLogger({ service: 'compute', stream });
  }
  return {
    logger,
    droppedSpans: () => tracing.droppedSpans,
    async shutdown() {
      await Promise.all([tracing.shutdown(), metrics.shutdown()]);
      if (stream !== undefined) await new Promise((resolve) => stream.end(resolve));
    },
  };
}
