// Exemplars on the service's own counters and histograms (`defineMetrics`, `createInstruments`),
// through `createTestMetrics()` (the provider of `setupMetrics` with a delta reader and the
// accumulator): recorded in a sampled span, an unsampled span or no span, under each filter, with
// bad span contexts and values, past the cardinality limit, under Views. Real tracing SDK spans,
// active through the real context manager.
import type { SpanContext } from '@opentelemetry/api';
import { TraceFlags } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExemplarFilter, MetricExemplar } from '../src/index.js';
import { createInstruments, defineMetrics } from '../src/index.js';
import type { TestMetrics } from '../src/testing/index.js';
import { createTestMetrics } from '../src/testing/index.js';
import { contextWith, inSpan, useContextManager } from './support/spans.js';

let disable: () => void;
beforeAll(() => {
  disable = useContextManager();
});
afterAll(() => disable());

const open: TestMetrics[] = [];
afterEach(async () => {
  for (const t of open.splice(0)) await t.shutdown();
});

function testMetrics(exemplarFilter?: ExemplarFilter, cardinalityLimit?: number): TestMetrics {
  const t = createTestMetrics({
    service: 'compute',
    ...(exemplarFilter === undefined ? {} : { exemplarFilter }),
    ...(cardinalityLimit === undefined ? {} : { cardinalityLimit }),
  });
  open.push(t);
  return t;
}

const computeMetrics = defineMetrics({
  service: 'compute',
  metrics: {
    reconciles: {
      name: 'compute.vm.reconciles.total',
      kind: 'counter',
      unit: '{reconcile}',
      description: 'Reconciliations',
      attributes: ['outcome'],
    },
    reconcileDuration: {
      name: 'compute.vm.reconcile.duration.seconds',
      kind: 'histogram',
      description: 'Duration of reconciliations',
      buckets: [0.1, 1, 10],
      attributes: ['outcome'],
    },
  },
});

/** The counter and histogram made both ways: by a definition, and by the factories. */
function bothWays(t: TestMetrics) {
  const defined = computeMetrics.create(t.meter());
  const make = createInstruments(t.meter('factories'), { service: 'compute' });
  return [
    {
      way: 'defineMetrics',
      counter: defined.reconciles,
      histogram: defined.reconcileDuration,
      counterName: 'compute.vm.reconciles.total',
      histogramName: 'compute.vm.reconcile.duration.seconds',
    },
    {
      way: 'createInstruments',
      counter: make.counter('compute.vm.deletes.total', { unit: '{delete}' }),
      histogram: make.histogram('compute.vm.delete.duration.seconds', { buckets: [0.1, 1, 10] }),
      counterName: 'compute.vm.deletes.total',
      histogramName: 'compute.vm.delete.duration.seconds',
    },
  ] as const;
}

function ids(exemplars: readonly MetricExemplar[] | undefined) {
  return (exemplars ?? []).map((e) => ({ traceId: e.traceId, spanId: e.spanId, value: e.value }));
}

