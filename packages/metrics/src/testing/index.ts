export type {
  MetricExpectation,
  PointExpectation,
  TestMetric,
  TestMetrics,
  TestMetricsOptions,
  TestPoint,
} from '../types.js';
export { assertMetric, assertNoMetric, assertPoint } from './assertions.js';
export { createTestMetrics } from './test-metrics.js';
