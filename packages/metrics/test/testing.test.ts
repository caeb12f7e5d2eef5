import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createInstruments } from '../src/index.js';
import type { TestMetrics } from '../src/testing/index.js';
import {
  assertMetric,
  assertNoMetric,
  assertPoint,
  createTestMetrics,
} from '../src/testing/index.js';
import { parseExposition, samplesOf } from './support/exposition.js';

let t: TestMetrics;
afterEach(async () => {
  await t?.shutdown();
});

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

describe('createTestMetrics', () => {
  it('collects what was recorded since the last reset', async () => {
    t = createTestMetrics();
    const requests = createInstruments(t.meter()).counter('compute.vm.requests.total');
    requests.add(2, { code: '200' });
    expect(await t.getPoints('compute.vm.requests.total')).toEqual([
      { attributes: { code: '200' }, value: 2 },
    ]);
    requests.add(3, { code: '200' });
    requests.add(1, { code: '500' });
    // Collecting again adds up, like a cumulative backend.
    expect(await t.getPoints('compute.vm.requests.total', { code: '200' })).toEqual([
      { attributes: { code: '200' }, value: 5 },
    ]);
    await t.reset();
    expect(await t.getMetric('compute.vm.requests.total')).toBeUndefined();
    requests.add(1, { code: '200' });
    expect(await t.getPoints('compute.vm.requests.total')).toEqual([
      { attributes: { code: '200' }, value: 1 },
    ]);
  });

  it('adds up histograms and keeps the last gauge value', async () => {
    t = createTestMetrics();
    const make = createInstruments(t.meter());
    const duration = make.histogram('compute.vm.request.duration.seconds');
    const cpu = make.gauge('compute.vm.cpu.utilization.percent');
    duration.record(0.02);
    cpu.record(10);
    await t.collect();
    duration.record(3);
    cpu.record(30);
    const [point] = await t.getPoints('compute.vm.request.duration.seconds');
    expect(point).toMatchObject({ count: 2, sum: 3.02, min: 0.02, max: 3 });
    expect(point?.bucketCounts?.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await t.getPoints('compute.vm.cpu.utilization.percent')).toEqual([
      { attributes: {}, value: 30 },
    ]);
  });

  it('sees metrics of @opentelemetry/api users when registered', async () => {
    t = createTestMetrics({ register: true, service: 'compute' });
    metrics.getMeter('@datum-telemetry/http').createCounter('compute.vm.requests.total').add(1);
    const metric = await t.getMetric('compute.vm.requests.total');
    expect(metric).toMatchObject({ kind: 'counter', scope: { name: '@datum-telemetry/http' } });
    await t.shutdown();
    expect(metrics.getMeterProvider()).not.toBe(t.meterProvider);
  });

  it('gives the Prometheus exposition of what was recorded', async () => {
    t = createTestMetrics();
    createInstruments(t.meter()).counter('compute.vm.requests.total').add(4, { code: '200' });
    const families = parseExposition(await t.scrape());
    expect(samplesOf(families, 'compute_vm_requests_total')).toEqual([
      { name: 'compute_vm_requests_total', labels: { code: '200' }, value: 4 },
    ]);
    const collected = await t.collectResourceMetrics();
    expect(collected.resource.attributes['service.name']).toBe('test');
  });

  it('reports a throwing observable callback', async () => {
    t = createTestMetrics();
    t.meter()
      .createObservableGauge('compute.vm.broken')
      .addCallback(() => {
        throw new Error('callback failed');
      });
    await expect(t.collect()).rejects.toThrow(/observable callback threw/);
  });
});

describe('assertion helpers', () => {
  it('pass on matching metrics and return them', async () => {
    t = createTestMetrics();
    const make = createInstruments(t.meter());
    make.counter('compute.vm.requests.total', { unit: '{request}' }).add(2, { code: '200' });
    make.histogram('compute.vm.request.duration.seconds').record(0.3, { code: '200' });
    const metric = await assertMetric(t, 'compute.vm.requests.total', {
      kind: 'counter',
      unit: '{request}',
      points: [{ attributes: { code: '200' }, value: 2 }],
    });
    expect(metric.name).toBe('compute.vm.requests.total');
    const point = await assertPoint(
      t,
      'compute.vm.request.duration.seconds',
      { code: '200' },
      { count: 1, sum: 0.3 },
    );
    expect(point.count).toBe(1);
    await assertNoMetric(t, 'compute.vm.active');
  });

  it('throw readable errors with a diff', async () => {
    t = createTestMetrics();
    const requests = createInstruments(t.meter()).counter('compute.vm.requests.total');
    requests.add(2, { code: '200' });
    requests.add(1, { code: '503' });

    const missing = await assertMetric(t, 'compute.vm.active').catch(messageOf);
    expect(missing).toBe(
      'expected metric compute.vm.active to be recorded, but it was not; recorded: compute.vm.requests.total',
    );

    const wrong = await assertMetric(t, 'compute.vm.requests.total', {
      kind: 'updowncounter',
      points: [{ attributes: { code: '200' }, value: 3 }],
    }).catch(messageOf);
    expect(wrong).toContain('metric compute.vm.requests.total does not match:');
    expect(wrong).toContain('- expected\n+ actual');
    expect(wrong).toContain('-   "kind": "updowncounter"');
    expect(wrong).toContain('+   "kind": "counter"');
    expect(wrong).toContain('-       "value": 3');
    expect(wrong).toContain('+       "value": 2');
    // The series nobody expected shows up as added.
    expect(wrong).toContain('+         "code": "503"');

    const noSeries = await assertPoint(
      t,
      'compute.vm.requests.total',
      { code: '404' },
      { value: 1 },
    ).catch(messageOf);
    expect(noSeries).toContain('has no series with attributes { "code": "404" }');
    expect(noSeries).toContain('{ "code": "503" }');

    const badValue = await assertPoint(
      t,
      'compute.vm.requests.total',
      { code: '503' },
      { value: 2 },
    ).catch(messageOf);
    expect(badValue).toContain('-   "value": 2\n+   "value": 1');

    const present = await assertNoMetric(t, 'compute.vm.requests.total').catch(messageOf);
    expect(present).toContain('expected no metric compute.vm.requests.total, but it has 2 series');
  });
});
