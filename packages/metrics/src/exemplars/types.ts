// The shape of an exemplar on the data points this package hands to readers (issue 16). The
// OpenTelemetry JS SDK 3.1 has no exemplars in its metric data, so the data points our producers
// make carry them in an extra `exemplars` field with the fields of OTLP's `Exemplar` message; the
// Prometheus/OpenMetrics serializer and our OTLP metrics encoding read it, and readers that do not
// know it pass it through untouched.
import type { Attributes, HrTime } from '@opentelemetry/api';

/** One exemplar: a measurement recorded inside a sampled span. */
export interface MetricExemplar {
  /** The measurement. */
  readonly value: number;
  /** When it was recorded. */
  readonly time: HrTime;
  /** The span's trace id, 32 lowercase hex characters. */
  readonly traceId: string;
  /** The span's id, 16 lowercase hex characters. */
  readonly spanId: string;
  /** The measurement's attributes that the series does not have (after a View's filter); often `{}`. */
  readonly filteredAttributes: Attributes;
}

/**
 * A data point that may carry exemplars. For a histogram, at most one exemplar per bucket (the one
 * whose bucket holds its `value`); for a sum, at most one per series.
 */
export interface WithExemplars {
  readonly exemplars?: readonly MetricExemplar[];
}

/** Which measurements may become exemplars (`OTEL_METRICS_EXEMPLAR_FILTER`). */
export type ExemplarFilter = 'trace_based' | 'always_on' | 'always_off';
