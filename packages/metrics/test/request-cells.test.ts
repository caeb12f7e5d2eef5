// The request cells against the SDK, as an oracle: the same random requests recorded through SDK
// instruments (an attributes object per request) and through the cells, read by the same kinds of
// readers collecting in the same random order, with `Date` under test control so that start and end
// times can be compared exactly. Every collected point must be the same. The cells' points also
// carry exemplars, which the SDK 3.1 has none of: the comparison leaves them out, and each is
// checked against the requests instead (a sampled span's measurement of that series, in its bucket,
// within the point's interval).

import type { RequestMetricsSpec } from '@datum-telemetry/config/request-cells';
import type { Attributes, SpanContext } from '@opentelemetry/api';
import { TraceFlags, ValueType } from '@opentelemetry/api';
import { defaultResource } from '@opentelemetry/resources';
import type {
  AggregationOption,
  DataPoint,
  Histogram,
  MetricData,
  MetricProducer,
  ViewOptions,
} from '@opentelemetry/sdk-metrics';
import {
  AggregationTemporality,
  AggregationType,
  InstrumentType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WithExemplars } from '../src/index.js';
import { RequestCells } from '../src/request-cells/store.js';

const SPEC: RequestMetricsSpec = {
  scope: { name: '@datum-telemetry/http', version: '9.9.9' },
  keys: {
    method: 'http.request.method',
    route: 'http.route',
    status: 'http.response.status_code',
    operation: 'operation',
  },
  counter: { name: 'compute.http.requests.total', description: 'Requests', unit: '{request}' },
  histogram: {
    name: 'compute.http.request.duration.seconds',
    description: 'Duration of requests',
    unit: 's',
    boundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
};

type Temporality = (type: InstrumentType) => AggregationTemporality;
const CUMULATIVE: Temporality = () => AggregationTemporality.CUMULATIVE;
const DELTA: Temporality = () => AggregationTemporality.DELTA;
/** Counters delta, histograms cumulative: the two instruments cannot share accumulations. */
const MIXED: Temporality = (type) =>
  type === InstrumentType.COUNTER
    ? AggregationTemporality.DELTA
    : AggregationTemporality.CUMULATIVE;

interface ReaderConfig {
  readonly temporality: Temporality;
  readonly limits?: Partial<Record<InstrumentType, number>>;
  readonly histogramAggregation?: AggregationOption;
}

class Reader extends MetricReader {
  constructor(config: ReaderConfig, metricProducers: MetricProducer[]) {
    super({
      aggregationTemporalitySelector: config.temporality,
      cardinalitySelector: (type) => config.limits?.[type] ?? 2000,
      aggregationSelector: (type) =>
        type === InstrumentType.HISTOGRAM && config.histogramAggregation !== undefined
          ? config.histogramAggregation
          : { type: AggregationType.DEFAULT },
      metricProducers,
    });
  }
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

/** A small seeded generator (mulberry32): the same sequence on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T =>
  items[Math.floor(next() * items.length)]!;

// Boundaries themselves (a value on a bound goes in the bucket below it), zero, tiny and huge ones.
const VALUES = [0, 1e-9, 0.005, 0.0051, 0.01, 0.02, 0.1, 0.25, 0.3, 1, 2.5, 7, 10, 10.5, 1e6];
const METHODS = ['GET', 'POST', 'DELETE', '_OTHER'];
const STATUSES = [200, 201, 404, 500, undefined];
const OPERATIONS = [undefined, 'Get', 'List'];

interface Point {
  attributes: Attributes;
  startTime: unknown;
  endTime: unknown;
  value: unknown;
}

function comparable(metric: MetricData | undefined) {
  if (metric === undefined) return undefined;
  const { descriptor, dataPoints, ...rest } = metric;
  return {
    ...rest,
    descriptor: {
      name: descriptor.name,
      description: descriptor.description,
      unit: descriptor.unit,
      valueType: descriptor.valueType,
    },
    dataPoints: (dataPoints as DataPoint<number | Histogram>[])
      .map(
        (p): Point => ({
          attributes: p.attributes,
          startTime: p.startTime,
          endTime: p.endTime,
          value: p.value,
        }),
      )
      .sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes))),
  };
}

/** A request the cells were given a span context for. */
interface Spanned {
  readonly attributes: Attributes;
  readonly value: number;
  readonly timeMs: number;
  /** Sampled, with valid ids: what the `trace_based` filter lets through. */
  readonly eligible: boolean;
}

/** A span context: sampled and valid, unsampled, with invalid ids, or none at all. */
function spanContextFor(next: () => number, id: number): SpanContext | undefined {
  const roll = next();
  if (roll < 0.1) return undefined;
  const traceId = id.toString(16).padStart(32, '0');
  const spanId = id.toString(16).padStart(16, '0');
  if (roll < 0.2) return { traceId: '0'.repeat(32), spanId, traceFlags: TraceFlags.SAMPLED };
  if (roll < 0.35) return { traceId, spanId, traceFlags: TraceFlags.NONE };
  return { traceId, spanId, traceFlags: TraceFlags.SAMPLED };
}

const sameAttributes = (a: Attributes, b: Attributes) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
const millis = ([s, ns]: readonly [number, number]) => s * 1000 + ns / 1e6;

/**
 * Checks the exemplars of one collected metric of the cells: at most one per bucket in bucket order
 * (histogram) or one per point (counter), each the measurement of a sampled span with valid ids,
 * of the point's series (or, on the overflow point, of the series its filtered attributes name),
 * in the bucket it is listed for, made within the point's interval. Returns how many it checked.
 */
function checkExemplars(metric: MetricData | undefined, spanned: ReadonlyMap<string, Spanned>) {
  let checked = 0;
  for (const point of (metric?.dataPoints ?? []) as (DataPoint<number | Histogram> &
    WithExemplars)[]) {
    const exemplars = point.exemplars;
    if (exemplars === undefined) continue;
    expect(exemplars.length).toBeGreaterThan(0);
    const overflow = point.attributes['otel.metric.overflow'] === true;
    let lastBucket = -1;
    for (const exemplar of exemplars) {
      const made = spanned.get(exemplar.spanId);
      expect(made?.eligible).toBe(true);
      expect(exemplar.traceId).toBe(exemplar.spanId.padStart(32, '0'));
      expect(
        sameAttributes(made!.attributes, overflow ? exemplar.filteredAttributes : point.attributes),
      ).toBe(true);
      if (!overflow) expect(exemplar.filteredAttributes).toEqual({});
      expect(millis(exemplar.time)).toBe(made!.timeMs);
      expect(made!.timeMs).toBeGreaterThanOrEqual(millis(point.startTime));
      expect(made!.timeMs).toBeLessThanOrEqual(millis(point.endTime));
      if (typeof point.value === 'number') {
        expect(exemplars).toHaveLength(1);
        expect(exemplar.value).toBe(1);
      } else {
        expect(exemplar.value).toBe(made!.value);
        const { boundaries, counts } = point.value.buckets;
        let bucket = boundaries.findIndex((bound) => exemplar.value <= bound);
        if (bucket === -1) bucket = boundaries.length;
        expect(bucket).toBeGreaterThan(lastBucket);
        expect(counts[bucket]).toBeGreaterThan(0);
        lastBucket = bucket;
      }
      checked++;
    }
  }
  return checked;
}

interface Scenario {
  readonly title: string;
  readonly readers: readonly ReaderConfig[];
  readonly views?: readonly ViewOptions[];
  /** How many distinct routes the requests use. */
  readonly routes: number;
  readonly steps: number;
  /** Which instruments the cells take (the others stay with the SDK). */
  readonly takes: { readonly counter: boolean; readonly histogram: boolean };
}

const SCENARIOS: readonly Scenario[] = [
  {
    title: 'a cumulative and a delta reader, limit 7',
    readers: [
      { temporality: CUMULATIVE, limits: { COUNTER: 7, HISTOGRAM: 7 } as never },
      { temporality: DELTA, limits: { COUNTER: 7, HISTOGRAM: 7 } as never },
    ],
    routes: 6,
    steps: 4000,
    takes: { counter: true, histogram: true },
  },
  {
    title: 'limits per instrument type, and counters and histograms in different temporalities',
    readers: [
      { temporality: MIXED, limits: { COUNTER: 4, HISTOGRAM: 9 } as never },
      { temporality: DELTA, limits: { COUNTER: 1, HISTOGRAM: 3 } as never },
    ],
    routes: 5,
    steps: 3000,
    takes: { counter: true, histogram: true },
  },
  {
    title: 'a limit-only View on the counter (one storage shared by both readers)',
    readers: [{ temporality: DELTA }, { temporality: CUMULATIVE }, { temporality: DELTA }],
    views: [{ instrumentName: 'compute.http.requests.total', aggregationCardinalityLimit: 5 }],
    routes: 5,
    steps: 4000,
    takes: { counter: true, histogram: true },
  },
  {
    title: 'a wildcard limit-only View on both',
    readers: [{ temporality: DELTA }, { temporality: CUMULATIVE }],
    views: [{ instrumentName: 'compute.http.*', aggregationCardinalityLimit: 6 }],
    routes: 5,
    steps: 3000,
    takes: { counter: true, histogram: true },
  },
  {
    title: 'a View that changes the histogram leaves it to the SDK',
    readers: [{ temporality: CUMULATIVE, limits: { COUNTER: 6 } as never }, { temporality: DELTA }],
    views: [{ instrumentName: '*.seconds', description: 'changed' }],
    routes: 4,
    steps: 1500,
    takes: { counter: true, histogram: false },
  },
  {
    title: 'a reader that aggregates histograms otherwise leaves them to the SDK',
    readers: [
      { temporality: DELTA, limits: { COUNTER: 5 } as never },
      {
        temporality: CUMULATIVE,
        histogramAggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ],
    routes: 4,
    steps: 1500,
    takes: { counter: true, histogram: false },
  },
  {
    title: 'thousands of distinct routes (the series index is swept) with delta readers',
    readers: [
      { temporality: DELTA, limits: { COUNTER: 40, HISTOGRAM: 40 } as never },
      { temporality: DELTA, limits: { COUNTER: 40, HISTOGRAM: 40 } as never },
    ],
    routes: 1_000_000,
    steps: 30_000,
    takes: { counter: true, histogram: true },
  },
];

let now = Date.UTC(2026, 0, 1);
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(now);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the request cells collect what the SDK instruments collect', () => {
  it.each(SCENARIOS)('$title', async (scenario) => {
    const views = [...(scenario.views ?? [])];
    const resource = defaultResource();

    const sdkReaders = scenario.readers.map((config) => new Reader(config, []));
    const sdkProvider = new MeterProvider({ resource, views, readers: sdkReaders });
    const meter = sdkProvider.getMeter(SPEC.scope.name, SPEC.scope.version);
    const counter = meter.createCounter(SPEC.counter.name, {
      description: SPEC.counter.description,
      unit: SPEC.counter.unit,
    });
    const histogram = meter.createHistogram(SPEC.histogram.name, {
      description: SPEC.histogram.description,
      unit: SPEC.histogram.unit,
      advice: { explicitBucketBoundaries: [...SPEC.histogram.boundaries] },
    });

    const cells = new RequestCells(views, resource, 'trace_based');
    const cellReaders = scenario.readers.map((config) =>
      cells.attach((producers) => new Reader(config, producers)),
    );
    // The readers need a provider to collect (its SDK data has none of these instruments).
    const cellProvider = new MeterProvider({ resource, views, readers: cellReaders });
    const recorder = cells.requestMetrics(SPEC);
    expect(recorder).toBeDefined();
    expect({ counter: recorder!.counter, histogram: recorder!.histogram }).toEqual(scenario.takes);
    expect(cells.requestMetrics({ ...SPEC })).toBe(recorder);

    const next = random(scenario.routes * 7919 + scenario.steps);
    // Span contexts from a generator of their own: the requests stay those of the SDK comparison.
    const nextSpan = random(scenario.steps);
    const spanned = new Map<string, Spanned>();
    let collections = 0;
    let overflowPoints = 0;
    let exemplarsChecked = 0;
    for (let step = 0; step < scenario.steps; step++) {
      const roll = next();
      if (roll < 0.04) {
        now += 1 + Math.floor(next() * 50);
        vi.setSystemTime(now);
        continue;
      }
      if (roll < 0.07) {
        const i = Math.floor(next() * scenario.readers.length);
        const [sdk, ours] = await Promise.all([
          sdkReaders[i]!.collect(),
          cellReaders[i]!.collect(),
        ]);
        const all = (r: typeof sdk) => r.resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
        for (const [name, taken] of [
          [SPEC.counter.name, scenario.takes.counter],
          [SPEC.histogram.name, scenario.takes.histogram],
        ] as const) {
          const expected = comparable(all(sdk).find((m) => m.descriptor.name === name));
          const actual = comparable(all(ours).find((m) => m.descriptor.name === name));
          if (!taken) {
            expect(actual).toBeUndefined();
            continue;
          }
          expect(actual).toEqual(expected);
          exemplarsChecked += checkExemplars(
            all(ours).find((m) => m.descriptor.name === name),
            spanned,
          );
          overflowPoints +=
            expected?.dataPoints.filter((p) => p.attributes['otel.metric.overflow'] === true)
              .length ?? 0;
        }
        const scopes = ours.resourceMetrics.scopeMetrics.map((s) => s.scope);
        for (const scope of scopes) expect(scope).toMatchObject(SPEC.scope);
        collections++;
        continue;
      }
      // With many routes, a few requests go to three series that delta readers hold between their
      // collections: index sweeps must keep them (a new series would lose its start time).
      const hot = scenario.routes > 100 && next() < 0.05;
      const route = hot
        ? `/hot/${Math.floor(next() * 3)}`
        : `/r/${Math.floor(next() * scenario.routes)}`;
      const method = hot ? 'GET' : pick(next, METHODS);
      const status = hot ? 200 : pick(next, STATUSES);
      const operation = hot ? undefined : pick(next, OPERATIONS);
      const value = pick(next, VALUES);
      const a: Attributes = { 'http.request.method': method, 'http.route': route };
      if (status !== undefined) a['http.response.status_code'] = status;
      if (operation !== undefined) a.operation = operation;
      counter.add(1, a);
      histogram.record(value, a);
      const spanContext = spanContextFor(nextSpan, step + 1);
      if (spanContext !== undefined) {
        spanned.set(spanContext.spanId, {
          attributes: a,
          value,
          timeMs: now,
          eligible:
            spanContext.traceFlags === TraceFlags.SAMPLED && /[^0]/.test(spanContext.traceId),
        });
      }
      recorder!.record(route, method, status, operation, value, spanContext);
    }
    expect(collections).toBeGreaterThan(10);
    expect(exemplarsChecked).toBeGreaterThan(collections);
    // Every scenario has more series than its smallest limit: the overflow series was compared.
    expect(overflowPoints).toBeGreaterThan(0);
    await Promise.all([sdkProvider.shutdown(), cellProvider.shutdown()]);
  });
});

describe('the cell store', () => {
  it('describes the instruments as the SDK does', async () => {
    const cells = new RequestCells([], defaultResource(), 'trace_based');
    const reader = cells.attach((producers) => new Reader({ temporality: CUMULATIVE }, producers));
    const provider = new MeterProvider({ readers: [reader] });
    cells.requestMetrics(SPEC)!.record('/x', 'GET', 200, undefined, 0.2);
    const { resourceMetrics } = await reader.collect();
    const [scope] = resourceMetrics.scopeMetrics;
    expect(scope?.scope).toEqual({ name: '@datum-telemetry/http', version: '9.9.9' });
    expect(scope?.metrics.map((m) => m.descriptor)).toEqual([
      {
        name: 'compute.http.requests.total',
        description: 'Requests',
        unit: '{request}',
        valueType: ValueType.DOUBLE,
      },
      {
        name: 'compute.http.request.duration.seconds',
        description: 'Duration of requests',
        unit: 's',
        valueType: ValueType.DOUBLE,
      },
    ]);
    await provider.shutdown();
  });

  it('records nothing more once closed, and gives no recorder then; what was recorded is still read', async () => {
    const cells = new RequestCells([], defaultResource(), 'trace_based');
    const reader = cells.attach((producers) => new Reader({ temporality: DELTA }, producers));
    const provider = new MeterProvider({ readers: [reader] });
    const recorder = cells.requestMetrics(SPEC)!;
    recorder.record('/x', 'GET', 200, undefined, 0.2);
    cells.close();
    recorder.record('/x', 'GET', 200, undefined, 0.2);
    expect(cells.requestMetrics({ ...SPEC, counter: { ...SPEC.counter, name: 'other' } })).toBe(
      undefined,
    );
    const { resourceMetrics } = await reader.collect();
    const points = resourceMetrics.scopeMetrics[0]!.metrics[0]!.dataPoints;
    expect(points.map((p) => p.value)).toEqual([1]);
    await provider.shutdown();
  });

  it('without readers, records cost nothing and nothing is kept', () => {
    const cells = new RequestCells([], defaultResource(), 'trace_based');
    const recorder = cells.requestMetrics(SPEC)!;
    expect(recorder.counter && recorder.histogram).toBe(true);
    for (let i = 0; i < 10_000; i++) recorder.record(`/r/${i}`, 'GET', 200, undefined, 0.1);
  });
});
