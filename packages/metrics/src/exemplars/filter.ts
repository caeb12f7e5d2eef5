// The exemplar filter of the OpenTelemetry metrics SDK specification: which measurements may become
// exemplars. Ours carry the trace and span ids of the span they were recorded in, so a measurement
// without a valid span context never becomes one, whatever the filter.
import type { SpanContext } from '@opentelemetry/api';
import { isSpanContextValid, TraceFlags } from '@opentelemetry/api';
import type { ExemplarFilter } from './types.js';

/** The filters `OTEL_METRICS_EXEMPLAR_FILTER` and the `exemplarFilter` option take. */
export const EXEMPLAR_FILTERS: readonly ExemplarFilter[] = [
  'trace_based',
  'always_on',
  'always_off',
];

/** The specification's default: exemplars of measurements made in sampled spans. */
export const DEFAULT_EXEMPLAR_FILTER: ExemplarFilter = 'trace_based';

/**
 * True when a measurement made in `spanContext` may become an exemplar under `filter`:
 * `trace_based` wants a sampled span, `always_on` any span, and both valid ids; `always_off` none.
 * Callers check `always_off` before reading a span context at all.
 */
export function exemplarEligible(filter: ExemplarFilter, spanContext: SpanContext): boolean {
  if (filter === 'always_off') return false;
  if (filter === 'trace_based' && (spanContext.traceFlags & TraceFlags.SAMPLED) === 0) {
    return false;
  }
  return isSpanContextValid(spanContext);
}
