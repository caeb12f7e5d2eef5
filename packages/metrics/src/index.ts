export { droppedAttributesMetricName } from './attribute-filter.js';
export { DEFAULT_SECONDS_BUCKETS } from './buckets.js';
export type { CheckedDeclarations } from './define-metrics.js';
export { defineMetrics } from './define-metrics.js';
export { METRIC_DEFINITION_API_VERSION, metricObjectName } from './definition-yaml.js';
export type { ExemplarFilter, MetricExemplar, WithExemplars } from './exemplars/types.js';
export { createInstruments } from './instruments.js';
export type { NegotiatedExposition } from './prometheus/negotiate.js';
export { negotiateExposition } from './prometheus/negotiate.js';
export type { ExpositionSettings } from './prometheus/serializer.js';
export {
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  PrometheusSerializer,
} from './prometheus/serializer.js';
export { setupMetrics } from './setup.js';
export type {
  DeclaredAttributes,
  DefineMetricsOptions,
  ExpositionFormat,
  HistogramOptions,
  InstrumentFactories,
  InstrumentFor,
  InstrumentOptions,
  InstrumentsOptions,
  InvalidNamePolicy,
  MetricDeclaration,
  MetricDefinitionJson,
  MetricInstruments,
  MetricsDefinition,
  MetricsDefinitionJson,
  MetricsExporter,
  MetricsHandle,
  MetricsOtlpOptions,
  MetricsRequestHandler,
  MetricValueType,
  PrometheusOptions,
  ResourceDefinitionJson,
  ScrapeOptions,
  SetupMetricsOptions,
  TemporalityPreference,
} from './types.js';
