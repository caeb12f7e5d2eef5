import { ConfigError } from '@datum-telemetry/config';
import { ConventionError } from '@datum-telemetry/conventions';
import { afterEach, describe, expect, it } from 'vitest';
import { createInstruments, DEFAULT_SECONDS_BUCKETS } from '../src/index.js';
import type { TestMetrics } from '../src/testing/index.js';
import { createTestMetrics } from '../src/testing/index.js';
import { captureDiag } from './support/diag.js';

let t: TestMetrics;
afterEach(async () => {
  await t?.shutdown();
});

function conventionError(fn: () => unknown): ConventionError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConventionError) return error;
    throw error;
  }
  throw new Error('expected a ConventionError');
}

describe('instrument factories', () => {
  it('make every kind of instrument for valid names, and what they record is collected', async () => {
    t = createTestMetrics();
    const make = createInstruments(t.meter(), { service: 'compute' });
    make.counter('compute.vm.requests.total', { unit: '{request}', valueType: 'int' }).add(2);
    make.upDownCounter('compute.vm.active', { unit: '{vm}' }).add(3);
    make.gauge('compute.vm.cpu.utilization.percent').record(42);
    make.histogram('compute.vm.request.duration.seconds').record(0.2);
    make.observableGauge('compute.vm.memory.bytes').addCallback((r) => r.observe(1024));
    make.observableCounter('compute.vm.cpu.seconds.total').addCallback((r) => r.observe(7));
    make.observableUpDownCounter('compute.vm.pending').addCallback((r) => r.observe(-1));

    const collected = await t.collect();
    const byName = Object.fromEntries(collected.map((m) => [m.name, m]));
    expect(byName['compute.vm.requests.total']).toMatchObject({
      kind: 'counter',
      unit: '{request}',
      valueType: 'int',
      points: [{ attributes: {}, value: 2 }],
    });
    expect(byName['compute.vm.active']).toMatchObject({
      kind: 'updowncounter',
      points: [{ value: 3 }],
    });
    expect(byName['compute.vm.cpu.utilization.percent']).toMatchObject({
      kind: 'gauge',
      unit: '%',
      points: [{ value: 42 }],
    });
    expect(byName['compute.vm.memory.bytes']).toMatchObject({
      kind: 'gauge',
      unit: 'By',
      points: [{ value: 1024 }],
    });
    expect(byName['compute.vm.cpu.seconds.total']).toMatchObject({
      kind: 'counter',
      unit: 's',
      points: [{ value: 7 }],
    });
    expect(byName['compute.vm.pending']).toMatchObject({
      kind: 'updowncounter',
      points: [{ value: -1 }],
    });
    // The unit comes from the name's unit word, and seconds get the seconds buckets.
    expect(byName['compute.vm.request.duration.seconds']).toMatchObject({
      kind: 'histogram',
      unit: 's',
      points: [{ count: 1, sum: 0.2, explicitBounds: [...DEFAULT_SECONDS_BUCKETS] }],
    });
  });

  it.each([
    [
      'a counter without .total',
      'counter',
      'compute.vm.requests',
      {},
      'metric.name.counter-suffix',
      'compute.vm.requests.total',
    ],
    [
      'an up-down counter with .total',
      'upDownCounter',
      'compute.vm.active.total',
      {},
      'metric.name.total-suffix',
      'compute.vm.active',
    ],
    [
      'upper case',
      'gauge',
      'compute.vm.cpuLoad',
      {},
      'metric.name.lowercase',
      'compute.vm.cpu_load',
    ],
    [
      'a glued unit',
      'histogram',
      'compute.vm.request.duration_seconds',
      { unit: 's' },
      'metric.name.unit-segment',
      'compute.vm.request.duration.seconds',
    ],
    [
      'another service',
      'counter',
      'network.vm.requests.total',
      {},
      'metric.name.service',
      'compute.vm.requests.total',
    ],
    ['too few segments', 'gauge', 'compute.active', {}, 'metric.name.segments', undefined],
  ] as const)(
    'reject %s with the rule and the fix',
    (_what, factory, name, options, rule, suggestion) => {
      t = createTestMetrics();
      const make = createInstruments(t.meter(), { service: 'compute' });
      const error = conventionError(() => make[factory](name as string, options));
      expect(error.findings.map((f) => f.rule)).toContain(rule);
      const finding = error.findings.find((f) => f.rule === rule)!;
      expect(finding.suggestion).toBe(suggestion);
      expect(error.message).toContain(`[${rule}]`);
    },
  );

  it('checks the unit against the name: a non-base unit, a mismatch, a missing unit word', () => {
    t = createTestMetrics();
    const make = createInstruments(t.meter());
    expect(
      conventionError(() => make.histogram('compute.vm.request.duration.seconds', { unit: 'ms' }))
        .findings[0]?.rule,
    ).toBe('metric.unit.non-base');
    expect(
      conventionError(() => make.gauge('compute.vm.memory.bytes', { unit: 's' })).findings[0]?.rule,
    ).toBe('metric.name.unit-mismatch');
    const missing = conventionError(() =>
      make.histogram('compute.vm.request.duration', { unit: 's' }),
    );
    expect(missing.findings[0]).toMatchObject({
      rule: 'metric.name.unit-missing',
      suggestion: 'compute.vm.request.duration.seconds',
    });
  });

  it("with onInvalidName: 'warn' warns through diag and still records under the given name", async () => {
    t = createTestMetrics();
    const logs = captureDiag();
    try {
      const make = createInstruments(t.meter(), { onInvalidName: 'warn' });
      make.counter('compute.vm.requests' as string).add(1);
      expect(logs.text()).toContain('[metric.name.counter-suffix]');
      expect(logs.text()).toContain('use `compute.vm.requests.total`');
    } finally {
      logs.stop();
    }
    expect(await t.getPoints('compute.vm.requests')).toEqual([{ attributes: {}, value: 1 }]);
  });

  it.each([
    [
      'onInvalidName "ignore"',
      () => createInstruments(t.meter(), { onInvalidName: 'ignore' as 'warn' }),
      'onInvalidName',
    ],
    [
      'valueType "double"',
      () =>
        createInstruments(t.meter()).counter('compute.vm.requests.total', {
          valueType: 'double' as 'int',
        }),
      'compute.vm.requests.total.valueType',
    ],
    [
      'buckets that go down',
      () => createInstruments(t.meter()).histogram('compute.vm.size.bytes', { buckets: [10, 5] }),
      'compute.vm.size.bytes.buckets',
    ],
    [
      'buckets on a counter',
      () =>
        createInstruments(t.meter()).counter('compute.vm.requests.total', {
          buckets: [1],
        } as object),
      'compute.vm.requests.total.buckets',
    ],
    [
      'an attribute key that is not a string',
      () =>
        createInstruments(t.meter()).counter('compute.vm.requests.total', {
          attributes: [1 as unknown as string],
        }),
      'compute.vm.requests.total.attributes[0]',
    ],
    [
      'a misspelt option',
      () =>
        createInstruments(t.meter()).histogram('compute.vm.request.duration.seconds', {
          unti: 's',
        } as object),
      'compute.vm.request.duration.seconds.unti',
    ],
    [
      'a misspelt factory option',
      () => createInstruments(t.meter(), { onInvalidNames: 'warn' } as object),
      'onInvalidNames',
    ],
    [
      'a name that is not a string',
      () =>
        createInstruments(t.meter(), { onInvalidName: 'warn' }).counter(
          undefined as unknown as string,
        ),
      'instrument.name',
    ],
    [
      'a unit that is not a string',
      () =>
        createInstruments(t.meter()).gauge('compute.vm.active', { unit: 1 as unknown as string }),
      'compute.vm.active.unit',
    ],
  ])('throw a ConfigError naming the option for %s', (_what, make, option) => {
    t = createTestMetrics();
    let thrown: unknown;
    try {
      make();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).option).toBe(option);
  });

  it('use declared buckets as the histogram boundaries', async () => {
    t = createTestMetrics();
    createInstruments(t.meter())
      .histogram('compute.vm.disk.bytes', { buckets: [1024, 4096] })
      .record(2000);
    expect(await t.getPoints('compute.vm.disk.bytes')).toEqual([
      expect.objectContaining({ explicitBounds: [1024, 4096], bucketCounts: [0, 1, 0] }),
    ]);
  });
});
