import type { HrTime } from '@opentelemetry/api';

/**
 * What one series recorded in one interval: the SDK's explicit-bucket histogram state (count, sum,
 * min, max, bucket counts, start time). The request counter of the same series reads `count`: it
 * adds 1 whenever the histogram records. Written only while it belongs to the current interval of
 * its storage (`epoch`); after that it is a snapshot that collections may share.
 */
export class Accumulation {
  count = 0;
  sum = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  constructor(
    public startTime: HrTime,
    readonly epoch: number,
    readonly boundaries: readonly number[],
    readonly counts: number[],
  ) {}

  static empty(startTime: HrTime, epoch: number, boundaries: readonly number[]): Accumulation {
    return new Accumulation(
      startTime,
      epoch,
      boundaries,
      new Array<number>(boundaries.length + 1).fill(0),
    );
  }

  record(value: number): void {
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    // The bucket whose upper bound is the first one >= value, as the SDK's binary search finds it.
    const b = this.boundaries;
    let i = 0;
    while (i < b.length && b[i]! < value) i++;
    this.counts[i]!++;
  }

  /** A new accumulation holding both, with `this`'s start time (the SDK aggregator's `merge`). */
  merge(other: Accumulation): Accumulation {
    const merged = new Accumulation(
      this.startTime,
      this.epoch,
      this.boundaries,
      this.counts.map((c, i) => c + other.counts[i]!),
    );
    merged.count = this.count + other.count;
    merged.sum = this.sum + other.sum;
    merged.min = Math.min(this.min, other.min);
    merged.max = Math.max(this.max, other.max);
    return merged;
  }
}
