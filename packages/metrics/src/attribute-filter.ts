import { droppedItemsMetricName } from '@datum-telemetry/conventions';
import type {
  Attributes,
  Context,
  Counter,
  Gauge,
  Histogram,
  Meter,
  Observable,
  ObservableCallback,
  ObservableResult,
  UpDownCounter,
} from '@opentelemetry/api';
import { attributeDropTally } from './meter-provider.js';

/**
 * Drops attribute keys that a metric did not declare and counts each drop, so an unplanned key (a
 * request id, a raw path) costs one counter increment instead of a new series per value.
 */
export class AttributeGuard {
  private readonly allowed: ReadonlySet<string>;
  private readonly droppedAttributes: Attributes;

  constructor(
    allowed: readonly string[],
    metricName: string,
    private readonly dropped: Counter,
  ) {
    this.allowed = new Set(allowed);
    // Made once: the drop counter's attributes are the same for every call of this metric.
    this.droppedAttributes = Object.freeze({ metric: metricName });
  }

  /**
   * The attributes to record. The common case (every key declared) returns the same object, so
   * the hot path allocates nothing.
   */
  filter(attributes: Attributes | undefined): Attributes | undefined {
    if (attributes === undefined) return attributes;
    for (const key in attributes) {
      if (!this.allowed.has(key)) return this.copyAllowed(attributes);
    }
    return attributes;
  }

  private copyAllowed(attributes: Attributes): Attributes {
    const kept: Attributes = {};
    let dropped = 0;
    for (const key in attributes) {
      if (this.allowed.has(key)) kept[key] = attributes[key];
      else dropped++;
    }
    this.dropped.add(dropped, this.droppedAttributes);
    return kept;
  }
}

/** A counter or up-down counter that records through an {@link AttributeGuard}. */
export function guardedAdder<T extends Counter | UpDownCounter>(
  inner: T,
  guard: AttributeGuard,
): T {
  return {
    add(value: number, attributes?: Attributes, context?: Context): void {
      inner.add(value, guard.filter(attributes), context);
    },
  } as T;
}

/** A histogram or gauge that records through an {@link AttributeGuard}. */
export function guardedRecorder<T extends Histogram | Gauge>(inner: T, guard: AttributeGuard): T {
  return {
    record(value: number, attributes?: Attributes, context?: Context): void {
      inner.record(value, guard.filter(attributes), context);
    },
  } as T;
}

/**
 * An observable whose callbacks observe through an {@link AttributeGuard}. Callbacks go through a
 * wrapper, so batch callbacks (`meter.addBatchObservableCallback`) cannot take it: give those the
 * instrument made without declared attributes.
 */
export function guardedObservable<T extends Observable>(inner: T, guard: AttributeGuard): T {
  const wrapped = new Map<ObservableCallback, ObservableCallback>();
  return {
    addCallback(callback: ObservableCallback): void {
      if (wrapped.has(callback)) return;
      const wrapper: ObservableCallback = (result: ObservableResult) =>
        callback({
          observe(value: number, attributes?: Attributes): void {
            result.observe(value, guard.filter(attributes));
          },
        });
      wrapped.set(callback, wrapper);
      inner.addCallback(wrapper);
    },
    removeCallback(callback: ObservableCallback): void {
      const wrapper = wrapped.get(callback);
      if (wrapper === undefined) return;
      wrapped.delete(callback);
      inner.removeCallback(wrapper);
    },
  } as T;
}

/** The name of the self-metric that counts dropped attributes for a service. */
export function droppedAttributesMetricName(service: string): string {
  return droppedItemsMetricName(service, 'attributes');
}

const dropCounters = new WeakMap<Meter, Map<string, Counter>>();

/** The drop counter of a service on a meter, made once per meter and service. */
export function droppedAttributesCounter(meter: Meter, service: string): Counter {
  let byService = dropCounters.get(meter);
  if (byService === undefined) {
    byService = new Map();
    dropCounters.set(meter, byService);
  }
  let counter = byService.get(service);
  if (counter === undefined) {
    const inner = meter.createCounter(droppedAttributesMetricName(service), {
      description:
        'Attributes dropped because the metric did not declare their key (label `metric` names the metric)',
      unit: '{attribute}',
    });
    // Also counted in `handle.droppedAttributes` when the meter comes from setupMetrics' provider.
    const tally = attributeDropTally(meter);
    counter =
      tally === undefined
        ? inner
        : {
            add(value, attributes, context) {
              tally.count += value;
              inner.add(value, attributes, context);
            },
          };
    byService.set(service, counter);
  }
  return counter;
}
