import type { Attributes } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { Reservoirs } from './accumulation.js';
import { Accumulation } from './accumulation.js';

/** One attribute set of a recorder: found by its parts, never by hashing its attributes. */
export interface Series {
  readonly attributes: Attributes;
  /** The accumulation of each storage of the recorder (by storage index); stale when its epoch is. */
  readonly accs: (Accumulation | undefined)[];
  readonly route: string;
  readonly method: string;
  readonly status: number | undefined;
  readonly operation: string | undefined;
}

/** What a storage recorded between two collections, by series, in the order they first came. */
export type Delta = ReadonlyMap<Series, Accumulation>;

/** The deltas a reader has not read yet. */
export interface Pending {
  deltas: Delta[];
}

/** The attributes of the series that takes every attribute set past the cardinality limit. */
export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/**
 * The SDK's delta processor for a recorder's instruments: the accumulations of the current interval,
 * at most `limit - 1` series and the overflow series (the SDK's `DeltaMetricProcessor`, whose limit
 * also counts only the series of the interval since the last collection). Without views it serves
 * one reader, as the SDK keeps one storage per reader; under a View it is shared by every reader
 * and each collection hands what it took to all of them (`pending`).
 */
export class Storage {
  /** Bumped by every collection: an accumulation of an older epoch is no longer written. */
  epoch = 0;
  private series: Series[] = [];
  private accs: Accumulation[] = [];
  private overflow: Accumulation | undefined;
  private readonly regularLimit: number;
  /** One per reader that reads this storage. */
  readonly pending: Pending[] = [];

  constructor(
    readonly index: number,
    limit: number,
    readonly boundaries: readonly number[],
    private readonly overflowSeries: Series,
    /** The exemplar reservoirs of the instruments that read this storage. */
    private readonly reservoirs: Reservoirs,
  ) {
    this.regularLimit = limit - 1;
  }

  /** The accumulation `series` records into in this interval (a new one, or the overflow one). */
  open(series: Series): Accumulation {
    let acc: Accumulation;
    if (this.series.length >= this.regularLimit) {
      acc = this.overflow ??= this.add(this.overflowSeries);
    } else {
      acc = this.add(series);
    }
    series.accs[this.index] = acc;
    return acc;
  }

  private add(series: Series): Accumulation {
    const acc = Accumulation.empty(
      millisToHrTime(Date.now()),
      this.epoch,
      this.boundaries,
      this.reservoirs,
    );
    this.series.push(series);
    this.accs.push(acc);
    return acc;
  }

  /** Ends the interval: what it recorded goes to every reader of the storage. */
  take(): void {
    if (this.series.length === 0) return;
    const delta = new Map<Series, Accumulation>();
    for (let i = 0; i < this.series.length; i++) delta.set(this.series[i]!, this.accs[i]!);
    this.epoch++;
    this.series = [];
    this.accs = [];
    this.overflow = undefined;
    for (const pending of this.pending) pending.deltas.push(delta);
  }

  /** Every series the storage still holds for this interval. */
  activeSeries(): readonly Series[] {
    return this.series;
  }
}
