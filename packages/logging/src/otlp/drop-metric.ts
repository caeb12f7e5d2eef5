import { DroppedItemsMetric, QueueDropCounter } from '@datum-telemetry/config/self-metrics';
import { toServiceSegment } from '@datum-telemetry/conventions';
import { SCOPE_NAME, scopeVersion } from './scope.js';

/** The unit of the dropped-records counter. */
export const DROPPED_LOG_RECORDS_UNIT = '{log_record}';

/** `{service}.telemetry.log_records.dropped.total`: the self-metric's name for a service. */
export function droppedLogRecordsMetricName(serviceName: string): string {
  return `${toServiceSegment(serviceName)}.telemetry.log_records.dropped.total`;
}

/** The self-metric of dropped log records for a service. */
export function droppedLogRecordsMetric(serviceName: string): DroppedItemsMetric {
  return new DroppedItemsMetric({
    name: droppedLogRecordsMetricName(serviceName),
    unit: DROPPED_LOG_RECORDS_UNIT,
    description:
      'Log records not exported because the export queue was full (the exporter is slower than the app, or unreachable)',
    scopeName: SCOPE_NAME,
    scopeVersion: scopeVersion(),
  });
}

/**
 * Counts the log records the OTLP export drops: those the batch processor refuses on a full queue
 * (the logs SDK 3.1 drops them silently, so this listens to its self-observability counter), and
 * those that did not fit the waiting room while the SDK loaded (`record(n)`).
 */
export function logDropCounter(
  maxQueueSize: number,
  onDrop: (count: number) => void,
): QueueDropCounter {
  return new QueueDropCounter({
    sdkCounter: 'otel.sdk.processor.log.processed',
    component: SCOPE_NAME,
    queue: 'OTLP log queue',
    items: 'log record(s)',
    maxQueueSize,
    onDrop,
  });
}
