import type { Attributes } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { MetricExemplar } from './types.js';

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/**
 * One measurement an exemplar reservoir keeps. While its accumulation is current it is overwritten
 * in place (a reservoir allocates a slot once, then keeping another measurement allocates
 * nothing); once the accumulation is taken it is read-only, and the exemplar it makes is kept.
 */
export class ExemplarSlot {
  private exemplar: MetricExemplar | undefined;

  constructor(
    public value: number,
    public timeMs: number,
    public traceId: string,
    public spanId: string,
    /** The attributes of the series the measurement was recorded for. */
    public attributes: Attributes,
  ) {}

  set(value: number, timeMs: number, traceId: string, spanId: string, attributes: Attributes) {
    this.value = value;
    this.timeMs = timeMs;
    this.traceId = traceId;
    this.spanId = spanId;
    this.attributes = attributes;
  }

  /**
   * The exemplar on a point of the series with `pointAttributes`. A measurement of another series
   * (one the overflow series took past the cardinality limit) keeps that series' attributes as its
   * filtered attributes, so that the point's and the exemplar's together are the measurement's, as
   * the specification asks.
   */
  toExemplar(pointAttributes: Attributes): MetricExemplar {
    this.exemplar ??= {
      value: this.value,
      time: millisToHrTime(this.timeMs),
      // The API accepts upper-case hex in a span context; exemplars carry the canonical form.
      traceId: this.traceId.toLowerCase(),
      spanId: this.spanId.toLowerCase(),
      filteredAttributes: this.attributes === pointAttributes ? NO_ATTRIBUTES : this.attributes,
    };
    return this.exemplar;
  }
}
