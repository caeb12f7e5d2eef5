import { DroppedItemsMetric, QueueDropCounter } from '@datum-telemetry/config/self-metrics';
import { droppedItemsMetricName } from '@datum-telemetry/conventions';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** The unit of the dropped-spans counter. */
export const DROPPED_SPANS_UNIT = '{span}';

/** The self-metric of dropped spans for a service: `{service}.telemetry.spans.dropped.total`. */
export function droppedSpansMetric(serviceName: string): DroppedItemsMetric {
  return new DroppedItemsMetric({
    name: droppedItemsMetricName(serviceName, 'spans'),
    unit: DROPPED_SPANS_UNIT,
    description:
      'Spans dropped because the export queue was full (the exporter is slower than the app, or unreachable)',
    scopeName: PACKAGE_NAME,
    scopeVersion: PACKAGE_VERSION,
  });
}

/**
 * Counts the spans the batch processor drops on a full queue. The SDK (3.1) only logs the first
 * drop at debug level and keeps no count, so this listens to its self-observability counter.
 */
export function spanDropCounter(
  maxQueueSize: number,
  onDrop: (count: number) => void,
): QueueDropCounter {
  return new QueueDropCounter({
    sdkCounter: 'otel.sdk.processor.span.processed',
    component: PACKAGE_NAME,
    queue: 'span queue',
    items: 'span(s)',
    maxQueueSize,
    onDrop,
  });
}
