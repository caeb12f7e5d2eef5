// The exemplars of one counter or histogram made by `defineMetrics` / `createInstruments`: what the
// recording wrappers offer (own-recording.ts) and what each reader attaches to the SDK's points of
// that instrument at collection (own-store.ts).
import type { Attributes, Context } from '@opentelemetry/api';
import { context, trace } from '@opentelemetry/api';
import { attributesKey } from '../attributes-key.js';
import { exemplarEligible } from './filter.js';
import { ExemplarReservoir } from './reservoir.js';
import { bucketIndex } from './select.js';
import type { ExemplarFilter, MetricExemplar } from './types.js';

const NO_ATTRIBUTES: Attributes = Object.freeze({});

/** The reservoirs of one series in one collection cycle of one reader. */
export class SeriesReservoir extends ExemplarReservoir {
  /**
   * Stands for the series: a slot offered these attributes has no filtered attributes. The
   * overflow series' is its own, so its slots keep the attributes of the measurement's series.
   */
  constructor(readonly attributes: Attributes) {
    super();
  }
}

/** The attributes of the series past the cardinality limit, as the SDK names it. */
export const OVERFLOW_SERIES: Attributes = Object.freeze({ 'otel.metric.overflow': true });
export const OVERFLOW_KEY = attributesKey(OVERFLOW_SERIES);

/**
 * One instrument as one reader sees it: the reservoirs of the current cycle, by series (at most
 * `limit - 1` series and the overflow series, where the SDK draws its line), and for a cumulative
 * reader the exemplars it keeps per series (at most `limit`).
 */
export class ReaderSeries {
  private interval = new Map<string, SeriesReservoir>();
  private overflow: SeriesReservoir | undefined;
  /** A cumulative reader's exemplars, kept from collection to collection. */
  readonly kept = new Map<string, readonly MetricExemplar[]>();

  constructor(
    readonly limit: number,
    private readonly buckets: number,
  ) {}

  offer(
    key: string,
    attributes: Attributes,
    bucket: number,
    value: number,
    timeMs: number,
    traceId: string,
    spanId: string,
  ): void {
    let reservoir = this.interval.get(key);
    let slotAttributes: Attributes;
    if (reservoir !== undefined) {
      slotAttributes = reservoir.attributes;
    } else if (this.interval.size < this.limit - 1) {
      reservoir = new SeriesReservoir(attributes);
      this.interval.set(key, reservoir);
      slotAttributes = attributes;
    } else {
      reservoir = this.overflow ??= new SeriesReservoir(OVERFLOW_SERIES);
      // A copy: the caller may reuse its attributes object after recording.
      slotAttributes = { ...attributes };
    }
    if (this.buckets > 0) {
      reservoir.offerBucket(this.buckets, bucket, value, timeMs, traceId, spanId, slotAttributes);
    } else {
      reservoir.offerSeries(value, timeMs, traceId, spanId, slotAttributes);
    }
  }

  /** The cycle's reservoirs by series key; the next cycle starts empty. */
  take(): Map<string, SeriesReservoir> {
    const taken = this.interval;
    if (this.overflow !== undefined) taken.set(OVERFLOW_KEY, this.overflow);
    this.interval = new Map();
    this.overflow = undefined;
    return taken;
  }
}

/** What identifies an instrument's data in a collection: its meter's scope and its name. */
export function instrumentKey(
  scope: { readonly name: string; readonly version?: string; readonly schemaUrl?: string },
  name: string,
): string {
  return [scope.name, scope.version ?? '', scope.schemaUrl ?? '', name.toLowerCase()].join(
    '\u0000',
  );
}

/**
 * A counter or histogram that keeps exemplars: offered each measurement after the SDK took it, it
 * keeps those the exemplar filter lets through, in the reservoirs of every reader.
 */
export class OwnInstrument {
  constructor(
    readonly key: string,
    readonly kind: 'counter' | 'histogram',
    /** The histogram's bucket boundaries (ascending, finite); empty for a counter. */
    readonly boundaries: readonly number[],
    private readonly integer: boolean,
    private readonly filter: ExemplarFilter,
    /** One per reader, in the order of the readers. */
    readonly readers: readonly ReaderSeries[],
  ) {}

  /**
   * Offers a measurement recorded in `ctx` (the active context when none is given, as the SDK
   * takes it). Never throws: an exemplar is not worth an error in the application.
   */
  offer(value: number, attributes: Attributes | undefined, ctx: Context | undefined): void {
    try {
      // What the SDK records: numbers, none negative for counters and histograms, integers
      // truncated for an int instrument.
      if (typeof value !== 'number' || !(value >= 0)) return;
      const spanContext = trace.getSpanContext(ctx ?? context.active());
      if (spanContext === undefined || !exemplarEligible(this.filter, spanContext)) return;
      const measured = this.integer ? Math.trunc(value) : value;
      const series = attributes ?? NO_ATTRIBUTES;
      const key = attributesKey(series);
      const bucket = this.kind === 'histogram' ? bucketIndex(this.boundaries, measured) : 0;
      const timeMs = Date.now();
      const { traceId, spanId } = spanContext;
      for (const reader of this.readers) {
        reader.offer(key, series, bucket, measured, timeMs, traceId, spanId);
      }
    } catch {
      // A span context or attributes object that throws when read gives no exemplar.
    }
  }
}
