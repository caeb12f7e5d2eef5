import type {
  RequestCellStore,
  RequestInstrumentDescription,
  RequestMetricsRecorder,
  RequestMetricsSpec,
} from '@datum-telemetry/config/request-cells';
import { ValueType } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type {
  IMetricReader,
  MetricDescriptor,
  MetricProducer,
  ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { AggregationType, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { ExemplarFilter } from '../exemplars/types.js';
import type { Reservoirs } from './accumulation.js';
import { BUCKET_RESERVOIR, COUNTER_RESERVOIR, NO_RESERVOIRS } from './accumulation.js';
import { CellProducer } from './producer.js';
import { CellRecorder } from './recorder.js';
import type { Series } from './storage.js';
import { Storage } from './storage.js';
import { onlyLimits, VIEW_DEFAULT_LIMIT, viewSelects } from './view-match.js';

/**
 * How the SDK would store an instrument: one storage per reader with that reader's limit (no View),
 * or one storage shared by every reader with the View's limit.
 */
type Plan =
  | { readonly shared: false; readonly limits: readonly number[] }
  | { readonly shared: true; readonly limit: number };

function samePlan(a: Plan, b: Plan): boolean {
  if (a.shared || b.shared) return a.shared && b.shared && a.limit === b.limit;
  return a.limits.length === b.limits.length && a.limits.every((l, i) => l === b.limits[i]);
}

/**
 * True when every reader reports counters and histograms in the same temporality: then the two
 * instruments can share accumulations, whose start times a delta reader moves.
 */
function sameTemporality(readers: readonly IMetricReader[]): boolean {
  return readers.every(
    (reader) =>
      reader.selectAggregationTemporality(InstrumentType.COUNTER) ===
      reader.selectAggregationTemporality(InstrumentType.HISTOGRAM),
  );
}

/** The SDK's explicit-bucket boundaries of an advice: sorted, without the infinite ones. */
function bucketBoundaries(advice: readonly number[]): number[] {
  const sorted = [...advice].sort((a, b) => a - b);
  const infinity = sorted.indexOf(Number.POSITIVE_INFINITY);
  return sorted.slice(
    sorted.lastIndexOf(Number.NEGATIVE_INFINITY) + 1,
    infinity === -1 ? undefined : infinity,
  );
}

/**
 * The request cells of one MeterProvider (`[REQUEST_CELLS]` of the providers `setupMetrics` and
 * `createTestMetrics` build): the middleware's request counter and duration histogram, aggregated
 * without hashing attributes per request, and handed to each reader through a `MetricProducer`
 * of its own. An instrument that a View does more to than limit its cardinality, or that a reader
 * aggregates otherwise than by default, stays with the SDK (the recorder says which).
 */
export class RequestCells implements RequestCellStore {
  private readonly producers: CellProducer[] = [];
  private readonly recorders = new Map<string, CellRecorder | undefined>();
  private closed = false;

  constructor(
    private readonly views: readonly ViewOptions[],
    private readonly resource: Resource,
    /** Which requests may give exemplars (`OTEL_METRICS_EXEMPLAR_FILTER`). */
    private readonly exemplarFilter: ExemplarFilter,
  ) {}

  /** Builds a reader whose `metricProducers` include these cells, seen in its own temporality. */
  attach<R extends IMetricReader>(build: (metricProducers: MetricProducer[]) => R): R {
    const producer = new CellProducer(this.resource);
    const reader = build([producer]);
    producer.bind(reader);
    this.producers.push(producer);
    return reader;
  }

  requestMetrics(spec: RequestMetricsSpec): RequestMetricsRecorder | undefined {
    if (this.closed) return undefined;
    const key = [spec.scope.name, spec.scope.version, spec.counter.name, spec.histogram.name].join(
      '\u0000',
    );
    if (!this.recorders.has(key)) this.recorders.set(key, this.build(spec));
    return this.recorders.get(key);
  }

  /** Stops recording (the provider is shutting down); readers can still collect what was kept. */
  close(): void {
    this.closed = true;
    for (const recorder of this.recorders.values()) recorder?.close();
  }

  private plan(
    type: InstrumentType,
    instrument: RequestInstrumentDescription,
    scope: RequestMetricsSpec['scope'],
  ): Plan | undefined {
    const readers: IMetricReader[] = [];
    for (const producer of this.producers) {
      const reader = producer.boundReader;
      if (reader === undefined || reader.selectAggregation(type).type !== AggregationType.DEFAULT) {
        return undefined;
      }
      readers.push(reader);
    }
    const selected = { ...instrument, type, meterName: scope.name, meterVersion: scope.version };
    const views = this.views.filter((view) => viewSelects(view, selected));
    if (views.length === 0) {
      return { shared: false, limits: readers.map((r) => r.selectCardinalityLimit(type)) };
    }
    if (views.length === 1 && onlyLimits(views[0]!)) {
      return { shared: true, limit: views[0]!.aggregationCardinalityLimit ?? VIEW_DEFAULT_LIMIT };
    }
    return undefined;
  }

  private build(spec: RequestMetricsSpec): CellRecorder | undefined {
    const counterPlan = this.plan(InstrumentType.COUNTER, spec.counter, spec.scope);
    const histogramPlan = this.plan(InstrumentType.HISTOGRAM, spec.histogram, spec.scope);
    if (counterPlan === undefined && histogramPlan === undefined) return undefined;
    const recorder = new CellRecorder(
      spec.scope,
      spec.keys,
      counterPlan !== undefined,
      histogramPlan !== undefined,
      () => this.held(recorder),
      this.exemplarFilter,
    );
    const keeps = (reservoirs: Reservoirs): Reservoirs =>
      this.exemplarFilter === 'always_off' ? NO_RESERVOIRS : reservoirs;
    const boundaries = bucketBoundaries(spec.histogram.boundaries);
    const counter: MetricDescriptor = {
      name: spec.counter.name,
      description: spec.counter.description,
      unit: spec.counter.unit,
      valueType: ValueType.DOUBLE,
    };
    const histogram: MetricDescriptor = {
      name: spec.histogram.name,
      description: spec.histogram.description,
      unit: spec.histogram.unit,
      valueType: ValueType.DOUBLE,
    };
    // Each storage with the producers (readers) that read it.
    const readBy = new Map<Storage, CellProducer[]>();
    const storages = (plan: Plan, bounds: readonly number[], reservoirs: Reservoirs): Storage[] => {
      const limits = plan.shared ? [plan.limit] : plan.limits;
      return limits.map((limit, i) => {
        const storage = new Storage(
          recorder.storages.length,
          limit,
          bounds,
          recorder.overflow,
          keeps(reservoirs),
        );
        recorder.storages.push(storage);
        readBy.set(storage, plan.shared ? this.producers : [this.producers[i]!]);
        return storage;
      });
    };
    // One accumulation per request serves both instruments when the SDK would store them alike.
    if (
      counterPlan !== undefined &&
      histogramPlan !== undefined &&
      samePlan(counterPlan, histogramPlan) &&
      sameTemporality(this.producers.flatMap((p) => p.boundReader ?? []))
    ) {
      const both = storages(histogramPlan, boundaries, BUCKET_RESERVOIR | COUNTER_RESERVOIR);
      recorder.streams.push({ descriptor: counter, type: InstrumentType.COUNTER, storages: both });
      recorder.streams.push({
        descriptor: histogram,
        type: InstrumentType.HISTOGRAM,
        storages: both,
      });
    } else {
      if (counterPlan !== undefined) {
        recorder.streams.push({
          descriptor: counter,
          type: InstrumentType.COUNTER,
          storages: storages(counterPlan, [], COUNTER_RESERVOIR),
        });
      }
      if (histogramPlan !== undefined) {
        recorder.streams.push({
          descriptor: histogram,
          type: InstrumentType.HISTOGRAM,
          storages: storages(histogramPlan, boundaries, BUCKET_RESERVOIR),
        });
      }
    }
    for (const [storage, producers] of readBy) {
      for (const producer of producers) producer.read(recorder, storage);
    }
    return recorder;
  }

  /** Every series a reader's state still holds for `recorder`. */
  private *held(recorder: CellRecorder): Iterable<Series> {
    for (const producer of this.producers) yield* producer.held(recorder);
  }
}