describe('exemplars of defineMetrics and createInstruments instruments (trace_based)', () => {
  it('a sampled span gives one, with its ids, value and time; an unsampled span and no span give none', async () => {
    const t = testMetrics();
    for (const { way, counter, histogram, counterName, histogramName } of bothWays(t)) {
      const before = Date.now();
      const sampled = inSpan(true, () => {
        counter.add(2, { outcome: 'ok' });
        histogram.record(0.5, { outcome: 'ok' });
      });
      const after = Date.now();
      inSpan(false, () => {
        counter.add(1, { outcome: 'unsampled' });
        histogram.record(0.5, { outcome: 'unsampled' });
      });
      counter.add(1, { outcome: 'nospan' });
      histogram.record(0.5, { outcome: 'nospan' });

      const counterPoints = await t.getPoints(counterName);
      const ok = counterPoints.find((p) => p.attributes.outcome === 'ok');
      expect(ok, way).toMatchObject({ value: 2 });
      expect(ok!.exemplars, way).toEqual([
        {
          value: 2,
          time: expect.any(Array),
          traceId: sampled.traceId,
          spanId: sampled.spanId,
          filteredAttributes: {},
        },
      ]);
      const [seconds, nanos] = ok!.exemplars![0]!.time;
      const millis = seconds * 1000 + nanos / 1e6;
      expect(millis).toBeGreaterThanOrEqual(before - 1);
      expect(millis).toBeLessThanOrEqual(after + 1);
      for (const outcome of ['unsampled', 'nospan']) {
        const point = counterPoints.find((p) => p.attributes.outcome === outcome);
        expect(point, `${way} ${outcome}`).toMatchObject({ value: 1 });
        expect(point, `${way} ${outcome}`).not.toHaveProperty('exemplars');
      }

      const histogramPoints = await t.getPoints(histogramName);
      const okHistogram = histogramPoints.find((p) => p.attributes.outcome === 'ok')!;
      expect(okHistogram.bucketCounts, way).toEqual([0, 1, 0, 0]);
      expect(ids(okHistogram.exemplars), way).toEqual([
        { traceId: sampled.traceId, spanId: sampled.spanId, value: 0.5 },
      ]);
      for (const outcome of ['unsampled', 'nospan']) {
        const point = histogramPoints.find((p) => p.attributes.outcome === outcome);
        expect(point, `${way} ${outcome}`).toMatchObject({ count: 1 });
        expect(point, `${way} ${outcome}`).not.toHaveProperty('exemplars');
      }
    }
  });

  it('a histogram keeps the latest exemplar of each bucket; a counter one per series', async () => {
    const t = testMetrics();
    const { reconciles, reconcileDuration } = computeMetrics.create(t.meter());
    const fast = inSpan(true, () => reconcileDuration.record(0.05, { outcome: 'ok' }));
    const slow = inSpan(true, () => reconcileDuration.record(5, { outcome: 'ok' }));
    const slower = inSpan(true, () => reconcileDuration.record(7, { outcome: 'ok' }));
    const huge = inSpan(true, () => reconcileDuration.record(50, { outcome: 'ok' }));
    const [point] = await t.getPoints('compute.vm.reconcile.duration.seconds');
    expect(point!.bucketCounts).toEqual([1, 0, 2, 1]);
    // In bucket order: (..0.1], (1..10] (the later of 5 and 7), (10..+Inf).
    expect(ids(point!.exemplars)).toEqual([
      { traceId: fast.traceId, spanId: fast.spanId, value: 0.05 },
      { traceId: slower.traceId, spanId: slower.spanId, value: 7 },
      { traceId: huge.traceId, spanId: huge.spanId, value: 50 },
    ]);
    expect(slow.spanId).not.toBe(slower.spanId);

    const spans: SpanContext[] = [];
    for (let i = 0; i < 50; i++)
      spans.push(inSpan(true, () => reconciles.add(1, { outcome: 'ok' })));
    const [counter] = await t.getPoints('compute.vm.reconciles.total');
    expect(counter!.value).toBe(50);
    expect(counter!.exemplars).toHaveLength(1);
    expect(spans.map((s) => s.spanId)).toContain(counter!.exemplars![0]!.spanId);
  });

  it('takes the span of a context passed to add/record over the active one', async () => {
    const t = testMetrics();
    const { reconciles } = computeMetrics.create(t.meter());
    let explicit: SpanContext | undefined;
    const active = inSpan(true, () => {
      explicit = inSpan(true, () => {});
    });
    // Recorded outside any span, with the context of a (sampled) span passed explicitly.
    reconciles.add(1, { outcome: 'ok' }, contextWith(explicit!));
    const [point] = await t.getPoints('compute.vm.reconciles.total');
    expect(point!.exemplars![0]!.spanId).toBe(explicit!.spanId);
    expect(point!.exemplars![0]!.spanId).not.toBe(active.spanId);
  });

  it('keys exemplars by the attributes the SDK got: undeclared keys are dropped, not kept as filtered attributes', async () => {
    const t = testMetrics();
    const { reconciles } = computeMetrics.create(t.meter());
    const span = inSpan(true, () =>
      reconciles.add(1, { outcome: 'ok', vm: 'vm-123' } as unknown as { outcome: string }),
    );
    const [point] = await t.getPoints('compute.vm.reconciles.total');
    expect(point!.attributes).toEqual({ outcome: 'ok' });
    expect(point!.exemplars).toEqual([
      expect.objectContaining({ spanId: span.spanId, filteredAttributes: {} }),
    ]);
  });

  it('uses the SDK default buckets for a histogram that brings none', async () => {
    const t = testMetrics();
    const make = createInstruments(t.meter(), { service: 'compute' });
    const histogram = make.histogram('compute.vm.disk.size.bytes', { unit: 'By' });
    const span = inSpan(true, () => histogram.record(30));
    const [point] = await t.getPoints('compute.vm.disk.size.bytes');
    const bucket = point!.bucketCounts!.indexOf(1);
    expect(point!.explicitBounds![bucket]).toBe(50); // (25, 50]
    expect(ids(point!.exemplars)).toEqual([
      { traceId: span.traceId, spanId: span.spanId, value: 30 },
    ]);
  });

  it('a reset forgets them; a later collection brings only newer ones', async () => {
    const t = testMetrics();
    const { reconciles } = computeMetrics.create(t.meter());
    inSpan(true, () => reconciles.add(1, { outcome: 'ok' }));
    expect((await t.getPoints('compute.vm.reconciles.total'))[0]!.exemplars).toHaveLength(1);
    await t.reset();
    reconciles.add(1, { outcome: 'ok' });
    const [point] = await t.getPoints('compute.vm.reconciles.total');
    expect(point).toEqual({ attributes: { outcome: 'ok' }, value: 1 });
  });

  it('up-down counters, gauges and observables keep none', async () => {
    const t = testMetrics();
    const make = createInstruments(t.meter(), { service: 'compute' });
    const active = make.upDownCounter('compute.vm.active', { unit: '{vm}' });
    const cpu = make.gauge('compute.vm.cpu.utilization.percent');
    make.observableCounter('compute.vm.cpu.seconds.total').addCallback((r) => r.observe(7));
    inSpan(true, () => {
      active.add(1);
      cpu.record(50);
    });
    const metrics = await t.collect();
    expect(metrics.map((m) => m.name).sort()).toEqual([
      'compute.vm.active',
      'compute.vm.cpu.seconds.total',
      'compute.vm.cpu.utilization.percent',
    ]);
    for (const metric of metrics) {
      for (const point of metric.points) expect(point, metric.name).not.toHaveProperty('exemplars');
    }
  });
});

