// A MetricProducer of our own that gives data points with exemplars, the way the request cells do:
// deltas since its last collection (the Prometheus reader sums them), per series one histogram with
// the latest exemplar of each bucket and one counter with the latest exemplar. It lets the
// exposition be tested on exemplars without the cells.
import { randomBytes } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { CollectionResult, MetricData, MetricProducer } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import { bucketIndex } from '../../src/exemplars/select.js';
import type { MetricExemplar } from '../../src/exemplars/types.js';

export interface SpanIds {
  readonly traceId: string;
  readonly spanId: string;
}

interface HistogramSeries {
  readonly attributes: Attributes;
  readonly counts: number[];
  sum: number;
  count: number;
  readonly exemplars: Map<number, MetricExemplar>;
}

interface CounterSeries {
  readonly attributes: Attributes;
  value: number;
  exemplar: MetricExemplar | undefined;
}

export interface ExemplarProducerOptions {
  readonly histogram?: string;
  readonly counter?: string;
  readonly boundaries?: number[];
  readonly scope?: string;
}

function keyOf(attributes: Attributes): string {
  return JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : 1)));
}

export class ExemplarProducer implements MetricProducer {
  readonly histogramName: string;
  readonly counterName: string;
  readonly boundaries: number[];
  private readonly scope: string;
  private histograms = new Map<string, HistogramSeries>();
  private counters = new Map<string, CounterSeries>();
  /** How many times a reader collected. */
  collections = 0;

  constructor(options: ExemplarProducerOptions = {}) {
    this.histogramName = options.histogram ?? 'compute.vm.request.duration.seconds';
    this.counterName = options.counter ?? 'compute.vm.requests.total';
    this.boundaries = options.boundaries ?? [0.005, 0.1, 1];
    this.scope = options.scope ?? 'exemplar-producer';
  }

  /**
   * One request: `seconds` into the histogram and 1 into the counter, with an exemplar when `span`
   * is given (as when the request ran in a sampled span). `exemplar` overrides its fields, to make
   * bad ones.
   */
  record(
    seconds: number,
    attributes: Attributes,
    span?: SpanIds,
    exemplar: Partial<MetricExemplar> = {},
  ): void {
    const key = keyOf(attributes);
    let histogram = this.histograms.get(key);
    if (histogram === undefined) {
      histogram = {
        attributes,
        counts: new Array<number>(this.boundaries.length + 1).fill(0),
        sum: 0,
        count: 0,
        exemplars: new Map(),
      };
      this.histograms.set(key, histogram);
    }
    const bucket = bucketIndex(this.boundaries, seconds);
    histogram.counts[bucket] = (histogram.counts[bucket] ?? 0) + 1;
    histogram.sum += seconds;
    histogram.count += 1;
    let counter = this.counters.get(key);
    if (counter === undefined) {
      counter = { attributes, value: 0, exemplar: undefined };
      this.counters.set(key, counter);
    }
    counter.value += 1;
    if (span === undefined) return;
    const now = Date.now();
    const made: MetricExemplar = {
      value: seconds,
      time: [Math.floor(now / 1000), (now % 1000) * 1_000_000],
      traceId: span.traceId,
      spanId: span.spanId,
      filteredAttributes: {},
      ...exemplar,
    };
    histogram.exemplars.set(bucket, made);
    counter.exemplar = { ...made, value: 1 };
  }

  async collect(): Promise<CollectionResult> {
    this.collections++;
    const now: [number, number] = [Math.floor(Date.now() / 1000), 0];
    const histogram: MetricData = {
      descriptor: {
        name: this.histogramName,
        description: 'Request latency',
        unit: 's',
        valueType: ValueType.DOUBLE,
      },
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints: [...this.histograms.values()].map((s) => ({
        attributes: s.attributes,
        startTime: now,
        endTime: now,
        value: {
          buckets: { boundaries: this.boundaries, counts: s.counts },
          sum: s.sum,
          count: s.count,
          min: 0,
          max: 0,
        },
        ...(s.exemplars.size === 0 ? {} : { exemplars: [...s.exemplars.values()] }),
      })),
    };
    const counter: MetricData = {
      descriptor: {
        name: this.counterName,
        description: 'Requests',
        unit: '{request}',
        valueType: ValueType.INT,
      },
      aggregationTemporality: AggregationTemporality.DELTA,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints: [...this.counters.values()].map((s) => ({
        attributes: s.attributes,
        startTime: now,
        endTime: now,
        value: s.value,
        ...(s.exemplar === undefined ? {} : { exemplars: [s.exemplar] }),
      })),
    };
    this.histograms = new Map();
    this.counters = new Map();
    return {
      resourceMetrics: {
        resource: resourceFromAttributes({}),
        scopeMetrics: [{ scope: { name: this.scope }, metrics: [histogram, counter] }],
      },
      errors: [],
    };
  }
}

/** Random valid span ids, as a sampled span has. */
export function randomSpan(): SpanIds {
  return { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
}
