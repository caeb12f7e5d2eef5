// The counters and histograms of `defineMetrics` / `createInstruments` that keep exemplars: the
// SDK's instrument records first (as it would alone), then the measurement is offered to the
// exemplar reservoirs, with the attributes the SDK got (after the attribute guard, if any).
import type { Attributes, Context, Counter, Histogram } from '@opentelemetry/api';
import type { AttributeGuard } from '../attribute-filter.js';
import type { OwnInstrument } from './own-instrument.js';

/** A counter that offers its measurements to `exemplars`. */
export function exemplarCounter(
  inner: Counter,
  guard: AttributeGuard | undefined,
  exemplars: OwnInstrument,
): Counter {
  return {
    add(value: number, attributes?: Attributes, context?: Context): void {
      const kept = guard === undefined ? attributes : guard.filter(attributes);
      inner.add(value, kept, context);
      exemplars.offer(value, kept, context);
    },
  };
}

/** A histogram that offers its measurements to `exemplars`. */
export function exemplarHistogram(
  inner: Histogram,
  guard: AttributeGuard | undefined,
  exemplars: OwnInstrument,
): Histogram {
  return {
    record(value: number, attributes?: Attributes, context?: Context): void {
      const kept = guard === undefined ? attributes : guard.filter(attributes);
      inner.record(value, kept, context);
      exemplars.offer(value, kept, context);
    },
  };
}
