import { DroppedItemsMetric, QueueDropCounter } from '@datum-telemetry/config/self-metrics';
import { droppedItemsMetricName } from '@datum-telemetry/conventions';
import { packageScope } from './scope.js';

/** The unit of the dropped-records counter. */
export const DROPPED_LOG_RECORDS_UNIT = '{log_record}';

/**
 * The self-metric of dropped log records for a service:
 * `{service}.telemetry.log_records.dropped.total`.
 */
export function droppedLogRecordsMetric(serviceName: string): DroppedItemsMetric {
  return new DroppedItemsMetric({
    name: droppedItemsMetricName(serviceName, 'log_records'),
    unit: DROPPED_LOG_RECORDS_UNIT,
    description:
      'Log records not exported because the export queue was full (the exporter is slower than the app, or unreachable)',
    scopeName: packageScope().name,
    scopeVersion: packageScope().version,
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
    component: packageScope().name,
    queue: 'OTLP log queue',
    items: 'log record(s)',
    maxQueueSize,
    onDrop,
  });
}
