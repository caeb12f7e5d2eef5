// Exemplars of the request cells, read through real SDK readers: which span contexts give one (the
// exemplar filter), which measurement each reservoir keeps (the histogram's last one per bucket, the
// counter's one drawn uniformly from its collection cycle), when reservoirs start again (every
// collection; a cumulative reader keeps its last exemplars), the overflow series, and bounds.

import type { RequestMetricsSpec } from '@datum-telemetry/config/request-cells';
import type { HrTime, SpanContext } from '@opentelemetry/api';
import { TraceFlags } from '@opentelemetry/api';
import { defaultResource } from '@opentelemetry/resources';
import type {
  DataPoint,
  Histogram,
  InstrumentType,
  MetricProducer,
  ViewOptions,
} from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExemplarFilter, MetricExemplar, WithExemplars } from '../src/index.js';
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
    boundaries: [0.01, 0.1, 1],
  },
};

type Temporality = AggregationTemporality;
const { CUMULATIVE, DELTA } = AggregationTemporality;

class Reader extends MetricReader {
  constructor(temporality: Temporality, limit: number, metricProducers: MetricProducer[]) {
    super({
      aggregationTemporalitySelector: (_type: InstrumentType) => temporality,
      cardinalitySelector: () => limit,
      metricProducers,
    });
  }
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

type Point<T> = DataPoint<T> & WithExemplars;

interface Collected {
  counter: Point<number>[];
  histogram: Point<Histogram>[];
}

async function collect(reader: Reader): Promise<Collected> {
  const { resourceMetrics } = await reader.collect();
  const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
  const points = (name: string) => all.find((m) => m.descriptor.name === name)?.dataPoints ?? [];
  return {
    counter: points(SPEC.counter.name) as Point<number>[],
    histogram: points(SPEC.histogram.name) as Point<Histogram>[],
  };
}

interface Setup {
  readonly cells: RequestCells;
  readonly readers: Reader[];
  readonly record: (
    route: string,
    seconds: number,
    spanContext?: SpanContext,
    status?: number,
  ) => void;
  readonly exemplars: boolean;
}

const providers: MeterProvider[] = [];
afterEach(async () => {
  for (const provider of providers.splice(0)) await provider.shutdown();
});

function setup(
  filter: ExemplarFilter,
  readers: readonly { temporality: Temporality; limit?: number }[] = [{ temporality: DELTA }],
  views: ViewOptions[] = [],
): Setup {
  const cells = new RequestCells(views, defaultResource(), filter);
  const built = readers.map(({ temporality, limit }) =>
    cells.attach((producers) => new Reader(temporality, limit ?? 2000, producers)),
  );
  providers.push(new MeterProvider({ readers: built, views }));
  const recorder = cells.requestMetrics(SPEC)!;
  return {
    cells,
    readers: built,
    exemplars: recorder.exemplars === true,
    record: (route, seconds, spanContext, status = 200) =>
      recorder.record(route, 'GET', status, undefined, seconds, spanContext),
  };
}

let nextId = 1;
/** A span context with fresh, valid ids (lower-case hex, as the SDK makes them). */
function span(flags: number = TraceFlags.SAMPLED): SpanContext {
  const id = nextId++;
  return {
    traceId: id.toString(16).padStart(32, 'a'),
    spanId: id.toString(16).padStart(16, 'b'),
    traceFlags: flags,
  };
}

function ids(exemplars: readonly MetricExemplar[] | undefined): string[] {
  return (exemplars ?? []).map((e) => e.spanId);
}

const toMillis = (time: HrTime) => time[0] * 1000 + time[1] / 1e6;

describe('the exemplar filter', () => {
  it('trace_based keeps the measurements of sampled spans with valid ids, with their ids, value and time', async () => {
    const { record, readers, exemplars } = setup('trace_based');
    expect(exemplars).toBe(true);
    const sampled = span();
    const before = Date.now();
    record('/a', 0.05, sampled);
    const after = Date.now();
    const { counter, histogram } = await collect(readers[0]!);
    expect(counter[0]!.exemplars).toEqual([
      {
        value: 1,
        time: expect.any(Array),
        traceId: sampled.traceId,
        spanId: sampled.spanId,
        filteredAttributes: {},
      },
    ]);
    const [exemplar] = histogram[0]!.exemplars!;
    expect(exemplar).toMatchObject({
      value: 0.05,
      traceId: sampled.traceId,
      spanId: sampled.spanId,
      filteredAttributes: {},
    });
    expect(toMillis(exemplar!.time)).toBeGreaterThanOrEqual(before);
    expect(toMillis(exemplar!.time)).toBeLessThanOrEqual(after);
  });

  const NOT_KEPT: [string, SpanContext | undefined][] = [
    ['no span context', undefined],
    ['an unsampled span', span(TraceFlags.NONE)],
    [
      'the invalid span context',
      { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 },
    ],
    ['an all-zero span id', { traceId: 'a'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }],
    ['a short trace id', { traceId: 'abc', spanId: 'b'.repeat(16), traceFlags: 1 }],
    [
      'a trace id that is not hex',
      { traceId: 'z'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 },
    ],
    [
      'ids that are not strings',
      { traceId: 42, spanId: null, traceFlags: 1 } as unknown as SpanContext,
    ],
    ['a span context that is null', null as unknown as SpanContext],
  ];

  it.each(NOT_KEPT)(
    'trace_based keeps none from %s, and still counts the request',
    async (_what, spanContext) => {
      const { record, readers } = setup('trace_based');
      record('/a', 0.05, spanContext);
      const { counter, histogram } = await collect(readers[0]!);
      expect(counter[0]!.value).toBe(1);
      expect(histogram[0]!.value.count).toBe(1);
      expect(counter[0]).not.toHaveProperty('exemplars');
      expect(histogram[0]).not.toHaveProperty('exemplars');
    },
  );

  it('always_on keeps the measurements of unsampled spans too, but none without valid ids', async () => {
    const { record, readers } = setup('always_on');
    const unsampled = span(TraceFlags.NONE);
    record('/a', 0.05, unsampled);
    record('/b', 0.05, { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });
    record('/c', 0.05);
    const { counter, histogram } = await collect(readers[0]!);
    const byRoute = (points: Point<unknown>[], route: string) =>
      points.find((p) => p.attributes['http.route'] === route)?.exemplars;
    expect(ids(byRoute(counter, '/a'))).toEqual([unsampled.spanId]);
    expect(ids(byRoute(histogram, '/a'))).toEqual([unsampled.spanId]);
    for (const route of ['/b', '/c']) {
      expect(byRoute(counter, route)).toBeUndefined();
      expect(byRoute(histogram, route)).toBeUndefined();
    }
  });

  it('always_off keeps none and never reads the span context', async () => {
    const { record, readers, exemplars } = setup('always_off');
    expect(exemplars).toBe(false);
    let reads = 0;
    const watched = new Proxy(span(), {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    record('/a', 0.05, watched);
    expect(reads).toBe(0);
    const { counter, histogram } = await collect(readers[0]!);
    expect(counter[0]!.value).toBe(1);
    expect(counter[0]).not.toHaveProperty('exemplars');
    expect(histogram[0]).not.toHaveProperty('exemplars');
  });

  it('upper-case ids, which the API accepts, are exported in lower case', async () => {
    const { record, readers } = setup('trace_based');
    record('/a', 0.05, { traceId: 'AB'.repeat(16), spanId: 'CD'.repeat(8), traceFlags: 1 });
    const { histogram } = await collect(readers[0]!);
    expect(histogram[0]!.exemplars).toEqual([
      expect.objectContaining({ traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8) }),
    ]);
  });
});

describe('the reservoirs', () => {
  it('the histogram keeps the last measurement of each bucket, in bucket order; empty buckets have none', async () => {
    const { record, readers } = setup('trace_based');
    // Buckets: (-inf, 0.01], (0.01, 0.1], (0.1, 1], (1, +inf). A value on a bound goes below it.
    const first = span();
    const lastOfSecond = span();
    const lastOfFourth = span();
    record('/a', 0.05, first);
    record('/a', 7, span());
    record('/a', 0.1, lastOfSecond);
    record('/a', 0.02, span(TraceFlags.NONE)); // unsampled: not offered, the kept one stays
    record('/a', 3, lastOfFourth);
    const { histogram } = await collect(readers[0]!);
    const point = histogram[0]!;
    expect(point.value.buckets.counts).toEqual([0, 3, 0, 2]);
    expect(point.exemplars!.map((e) => [e.value, e.spanId])).toEqual([
      [0.1, lastOfSecond.spanId],
      [3, lastOfFourth.spanId],
    ]);
  });

  it("the counter's one exemplar is drawn uniformly from the measurements of the cycle", async () => {
    // Math.random from a seeded generator: the draw is the reservoir's, the outcome reproducible.
    const next = seeded(7);
    const random = vi.spyOn(Math, 'random').mockImplementation(next);
    try {
      const { record, readers } = setup('trace_based');
      const wins = [0, 0, 0, 0];
      const trials = 4000;
      for (let t = 0; t < trials; t++) {
        const spans = [span(), span(), span(), span()];
        for (const s of spans) record('/a', 0.05, s);
        const { counter } = await collect(readers[0]!);
        const [kept] = ids(counter[0]!.exemplars);
        wins[spans.findIndex((s) => s.spanId === kept)]!++;
      }
      // Each of 4 has chance 1/4: 1000 expected, the standard deviation is about 27.
      for (const w of wins) expect(Math.abs(w - trials / 4)).toBeLessThan(150);
    } finally {
      random.mockRestore();
    }
  });

  it('a storage shared by two readers (a View) keeps the draw uniform over the cycle of the reader that collects less often', async () => {
    const next = seeded(11);
    const random = vi.spyOn(Math, 'random').mockImplementation(next);
    try {
      const { record, readers } = setup(
        'trace_based',
        [{ temporality: DELTA }, { temporality: DELTA }],
        [{ instrumentName: 'compute.http.*', aggregationCardinalityLimit: 50 }],
      );
      const [often, seldom] = readers as [Reader, Reader];
      const wins = [0, 0, 0, 0];
      const trials = 4000;
      for (let t = 0; t < trials; t++) {
        const spans = [span(), span(), span(), span()];
        // One measurement, a collection by the other reader, then three: `seldom` sees both
        // intervals at once, and each of the four must have the same chance.
        record('/a', 0.05, spans[0]);
        await often.collect();
        for (const s of spans.slice(1)) record('/a', 0.05, s);
        await often.collect();
        const { counter } = await collect(seldom);
        const [kept] = ids(counter[0]!.exemplars);
        wins[spans.findIndex((s) => s.spanId === kept)]!++;
      }
      for (const w of wins) expect(Math.abs(w - trials / 4)).toBeLessThan(150);
    } finally {
      random.mockRestore();
    }
  });

  it('a delta reader starts its reservoirs again at each collection; a cumulative one keeps its last exemplars', async () => {
    const { record, readers } = setup('trace_based', [
      { temporality: DELTA },
      { temporality: CUMULATIVE },
    ]);
    const [delta, cumulative] = readers as [Reader, Reader];
    const early = span();
    const lowEarly = span();
    record('/a', 0.05, early);
    record('/a', 0.001, lowEarly);
    await collect(delta);
    await collect(cumulative);

    // Measurements without a sampled span: the delta reader gets none; the cumulative keeps its.
    record('/a', 0.06, span(TraceFlags.NONE));
    let d = await collect(delta);
    let c = await collect(cumulative);
    expect(d.histogram[0]!.value.count).toBe(1);
    expect(d.histogram[0]).not.toHaveProperty('exemplars');
    expect(d.counter[0]).not.toHaveProperty('exemplars');
    expect(ids(c.histogram[0]!.exemplars)).toEqual([lowEarly.spanId, early.spanId]);
    expect(ids(c.counter[0]!.exemplars)).toHaveLength(1);
    expect([early.spanId, lowEarly.spanId]).toContain(ids(c.counter[0]!.exemplars)[0]);

    // A new one in the second bucket replaces the cumulative reader's there; the first stays.
    const late = span();
    record('/a', 0.07, late);
    d = await collect(delta);
    c = await collect(cumulative);
    expect(ids(d.histogram[0]!.exemplars)).toEqual([late.spanId]);
    expect(ids(d.counter[0]!.exemplars)).toEqual([late.spanId]);
    expect(ids(c.histogram[0]!.exemplars)).toEqual([lowEarly.spanId, late.spanId]);
    expect(ids(c.counter[0]!.exemplars)).toEqual([late.spanId]);
    // Every exemplar lies within its point's interval.
    for (const point of [...d.histogram, ...c.histogram, ...d.counter, ...c.counter]) {
      for (const e of point.exemplars ?? []) {
        expect(toMillis(e.time)).toBeGreaterThanOrEqual(toMillis(point.startTime));
        expect(toMillis(e.time)).toBeLessThanOrEqual(toMillis(point.endTime));
      }
    }
  });

  it('the overflow series keeps exemplars too, each with the attributes of the series it came from', async () => {
    // Limit 3: two series, then the overflow series.
    const { record, readers } = setup('trace_based', [{ temporality: DELTA, limit: 3 }]);
    record('/a', 0.05, span());
    record('/b', 0.05, span());
    const c = span();
    const d = span();
    record('/c', 0.05, c);
    record('/d', 0.5, d, 503);
    const { counter, histogram } = await collect(readers[0]!);
    const overflow = histogram.find((p) => p.attributes['otel.metric.overflow'] === true)!;
    expect(overflow.value.count).toBe(2);
    expect(overflow.exemplars).toEqual([
      expect.objectContaining({
        spanId: c.spanId,
        filteredAttributes: {
          'http.request.method': 'GET',
          'http.route': '/c',
          'http.response.status_code': 200,
        },
      }),
      expect.objectContaining({
        spanId: d.spanId,
        filteredAttributes: {
          'http.request.method': 'GET',
          'http.route': '/d',
          'http.response.status_code': 503,
        },
      }),
    ]);
    const overflowCount = counter.find((p) => p.attributes['otel.metric.overflow'] === true)!;
    expect(overflowCount.exemplars).toHaveLength(1);
    expect([c.spanId, d.spanId]).toContain(overflowCount.exemplars![0]!.spanId);
    // The regular series' exemplars have nothing to add to their point's attributes.
    for (const point of histogram.filter((p) => p !== overflow)) {
      expect(point.exemplars!.map((e) => e.filteredAttributes)).toEqual([{}]);
    }
  });

  it('a cumulative reader keeps the exemplar of a bucket first hit after its first collection (every bucket with a count has one)', async () => {
    // Before, the cumulative merge walked the earlier exemplars with `map`, which skips the
    // buckets that had none yet: the slow request of the second interval lost its exemplar.
    const { record, readers } = setup('trace_based', [
      { temporality: CUMULATIVE },
      { temporality: CUMULATIVE },
    ]);
    const fast = span();
    record('/a', 0.05, fast);
    await collect(readers[0]!);
    const slow = span();
    const middle = span();
    record('/a', 5, slow);
    record('/a', 0.5, middle);
    for (const reader of readers) {
      const { histogram } = await collect(reader);
      const point = histogram[0]!;
      expect(point.value.buckets.counts).toEqual([0, 1, 1, 1]);
      expect(ids(point.exemplars)).toEqual([fast.spanId, middle.spanId, slow.spanId]);
    }
    // A third interval with only the first bucket: the others keep theirs.
    const tiny = span();
    record('/a', 0.001, tiny);
    const { histogram } = await collect(readers[0]!);
    expect(ids(histogram[0]!.exemplars)).toEqual([
      tiny.spanId,
      fast.spanId,
      middle.spanId,
      slow.spanId,
    ]);
  });

  it('100 000 distinct sampled spans on one series: one exemplar per bucket and one on the counter, each the last or one of them, and the reservoirs do not grow', async () => {
    const { record, readers, cells } = setup('trace_based', [
      { temporality: CUMULATIVE },
      { temporality: DELTA },
    ]);
    const values = [0.005, 0.05, 0.5, 5];
    const lastOf = new Map<number, string>();
    const all = new Set<string>();
    let slotsAfterFirstRound: unknown[] | undefined;
    for (let i = 0; i < 100_000; i++) {
      const s = span();
      const bucket = i % values.length;
      record('/a', values[bucket]!, s);
      lastOf.set(bucket, s.spanId);
      all.add(s.spanId);
      if (i === values.length - 1) slotsAfterFirstRound = reservoirSlots(cells);
    }
    // The same slot objects, overwritten in place: no allocation per kept measurement.
    const slots = reservoirSlots(cells);
    expect(slots).toHaveLength(2 * (4 + 1));
    expect(slots.every((slot, i) => slot === slotsAfterFirstRound![i])).toBe(true);
    for (const reader of readers) {
      const { counter, histogram } = await collect(reader);
      expect(histogram[0]!.value.count).toBe(100_000);
      expect(ids(histogram[0]!.exemplars)).toEqual([0, 1, 2, 3].map((b) => lastOf.get(b)));
      expect(counter[0]!.exemplars).toHaveLength(1);
      expect(all.has(counter[0]!.exemplars![0]!.spanId)).toBe(true);
    }
  });
});

/** The exemplar slots the cells' current accumulations hold (each storage: buckets, then counter). */
function reservoirSlots(cells: RequestCells): unknown[] {
  interface Acc {
    bucketExemplars?: unknown[];
    counterExemplar?: unknown;
  }
  const recorders = (cells as unknown as { recorders: Map<string, { storages: unknown[] }> })
    .recorders;
  const slots: unknown[] = [];
  for (const storage of [...recorders.values()][0]!.storages) {
    for (const acc of (storage as { accs: Acc[] }).accs) {
      slots.push(...(acc.bucketExemplars ?? []).filter((s) => s !== undefined));
      if (acc.counterExemplar !== undefined) slots.push(acc.counterExemplar);
    }
  }
  return slots;
}

/** A small seeded generator (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
