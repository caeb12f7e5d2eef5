// The exemplar reservoirs of the OpenTelemetry metrics SDK specification, shared by the request
// cells (whose accumulations are reservoirs too) and the instruments of `defineMetrics` /
// `createInstruments` (own-instruments.ts).
import type { Attributes } from '@opentelemetry/api';
import { ExemplarSlot } from './slot.js';
import type { MetricExemplar } from './types.js';

/**
 * How a merge combines the exemplars of two reservoirs. `later`: each reservoir keeps the later
 * one's exemplar where it has one (a cumulative reader's state and a new interval: the reservoirs
 * start again at every collection, and the reader keeps its last exemplars). `sameCycle`: two
 * intervals that one reader collects at once (a storage shared by several readers): the counter's
 * exemplar is drawn from both in proportion to the measurements each was offered, so that the
 * reader's cycle is sampled uniformly, as one reservoir would have.
 */
export type ExemplarMerge = 'later' | 'sameCycle';

/**
 * Each bucket's slot from `after` where it has one, else from `before`. A plain loop over every
 * index: the arrays have holes (a bucket with no exemplar yet), which `map` would skip, losing
 * `after`'s exemplar of a bucket that `before` never had.
 */
function laterSlots(
  before: readonly (ExemplarSlot | undefined)[],
  after: readonly (ExemplarSlot | undefined)[],
): (ExemplarSlot | undefined)[] {
  const length = Math.max(before.length, after.length);
  const slots = new Array<ExemplarSlot | undefined>(length);
  for (let i = 0; i < length; i++) slots[i] = after[i] ?? before[i];
  return slots;
}

/**
 * The exemplars of one series in one collection cycle: a histogram's, one per bucket
 * (AlignedHistogramBucketExemplarReservoir), and a counter's, one for the series
 * (SimpleFixedSizeExemplarReservoir of size 1). Slots are made at the first exemplar, then written
 * over in place, so keeping another measurement allocates nothing.
 */
export class ExemplarReservoir {
  /** The histogram's exemplar of each bucket; made at the first exemplar. */
  bucketExemplars: (ExemplarSlot | undefined)[] | undefined;
  /** The counter's exemplar. */
  counterExemplar: ExemplarSlot | undefined;
  /** Measurements offered to the counter's reservoir in this cycle. */
  counterOffered = 0;

  /**
   * Keeps the last measurement of each bucket (the specification allows it instead of sampling
   * within the bucket, and it needs no random number). `buckets`: how many the histogram has.
   */
  offerBucket(
    buckets: number,
    bucket: number,
    value: number,
    timeMs: number,
    traceId: string,
    spanId: string,
    attributes: Attributes,
  ): void {
    let slots = this.bucketExemplars;
    if (slots === undefined) {
      slots = new Array<ExemplarSlot | undefined>(buckets);
      this.bucketExemplars = slots;
    }
    const slot = slots[bucket];
    if (slot === undefined) {
      slots[bucket] = new ExemplarSlot(value, timeMs, traceId, spanId, attributes);
    } else {
      slot.set(value, timeMs, traceId, spanId, attributes);
    }
  }

  /**
   * Keeps one measurement of the cycle, each offered one with the same chance (reservoir sampling:
   * the n-th replaces the kept one with probability 1/n).
   */
  offerSeries(
    value: number,
    timeMs: number,
    traceId: string,
    spanId: string,
    attributes: Attributes,
  ): void {
    const seen = ++this.counterOffered;
    const slot = this.counterExemplar;
    if (slot === undefined) {
      this.counterExemplar = new ExemplarSlot(value, timeMs, traceId, spanId, attributes);
    } else if (Math.random() * seen < 1) {
      slot.set(value, timeMs, traceId, spanId, attributes);
    }
  }

  /** Gives `into` the exemplars of `this` followed by `other`, combined as `how` says. */
  mergeExemplarsInto(into: ExemplarReservoir, other: ExemplarReservoir, how: ExemplarMerge): void {
    const before = this.bucketExemplars;
    const after = other.bucketExemplars;
    into.bucketExemplars =
      before === undefined || after === undefined ? (after ?? before) : laterSlots(before, after);

    if (how === 'later' || this.counterExemplar === undefined) {
      into.counterExemplar = other.counterExemplar ?? this.counterExemplar;
      into.counterOffered = other.counterOffered;
    } else {
      const offered = this.counterOffered + other.counterOffered;
      into.counterOffered = offered;
      into.counterExemplar =
        other.counterExemplar !== undefined && Math.random() * offered < other.counterOffered
          ? other.counterExemplar
          : this.counterExemplar;
    }
  }

  /** The histogram's exemplars in bucket order, on a point of the series with `pointAttributes`. */
  bucketExemplarsOn(pointAttributes: Attributes): MetricExemplar[] {
    const exemplars: MetricExemplar[] = [];
    const slots = this.bucketExemplars;
    if (slots !== undefined) {
      for (const slot of slots)
        if (slot !== undefined) exemplars.push(slot.toExemplar(pointAttributes));
    }
    return exemplars;
  }

  /** The counter's exemplar, on a point of the series with `pointAttributes`. */
  counterExemplarsOn(pointAttributes: Attributes): MetricExemplar[] {
    const slot = this.counterExemplar;
    return slot === undefined ? [] : [slot.toExemplar(pointAttributes)];
  }
}
