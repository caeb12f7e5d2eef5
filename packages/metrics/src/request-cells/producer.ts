import type { HrTime } from '@opentelemetry/api';
import { millisToHrTime } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type {
  CollectionResult,
  DataPoint,
  Histogram,
  IMetricReader,
  MetricData,
  MetricProducer,
  ScopeMetrics,
} from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { WithExemplars } from '../exemplars/types.js';
import type { Accumulation } from './accumulation.js';
import type { CellRecorder, CellStream } from './recorder.js';
import type { Delta, Pending, Series, Storage } from './storage.js';

/**
 * What one reader reported of one stream: the SDK's `TemporalMetricProcessor` for one collector.
 * Cumulative: every series since the start. Delta: the series of the last collection, whose next
 * points start at that collection.
 */
class StreamReport {
  private temporality: AggregationTemporality | undefined;
  private last = new Map<Series, Accumulation>();
  private lastTime: HrTime | undefined;

  constructor(readonly stream: CellStream) {}

  build(
    unreported: Map<Series, Accumulation>,
    reader: IMetricReader,
    collectionTime: HrTime,
  ): MetricData | undefined {
    let result: Map<Series, Accumulation>;
    if (this.temporality === undefined) {
      // Chosen at the first collection and kept, as the SDK does.
      this.temporality = reader.selectAggregationTemporality(this.stream.type);
      result = unreported;
    } else if (this.temporality === AggregationTemporality.CUMULATIVE) {
      result = this.last;
      for (const [series, acc] of unreported) {
        const before = result.get(series);
        result.set(series, before === undefined ? acc : before.merge(acc, 'later'));
      }
    } else {
      result = unreported;
      const since = this.lastTime!;
      // In place, as the SDK does: under a View, the readers of a storage share its accumulations,
      // so a delta reader's start time also shows in another reader's point made from the same one.
      for (const [series, acc] of result) if (this.last.has(series)) acc.startTime = since;
    }
    this.last = result;
    this.lastTime = collectionTime;
    if (result.size === 0) return undefined;
    return toMetricData(this.stream, this.temporality, result, collectionTime);
  }

  /** Series this report keeps (cumulative: all of them; delta: those of the last collection). */
  held(): Iterable<Series> {
    return this.last.keys();
  }
}

// A point carries `exemplars` only when it has some, so that a point without is the SDK's shape.

/** The counter's exemplar of a point, or none. */
function counterExemplars(acc: Accumulation, series: Series): WithExemplars {
  return acc.counterExemplar === undefined
    ? {}
    : { exemplars: acc.counterExemplarsOn(series.attributes) };
}

/** The histogram's exemplars of a point, in bucket order, or none. */
function bucketExemplars(acc: Accumulation, series: Series): WithExemplars {
  return acc.bucketExemplars === undefined
    ? {}
    : { exemplars: acc.bucketExemplarsOn(series.attributes) };
}

function toMetricData(
  stream: CellStream,
  temporality: AggregationTemporality,
  accs: Map<Series, Accumulation>,
  endTime: HrTime,
): MetricData {
  if (stream.type === InstrumentType.COUNTER) {
    const dataPoints: (DataPoint<number> & WithExemplars)[] = [];
    for (const [series, acc] of accs) {
      dataPoints.push({
        attributes: series.attributes,
        startTime: acc.startTime,
        endTime,
        value: acc.count,
        ...counterExemplars(acc, series),
      });
    }
    return {
      descriptor: stream.descriptor,
      aggregationTemporality: temporality,
      dataPointType: DataPointType.SUM,
      dataPoints,
      isMonotonic: true,
    };
  }
  const dataPoints: (DataPoint<Histogram> & WithExemplars)[] = [];
  for (const [series, acc] of accs) {
    dataPoints.push({
      attributes: series.attributes,
      startTime: acc.startTime,
      endTime,
      value: {
        min: acc.min,
        max: acc.max,
        sum: acc.sum,
        buckets: { boundaries: acc.boundaries as number[], counts: acc.counts },
        count: acc.count,
      },
      ...bucketExemplars(acc, series),
    });
  }
  return {
    descriptor: stream.descriptor,
    aggregationTemporality: temporality,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints,
  };
}