describe('the exemplar filter', () => {
  it('always_on also keeps unsampled spans, never a measurement without a span', async () => {
    const t = testMetrics('always_on');
    const { reconciles } = computeMetrics.create(t.meter());
    const unsampled = inSpan(false, () => reconciles.add(1, { outcome: 'unsampled' }));
    reconciles.add(1, { outcome: 'nospan' });
    const points = await t.getPoints('compute.vm.reconciles.total');
    expect(points.find((p) => p.attributes.outcome === 'unsampled')!.exemplars![0]!.spanId).toBe(
      unsampled.spanId,
    );
    expect(points.find((p) => p.attributes.outcome === 'nospan')).not.toHaveProperty('exemplars');
  });

  /** A span context that counts how often it is read. */
  function watchedSpanContext(): { spanContext: SpanContext; reads: () => number } {
    let reads = 0;
    const target: SpanContext = {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.SAMPLED,
    };
    const spanContext = new Proxy(target, {
      get(object, key, receiver) {
        reads++;
        return Reflect.get(object, key, receiver);
      },
    });
    return { spanContext, reads: () => reads };
  }

  it('always_off: the instruments are the SDK’s own and never read the span context', async () => {
    for (const filter of ['always_off', 'trace_based'] as const) {
      const t = testMetrics(filter);
      const watched = watchedSpanContext();
      const ctx = contextWith(watched.spanContext);
      const make = createInstruments(t.meter(), { service: 'compute' });
      const counter = make.counter('compute.vm.deletes.total', { unit: '{delete}' });
      const histogram = make.histogram('compute.vm.delete.duration.seconds');
      const { reconciles, reconcileDuration } = computeMetrics.create(t.meter());
      counter.add(1, {}, ctx);
      histogram.record(0.2, {}, ctx);
      reconciles.add(1, { outcome: 'ok' }, ctx);
      reconcileDuration.record(0.2, { outcome: 'ok' }, ctx);
      const metrics = await t.collect();
      const exemplars = metrics.flatMap((m) => m.points.flatMap((p) => p.exemplars ?? []));
      if (filter === 'always_off') {
        // The factories' instruments without declared attributes are the SDK's classes.
        expect(counter.constructor.name).toBe('CounterInstrument');
        expect(histogram.constructor.name).toBe('HistogramInstrument');
        expect(watched.reads()).toBe(0);
        expect(exemplars).toEqual([]);
      } else {
        // The same test can fail: with exemplars on, the span context is read.
        expect(counter.constructor.name).not.toBe('CounterInstrument');
        expect(watched.reads()).toBeGreaterThan(0);
        expect(exemplars).toHaveLength(4);
      }
    }
  });
});

