import type {
  RequestAttributeKeys,
  RequestMetricsRecorder,
} from '@datum-telemetry/config/request-cells';
import type { Attributes, SpanContext } from '@opentelemetry/api';
import type { InstrumentType, MetricDescriptor } from '@opentelemetry/sdk-metrics';
import { exemplarEligible } from '../exemplars/filter.js';
import type { ExemplarFilter } from '../exemplars/types.js';
import type { Series, Storage } from './storage.js';
import { OVERFLOW_ATTRIBUTES } from './storage.js';

/** One instrument the cells serve, and the storages (one per reader, or one shared) it reads. */
export interface CellStream {
  readonly descriptor: MetricDescriptor;
  /** `COUNTER`: the request counter (the accumulations' count); `HISTOGRAM`: the durations. */
  readonly type: InstrumentType.COUNTER | InstrumentType.HISTOGRAM;
  readonly storages: readonly Storage[];
}

type ByOperation = Map<string | undefined, Series>;
type ByStatus = Map<number | undefined, ByOperation>;
type ByMethod = Map<string, ByStatus>;

/** Past this many indexed series, series that hold no data any more are dropped from the index. */
const MIN_SWEEP = 4096;

/**
 * Records requests into the cells of a counter and a histogram: finds the series by route, method,
 * status and operation in nested Maps (no attributes object, no hashing per request), then adds the
 * duration to the series' accumulation in each storage, and offers it to their exemplar reservoirs
 * when the exemplar filter lets the request's span context through.
 */
export class CellRecorder implements RequestMetricsRecorder {
  readonly storages: Storage[] = [];
  readonly streams: CellStream[] = [];
  readonly overflow: Series;
  /** False under the `always_off` filter: the middleware then passes no span context. */
  readonly exemplars: boolean;
  private readonly index = new Map<string, ByMethod>();
  private indexed = 0;
  private sweepAt = MIN_SWEEP;
  private closed = false;

  constructor(
    readonly scope: { readonly name: string; readonly version: string },
    private readonly keys: RequestAttributeKeys,
    readonly counter: boolean,
    readonly histogram: boolean,
    /** Every series still held by a reader's state (for the index sweep). */
    private readonly heldByReaders: () => Iterable<Series>,
    private readonly exemplarFilter: ExemplarFilter,
  ) {
    this.exemplars = exemplarFilter !== 'always_off';
    this.overflow = {
      attributes: OVERFLOW_ATTRIBUTES,
      accs: [],
      route: '',
      method: '',
      status: undefined,
      operation: undefined,
    };
  }

  record(
    route: string,
    method: string,
    status: number | undefined,
    operation: string | undefined,
    seconds: number,
    spanContext?: SpanContext,
  ): void {
    const storages = this.storages;
    if (this.closed || storages.length === 0) return;
    const series = this.find(route, method, status, operation);
    // The span's ids when the request may give an exemplar. Under `always_off` the span context
    // is not read.
    let traceId: string | undefined;
    let spanId = '';
    let timeMs = 0;
    if (
      this.exemplars &&
      typeof spanContext === 'object' &&
      spanContext !== null &&
      exemplarEligible(this.exemplarFilter, spanContext)
    ) {
      traceId = spanContext.traceId;
      spanId = spanContext.spanId;
      timeMs = Date.now();
    }
    for (let i = 0; i < storages.length; i++) {
      const storage = storages[i]!;
      let acc = series.accs[i];
      if (acc === undefined || acc.epoch !== storage.epoch) acc = storage.open(series);
      const bucket = acc.record(seconds);
      if (traceId !== undefined) {
        acc.offer(bucket, seconds, timeMs, traceId, spanId, series.attributes);
      }
    }
  }

  /** Records nothing more (the provider is shut down); what was recorded can still be collected. */
  close(): void {
    this.closed = true;
  }

  private find(
    route: string,
    method: string,
    status: number | undefined,
    operation: string | undefined,
  ): Series {
    const byOperation = this.operations(route, method, status);
    let series = byOperation.get(operation);
    if (series === undefined) {
      series = this.create(route, method, status, operation);
      if (++this.indexed > this.sweepAt) this.sweep(series);
      else byOperation.set(operation, series);
    }
    return series;
  }

  /** The series of one route, method and status, by operation. */
  private operations(route: string, method: string, status: number | undefined): ByOperation {
    let byMethod = this.index.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      this.index.set(route, byMethod);
    }
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      byMethod.set(method, byStatus);
    }
    let byOperation = byStatus.get(status);
    if (byOperation === undefined) {
      byOperation = new Map();
      byStatus.set(status, byOperation);
    }
    return byOperation;
  }

  private create(
    route: string,
    method: string,
    status: number | undefined,
    operation: string | undefined,
  ): Series {
    // The attributes the SDK path records, in the same order.
    const attributes: Attributes = { [this.keys.method]: method, [this.keys.route]: route };
    if (status !== undefined) attributes[this.keys.status] = status;
    if (operation !== undefined) attributes[this.keys.operation] = operation;
    return { attributes: Object.freeze(attributes), accs: [], route, method, status, operation };
  }

  /**
   * Rebuilds the index from the series some storage or reader still holds, plus `adding`: a series
   * that holds nothing can be made again with the same attributes, so the index stays bounded
   * (by the cardinality limits) even for an application whose routes are not templates.
   */
  private sweep(adding: Series): void {
    this.index.clear();
    this.indexed = 0;
    const live = new Set<Series>([adding]);
    for (const storage of this.storages) {
      for (const series of storage.activeSeries()) live.add(series);
      for (const pending of storage.pending) {
        for (const delta of pending.deltas) for (const series of delta.keys()) live.add(series);
      }
    }
    for (const series of this.heldByReaders()) live.add(series);
    live.delete(this.overflow);
    for (const series of live) this.reindex(series);
    this.sweepAt = Math.max(MIN_SWEEP, 2 * this.indexed);
  }

  private reindex(series: Series): void {
    this.operations(series.route, series.method, series.status).set(series.operation, series);
    this.indexed++;
  }
}