/** One storage as one reader reads it: its unread deltas and a report per stream. */
interface StorageRead {
  readonly storage: Storage;
  readonly pending: Pending;
  readonly reports: StreamReport[];
}

/** What a reader reads of one recorder. */
interface RecorderRead {
  readonly recorder: CellRecorder;
  readonly storages: StorageRead[];
}

function mergeDeltas(deltas: readonly Delta[]): Map<Series, Accumulation> {
  const merged = new Map<Series, Accumulation>();
  for (const delta of deltas) {
    for (const [series, acc] of delta) {
      const before = merged.get(series);
      merged.set(series, before === undefined ? acc : before.merge(acc, 'sameCycle'));
    }
  }
  return merged;
}

/**
 * The request cells as one SDK reader sees them: a `MetricProducer` given to the reader's
 * constructor (`metricProducers`), collected with the SDK's own data whenever the reader collects,
 * in the reader's temporality. One per reader, each with its own delta state.
 */
export class CellProducer implements MetricProducer {
  private reader: IMetricReader | undefined;
  private readonly reads: RecorderRead[] = [];

  constructor(private readonly resource: Resource) {}

  /** The reader this producer was given to; asked for temporality, limits and aggregation. */
  bind(reader: IMetricReader): void {
    this.reader = reader;
  }

  get boundReader(): IMetricReader | undefined {
    return this.reader;
  }

  /** Makes this producer read `storage`, for the streams of `recorder` that it holds. */
  read(recorder: CellRecorder, storage: Storage): void {
    let read = this.reads.find((r) => r.recorder === recorder);
    if (read === undefined) {
      read = { recorder, storages: [] };
      this.reads.push(read);
    }
    const pending: Pending = { deltas: [] };
    storage.pending.push(pending);
    const reports = recorder.streams
      .filter((stream) => stream.storages.includes(storage))
      .map((stream) => new StreamReport(stream));
    read.storages.push({ storage, pending, reports });
  }

  /** Every series this producer's reports keep for `recorder`. */
  *held(recorder: CellRecorder): Iterable<Series> {
    for (const read of this.reads) {
      if (read.recorder !== recorder) continue;
      for (const { reports } of read.storages) for (const report of reports) yield* report.held();
    }
  }

  collect(): Promise<CollectionResult> {
    const reader = this.reader;
    if (reader === undefined) {
      return Promise.resolve({
        resourceMetrics: { resource: this.resource, scopeMetrics: [] },
        errors: [],
      });
    }
    const collectionTime = millisToHrTime(Date.now());
    const scopes = new Map<string, ScopeMetrics>();
    for (const { recorder, storages } of this.reads) {
      const metrics: MetricData[] = [];
      for (const { storage, pending, reports } of storages) {
        storage.take();
        const unreported = mergeDeltas(pending.deltas);
        pending.deltas = [];
        for (const report of reports) {
          // Each report gets its own map: a cumulative one keeps it as its state.
          const data = report.build(new Map(unreported), reader, collectionTime);
          if (data !== undefined) metrics.push(data);
        }
      }
      if (metrics.length === 0) continue;
      const key = `${recorder.scope.name}\u0000${recorder.scope.version}`;
      let scope = scopes.get(key);
      if (scope === undefined) {
        scope = {
          scope: { name: recorder.scope.name, version: recorder.scope.version },
          metrics: [],
        };
        scopes.set(key, scope);
      }
      scope.metrics.push(...metrics);
    }
    return Promise.resolve({
      resourceMetrics: { resource: this.resource, scopeMetrics: [...scopes.values()] },
      errors: [],
    });
  }
}