describe('bad input', () => {
  const bad: [string, SpanContext][] = [
    ['all-zero trace id', { traceId: '0'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 }],
    ['all-zero span id', { traceId: 'a'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }],
    ['short trace id', { traceId: 'abc', spanId: 'b'.repeat(16), traceFlags: 1 }],
    ['non-hex span id', { traceId: 'a'.repeat(32), spanId: 'zzzzzzzzzzzzzzzz', traceFlags: 1 }],
    [
      'ids that are not strings',
      { traceId: 42, spanId: null, traceFlags: 1 } as unknown as SpanContext,
    ],
  ];

  it.each(bad)(
    'a span context with %s gives no exemplar; the measurement still counts',
    async (_, spanContext) => {
      const t = testMetrics('always_on');
      const { reconciles, reconcileDuration } = computeMetrics.create(t.meter());
      reconciles.add(1, { outcome: 'ok' }, contextWith(spanContext));
      reconcileDuration.record(0.5, { outcome: 'ok' }, contextWith(spanContext));
      expect(await t.getPoints('compute.vm.reconciles.total')).toEqual([
        { attributes: { outcome: 'ok' }, value: 1 },
      ]);
      const [histogram] = await t.getPoints('compute.vm.reconcile.duration.seconds');
      expect(histogram!.count).toBe(1);
      expect(histogram).not.toHaveProperty('exemplars');
    },
  );

  it('a span context that throws when read is safely ignored', async () => {
    const t = testMetrics();
    const { reconciles } = computeMetrics.create(t.meter());
    const throwing = new Proxy({} as SpanContext, {
      get() {
        throw new Error('boom');
      },
    });
    expect(() => reconciles.add(1, { outcome: 'ok' }, contextWith(throwing))).not.toThrow();
    expect(await t.getPoints('compute.vm.reconciles.total')).toEqual([
      { attributes: { outcome: 'ok' }, value: 1 },
    ]);
  });

  it('upper-case ids are kept in their canonical lower-case form', async () => {
    const t = testMetrics();
    const { reconciles } = computeMetrics.create(t.meter());
    const upper = { traceId: 'A'.repeat(32), spanId: 'B'.repeat(16), traceFlags: 1 };
    reconciles.add(1, { outcome: 'ok' }, contextWith(upper));
    const [point] = await t.getPoints('compute.vm.reconciles.total');
    expect(ids(point!.exemplars)).toEqual([
      { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), value: 1 },
    ]);
  });

  it('values the SDK drops (negative, NaN, not a number) give no exemplar', async () => {
    const t = testMetrics();
    const { reconciles, reconcileDuration } = computeMetrics.create(t.meter());
    inSpan(true, () => {
      reconciles.add(-1, { outcome: 'ok' });
      reconcileDuration.record(-1, { outcome: 'ok' });
      reconcileDuration.record(Number.NaN, { outcome: 'nan' });
      reconciles.add('3' as unknown as number, { outcome: 'string' });
    });
    const metrics = await t.collect();
    const exemplars = metrics.flatMap((m) => m.points.flatMap((p) => p.exemplars ?? []));
    expect(exemplars).toEqual([]);
  });
});

