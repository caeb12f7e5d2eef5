/** How a metrics reader asks its exporter for temporality, per instrument kind. */
export type OtlpTemporalityPreference = 'cumulative' | 'delta' | 'lowmemory';

/** The SDK's `AggregationTemporality` values. */
const DELTA = 0;
const CUMULATIVE = 1;

/** Instrument kinds (the SDK's `InstrumentType` values) that `delta` asks deltas of. */
const DELTA_KINDS = new Set([
  'COUNTER',
  'OBSERVABLE_COUNTER',
  'GAUGE',
  'HISTOGRAM',
  'OBSERVABLE_GAUGE',
]);
/** Those that `lowmemory` asks deltas of: synchronous counters and histograms. */
const LOW_MEMORY_DELTA_KINDS = new Set(['COUNTER', 'HISTOGRAM']);

/**
 * The `selectAggregationTemporality` of a preference, as the stock OTLP metric exporters choose
 * (`CumulativeTemporalitySelector`, `DeltaTemporalitySelector`, `LowMemoryTemporalitySelector` of
 * `@opentelemetry/exporter-metrics-otlp-http` 0.301): `cumulative` for every instrument; `delta`
 * for all but up-down counters; `lowmemory` for synchronous counters and histograms only. Returns
 * the SDK's `AggregationTemporality` (0 delta, 1 cumulative).
 */
export function temporalitySelector(
  preference: OtlpTemporalityPreference,
): (instrumentType: string) => number {
  switch (preference) {
    case 'delta':
      return (instrumentType) => (DELTA_KINDS.has(instrumentType) ? DELTA : CUMULATIVE);
    case 'lowmemory':
      return (instrumentType) => (LOW_MEMORY_DELTA_KINDS.has(instrumentType) ? DELTA : CUMULATIVE);
    default:
      return () => CUMULATIVE;
  }
}

/** The OTLP `AggregationTemporality` of the SDK's: 1 delta, 2 cumulative, 0 unspecified. */
export function otlpTemporality(temporality: number): number {
  if (temporality === DELTA) return 1;
  if (temporality === CUMULATIVE) return 2;
  return 0;
}
