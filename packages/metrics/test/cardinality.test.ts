import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsHandle } from '../src/index.js';
import { createInstruments, setupMetrics } from '../src/index.js';
import type { TestMetrics } from '../src/testing/index.js';
import { createTestMetrics } from '../src/testing/index.js';
import { parseExposition, samplesOf } from './support/exposition.js';

let t: TestMetrics | undefined;
let handle: MetricsHandle | undefined;
afterEach(async () => {
  await t?.shutdown();
  await handle?.shutdown();
  t = undefined;
  handle = undefined;
});

describe('the cardinality limit', () => {
  it('folds attribute sets beyond the limit into one overflow series', async () => {
    t = createTestMetrics({ cardinalityLimit: 50 });
    const counter = createInstruments(t.meter()).counter('compute.vm.requests.total', {
      attributes: ['vm'],
    });
    for (let i = 0; i < 1000; i++) counter.add(1, { vm: `vm-${i}` });

    const points = await t.getPoints('compute.vm.requests.total');
    expect(points.length).toBeGreaterThan(1);
    expect(points.length).toBeLessThanOrEqual(51);
    const overflow = points.filter((p) => p.attributes['otel.metric.overflow'] === true);
    expect(overflow).toHaveLength(1);
    // Nothing is lost: the overflow series holds every increment that did not get its own series.
    const total = points.reduce((sum, p) => sum + (p.value ?? 0), 0);
    expect(total).toBe(1000);
    expect(overflow[0]!.value).toBe(1000 - (points.length - 1));
  });

  it('takes a per-metric limit over the default', async () => {
    t = createTestMetrics({
      cardinalityLimit: 500,
      cardinalityLimits: { 'compute.vm.small.total': 10 },
    });
    const make = createInstruments(t.meter());
    const small = make.counter('compute.vm.small.total');
    const large = make.counter('compute.vm.large.total');
    for (let i = 0; i < 100; i++) {
      small.add(1, { i });
      large.add(1, { i });
    }
    expect((await t.getPoints('compute.vm.small.total')).length).toBeLessThanOrEqual(10);
    expect(
      await t.getPoints('compute.vm.small.total', { 'otel.metric.overflow': true }),
    ).toHaveLength(1);
    expect(await t.getPoints('compute.vm.large.total')).toHaveLength(100);
  });

  it('applies the limit to streams of user views too', async () => {
    t = createTestMetrics({
      cardinalityLimit: 20,
      views: [{ instrumentName: 'compute.vm.legacy.total', name: 'compute.vm.requests.total' }],
    });
    const counter = t.meter().createCounter('compute.vm.legacy.total');
    for (let i = 0; i < 100; i++) counter.add(1, { i });
    const points = await t.getPoints('compute.vm.requests.total');
    expect(points).toHaveLength(20);
    expect(points.filter((p) => p.attributes['otel.metric.overflow'] === true)).toHaveLength(1);
  });

  it('shows the overflow series on the Prometheus endpoint', async () => {
    handle = setupMetrics({
      prometheus: { port: 0 },
      cardinalityLimit: 50,
      env: {},
      register: false,
    });
    const histogram = handle
      .meter()
      .createHistogram('compute.vm.request.duration.seconds', { unit: 's' });
    for (let i = 0; i < 1000; i++) histogram.record(0.1, { route: `/vm/${i}` });
    await handle.ready;
    const families = parseExposition(await (await fetch(handle.prometheusUrl!)).text());
    const counts = samplesOf(families, 'compute_vm_request_duration_seconds').filter((s) =>
      s.name.endsWith('_count'),
    );
    expect(counts.length).toBeLessThanOrEqual(51);
    const overflow = counts.filter((s) => s.labels.otel_metric_overflow === 'true');
    expect(overflow).toHaveLength(1);
    expect(counts.reduce((sum, s) => sum + s.value, 0)).toBe(1000);
  });
});
