export type { DroppedItemsMetricOptions, QueueDropCounterOptions } from './self-metrics.js';
export { DroppedItemsMetric, QueueDropCounter } from './self-metrics.js';
