import { toServiceSegment } from './metric-names.js';

/** What the `@datum-telemetry` signal packages count when they drop it. */
export type DroppedItems = 'spans' | 'log_records' | 'attributes';

/**
 * The name of the self-metric that counts what a signal package dropped for a service:
 * `{service}.telemetry.{items}.dropped.total` (`compute.telemetry.spans.dropped.total`). The service
 * name becomes its metric segment first (`compute-api` is `compute_api`, see `toServiceSegment`).
 */
export function droppedItemsMetricName(serviceName: string, items: DroppedItems): string {
  return `${toServiceSegment(serviceName)}.telemetry.${items}.dropped.total`;
}