describe('bounds', () => {
  it('follows the cardinality limit: measurements of series past it go to the overflow series, with their attributes as filtered attributes', async () => {
    const t = testMetrics('trace_based', 3);
    const { reconciles } = computeMetrics.create(t.meter());
    const spans: SpanContext[] = [];
    for (let i = 0; i < 1000; i++) {
      spans.push(inSpan(true, () => reconciles.add(1, { outcome: `o${i}` })));
    }
    const points = await t.getPoints('compute.vm.reconciles.total');
    expect(points).toHaveLength(3);
    expect(points.flatMap((p) => p.exemplars ?? [])).toHaveLength(3);
    const overflow = points.find((p) => p.attributes['otel.metric.overflow'] === true)!;
    expect(overflow.value).toBe(998);
    const [exemplar] = overflow.exemplars!;
    const index = spans.findIndex((s) => s.spanId === exemplar!.spanId);
    expect(index).toBeGreaterThanOrEqual(2);
    expect(exemplar!.filteredAttributes).toEqual({ outcome: `o${index}` });
    for (const point of points.filter((p) => p !== overflow)) {
      expect(point.exemplars![0]!.filteredAttributes).toEqual({});
    }
  });
});

describe('many spans on one series', () => {
  it('100k sampled measurements over 20 collections: one exemplar per bucket, the latest', async () => {
    const t = testMetrics();
    const { reconcileDuration } = computeMetrics.create(t.meter());
    const values = [0.05, 0.5, 5, 50]; // one per bucket of [0.1, 1, 10]
    const latest: string[] = [];
    for (let collection = 0; collection < 20; collection++) {
      for (let i = 0; i < 5000; i++) {
        const n = collection * 5000 + i + 1;
        const spanContext = {
          traceId: n.toString(16).padStart(32, 'c'),
          spanId: n.toString(16).padStart(16, 'd'),
          traceFlags: TraceFlags.SAMPLED,
        };
        reconcileDuration.record(values[i % 4]!, { outcome: 'ok' }, contextWith(spanContext));
        latest[i % 4] = spanContext.spanId;
      }
      await t.collect();
    }
    const [point] = await t.getPoints('compute.vm.reconcile.duration.seconds');
    expect(point!.count).toBe(100_000);
    expect(point!.exemplars!.map((e) => [e.value, e.spanId])).toEqual(
      values.map((v, i) => [v, latest[i]]),
    );
  });
});

describe('scopes', () => {
  it('attaches exemplars to the points of the meter (name, version, schema URL) that recorded them', async () => {
    const t = testMetrics();
    const versioned = t.meterProvider.getMeter('compute-api', '1.2.3', {
      schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
    });
    const a = createInstruments(versioned, { service: 'compute' }).counter(
      'compute.vm.deletes.total',
      { unit: '{delete}' },
    );
    const b = createInstruments(t.meter('other'), { service: 'compute' }).counter(
      'compute.vm.deletes.total',
      { unit: '{delete}' },
    );
    const inA = inSpan(true, () => a.add(1));
    const inB = inSpan(true, () => b.add(1));
    const { scopeMetrics } = await t.collectResourceMetrics();
    const byScope = new Map(
      scopeMetrics.map((s) => [
        `${s.scope.name}@${s.scope.version}`,
        (s.metrics[0]!.dataPoints[0] as { exemplars?: MetricExemplar[] }).exemplars,
      ]),
    );
    expect(ids(byScope.get('compute-api@1.2.3'))).toEqual([
      { traceId: inA.traceId, spanId: inA.spanId, value: 1 },
    ]);
    expect(ids(byScope.get('other@'))).toEqual([
      { traceId: inB.traceId, spanId: inB.spanId, value: 1 },
    ]);
  });
});

describe('views', () => {
  it('a View that only limits cardinality keeps exemplars; one that renames or filters attributes drops them', async () => {
    const t = createTestMetrics({
      service: 'compute',
      views: [
        { instrumentName: 'compute.vm.reconciles.total', aggregationCardinalityLimit: 10 },
        { instrumentName: 'compute.vm.reconcile.duration.seconds', name: 'renamed.seconds' },
      ],
    });
    open.push(t);
    const { reconciles, reconcileDuration } = computeMetrics.create(t.meter());
    inSpan(true, () => {
      reconciles.add(1, { outcome: 'ok' });
      reconcileDuration.record(0.5, { outcome: 'ok' });
    });
    const [counter] = await t.getPoints('compute.vm.reconciles.total');
    expect(counter!.exemplars).toHaveLength(1);
    const [renamed] = await t.getPoints('renamed.seconds');
    expect(renamed!.count).toBe(1);
    expect(renamed).not.toHaveProperty('exemplars');
  });
});
