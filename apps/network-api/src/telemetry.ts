// Set-up module: the three signals, once, before anything else. Every setting can also come from
// the OTEL_* environment (OTEL_EXPORTER_OTLP_ENDPOINT sends everything to a collector).
import { logDiagnostics, setupLogging } from '@datum-telemetry/logging';
import { setupMetrics } from '@datum-telemetry/metrics';
import { setupTracing } from '@datum-telemetry/tracing';

export const SERVICE = 'network';

// Metrics: pushed over OTLP when an endpoint is set, and always served on the app's /metrics
// (no port of its own: `serve: false`).
export const metrics = setupMetrics({ service: SERVICE, prometheus: { serve: false } });
// Traces: to the console until a collector is configured; outgoing fetch calls carry traceparent.
export const tracing = setupTracing({ service: SERVICE });
// Logs: JSON lines on stdout, with trace ids inside spans; OTLP too when an endpoint is set.
export const logging = setupLogging({ service: SERVICE });
export const logger = logging.logger;
// OpenTelemetry's own warnings (export failures, dropped spans) as log lines, instead of nowhere.
logDiagnostics(logger);

/** Flushes and stops the three signals; each has its own deadline and never rejects. */
export async function shutdownTelemetry(): Promise<void> {
  await Promise.all([metrics.shutdown(), tracing.shutdown(), logging.shutdown()]);
}
