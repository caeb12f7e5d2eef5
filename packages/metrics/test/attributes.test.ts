import { checkMetricName } from '@datum-telemetry/conventions';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createInstruments,
  defineMetrics,
  droppedAttributesMetricName,
  setupMetrics,
} from '../src/index.js';
import type { TestMetrics } from '../src/testing/index.js';
import { createTestMetrics } from '../src/testing/index.js';

let t: TestMetrics;
afterEach(async () => {
  await t?.shutdown();
});

describe('declared attributes', () => {
  it('drop undeclared keys and count each dropped key per metric', async () => {
    t = createTestMetrics();
    const make = createInstruments(t.meter());
    const requests = make.counter('compute.vm.requests.total', { attributes: ['method'] });
    const duration = make.histogram('compute.vm.request.duration.seconds', {
      attributes: ['method'],
    });
    for (let i = 0; i < 100; i++) {
      // A request id and a raw path are the classic series explosion.
      requests.add(1, { method: 'GET', requestId: `r-${i}`, path: `/vm/${i}` } as {
        method: string;
      });
    }
    requests.add(1, { method: 'POST' });
    duration.record(0.2, { method: 'GET', user: 'u' } as { method: string });

    expect(await t.getPoints('compute.vm.requests.total')).toEqual([
      { attributes: { method: 'GET' }, value: 100 },
      { attributes: { method: 'POST' }, value: 1 },
    ]);
    expect(await t.getPoints('compute.vm.request.duration.seconds')).toEqual([
      expect.objectContaining({ attributes: { method: 'GET' }, count: 1 }),
    ]);
    expect(droppedAttributesMetricName('compute')).toBe(
      'compute.telemetry.attributes.dropped.total',
    );
    // The self-metric follows the naming rules it enforces.
    expect(
      checkMetricName(droppedAttributesMetricName('compute'), {
        kind: 'counter',
        unit: '{attribute}',
        service: 'compute',
      }),
    ).toEqual([]);
    expect(await t.getPoints('compute.telemetry.attributes.dropped.total')).toEqual([
      { attributes: { metric: 'compute.vm.requests.total' }, value: 200 },
      { attributes: { metric: 'compute.vm.request.duration.seconds' }, value: 1 },
    ]);
  });

  it('are counted on the handle of setupMetrics, as droppedAttributes', async () => {
    const handle = setupMetrics({ exporter: 'none', register: false, env: {} });
    try {
      expect(handle.droppedAttributes).toBe(0);
      const requests = createInstruments(handle.meter('compute')).counter(
        'compute.vm.requests.total',
        { attributes: ['method'] },
      );
      requests.add(1, { method: 'GET', requestId: 'r-1', path: '/vm/1' } as { method: string });
      requests.add(1, { method: 'GET' });
      expect(handle.droppedAttributes).toBe(2);
      // A meter of another provider does not count towards this handle.
      t = createTestMetrics();
      createInstruments(t.meter())
        .counter('compute.vm.requests.total', { attributes: ['method'] })
        .add(1, { method: 'GET', user: 'u' } as { method: string });
      expect(handle.droppedAttributes).toBe(2);
    } finally {
      await handle.shutdown();
    }
  });

  it('record the caller attributes unchanged when every key is declared', async () => {
    t = createTestMetrics();
    const gauge = createInstruments(t.meter()).gauge('compute.vm.active', {
      attributes: ['zone', 'state'],
    });
    gauge.record(4, { zone: 'a', state: 'running' });
    gauge.record(1);
    expect(await t.getPoints('compute.vm.active')).toEqual([
      { attributes: { zone: 'a', state: 'running' }, value: 4 },
      { attributes: {}, value: 1 },
    ]);
    expect(await t.getMetric('compute.telemetry.attributes.dropped.total')).toBeUndefined();
  });

  it('filter what observable callbacks observe, and removeCallback stops them', async () => {
    t = createTestMetrics();
    const { memory } = defineMetrics({
      service: 'compute',
      metrics: {
        memory: {
          name: 'compute.vm.memory.bytes',
          kind: 'gauge',
          observable: true,
          attributes: ['vm'],
        },
      },
    }).create(t.meter());
    let calls = 0;
    const callback = (result: { observe(value: number, attributes?: { vm?: string }): void }) => {
      calls++;
      result.observe(10, { vm: 'a', pod: 'p-1' } as { vm: string });
    };
    memory.addCallback(callback);
    expect(await t.getPoints('compute.vm.memory.bytes')).toEqual([
      { attributes: { vm: 'a' }, value: 10 },
    ]);
    // Every collection runs the callback, and each run drops one key.
    const dropped = await t.getPoints('compute.telemetry.attributes.dropped.total');
    expect(dropped).toEqual([{ attributes: { metric: 'compute.vm.memory.bytes' }, value: calls }]);
    expect(calls).toBeGreaterThan(0);
    memory.removeCallback(callback);
    const before = calls;
    await t.collect();
    expect(calls).toBe(before);
  });

  it('of a definition default to none: every attribute of an undeclared metric is dropped', async () => {
    t = createTestMetrics();
    const { active } = defineMetrics({
      service: 'network',
      metrics: { active: { name: 'network.ip.allocated', kind: 'updowncounter' } },
    }).create(t.meter());
    active.add(1, { ip: '10.0.0.1' } as unknown as Record<string, never>);
    expect(await t.getPoints('network.ip.allocated')).toEqual([{ attributes: {}, value: 1 }]);
    expect(await t.getPoints('network.telemetry.attributes.dropped.total')).toEqual([
      { attributes: { metric: 'network.ip.allocated' }, value: 1 },
    ]);
  });
});
