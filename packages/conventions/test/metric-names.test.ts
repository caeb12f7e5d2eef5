import { describe, expect, it } from 'vitest';
import type { InstrumentKind, MetricNameCheckOptions } from '../src/index.js';
import {
  assertMetricName,
  ConventionError,
  checkMetricName,
  checkServiceName,
  prometheusSeriesNames,
  toPrometheusName,
  toServiceSegment,
  unitForName,
} from '../src/index.js';

const rules = (name: string, options?: MetricNameCheckOptions) =>
  checkMetricName(name, options).map((f) => f.rule);

describe('checkMetricName: the seed examples are valid', () => {
  const seed: Array<[string, InstrumentKind, string]> = [
    ['compute.vm.requests.total', 'counter', ''],
    ['compute.vm.active', 'updowncounter', ''],
    ['compute.vm.cpu.utilization.percent', 'gauge', '%'],
    ['compute.vm.request.duration.seconds', 'histogram', 's'],
    ['network.ipaddress.allocations.total', 'counter', '{allocation}'],
    ['compute.vm.network.received.bytes.total', 'counter', 'By'],
    ['compute.vm.memory.usage.bytes', 'gauge', 'By'],
    ['compute.vm.provisioning.duration.seconds', 'histogram', 's'],
  ];
  it.each(seed)('%s (%s, unit %j)', (name, kind, unit) => {
    expect(checkMetricName(name, { kind, unit, service: name.split('.')[0]! })).toEqual([]);
    expect(() => assertMetricName(name, { kind, unit })).not.toThrow();
  });

  it('accepts a name when nothing but the name is known', () => {
    expect(checkMetricName('compute.vm.active')).toEqual([]);
  });
});

describe('checkMetricName: wrong names are rejected by the expected rule', () => {
  // [name, options, the rule that must be among the findings]
  const wrong: Array<[string, MetricNameCheckOptions, string]> = [
    ['', {}, 'metric.name.empty'],
    ['a'.repeat(300), {}, 'metric.name.length'],
    ['Compute.vm.active', {}, 'metric.name.lowercase'],
    ['compute.VM.active', {}, 'metric.name.lowercase'],
    ['compute.vm.activeVms', {}, 'metric.name.lowercase'],
    ['compute-api.vm.active', {}, 'metric.name.charset'],
    ['compute.vm.active count', {}, 'metric.name.charset'],
    ['compute/vm/active', {}, 'metric.name.charset'],
    ['compute:vm:active', {}, 'metric.name.charset'],
    ['compute.vm.äctive', {}, 'metric.name.charset'],
    ['compute.vm.active!', {}, 'metric.name.charset'],
    ['.compute.vm.active', {}, 'metric.name.empty-segment'],
    ['compute.vm.active.', {}, 'metric.name.empty-segment'],
    ['compute..vm.active', {}, 'metric.name.empty-segment'],
    ['compute.2vm.active', {}, 'metric.name.segment-start'],
    ['compute._vm.active', {}, 'metric.name.segment-start'],
    ['1compute.vm.active', {}, 'metric.name.segment-start'],
    ['compute.active', {}, 'metric.name.segments'],
    ['requests', {}, 'metric.name.segments'],
    ['compute.requests.total', { kind: 'counter' }, 'metric.name.segments'],
    ['compute.vm.requests', { kind: 'counter' }, 'metric.name.counter-suffix'],
    ['compute.vm.requests.count', { kind: 'counter' }, 'metric.name.counter-suffix'],
    ['compute.vm.errors', { kind: 'counter' }, 'metric.name.counter-suffix'],
    ['compute.vm.active.total', { kind: 'updowncounter' }, 'metric.name.total-suffix'],
    ['compute.vm.cpu.total', { kind: 'gauge' }, 'metric.name.total-suffix'],
    ['compute.vm.latency.total', { kind: 'histogram' }, 'metric.name.total-suffix'],
    ['compute.vm.requests_total', { kind: 'counter' }, 'metric.name.unit-segment'],
    [
      'compute.vm.request.duration_seconds',
      { kind: 'histogram', unit: 's' },
      'metric.name.unit-segment',
    ],
    ['compute.vm.memory_bytes', { kind: 'gauge' }, 'metric.name.unit-segment'],
    [
      'compute.vm.request.duration.milliseconds',
      { kind: 'histogram' },
      'metric.name.non-base-unit',
    ],
    ['compute.vm.request.duration.ms', { kind: 'histogram' }, 'metric.name.non-base-unit'],
    ['compute.vm.uptime.minutes', { kind: 'gauge' }, 'metric.name.non-base-unit'],
    ['compute.vm.memory.megabytes', { kind: 'gauge' }, 'metric.name.non-base-unit'],
    ['compute.vm.disk.kb', { kind: 'gauge' }, 'metric.name.non-base-unit'],
    ['compute.vm.request.duration.second', { kind: 'histogram' }, 'metric.name.non-base-unit'],
    ['compute.vm.cpu.percentage', { kind: 'gauge' }, 'metric.name.non-base-unit'],
    ['compute.vm.received.kilobytes.total', { kind: 'counter' }, 'metric.name.non-base-unit'],
    [
      'compute.vm.request.duration.seconds',
      { kind: 'histogram', unit: 'ms' },
      'metric.unit.non-base',
    ],
    ['compute.vm.memory.bytes', { kind: 'gauge', unit: 'KiBy' }, 'metric.unit.non-base'],
    [
      'compute.vm.request.duration.seconds',
      { kind: 'histogram', unit: '' },
      'metric.name.unit-mismatch',
    ],
    ['compute.vm.memory.bytes', { kind: 'gauge', unit: 's' }, 'metric.name.unit-mismatch'],
    [
      'compute.vm.cpu.utilization.percent',
      { kind: 'gauge', unit: '1' },
      'metric.name.unit-mismatch',
    ],
    ['compute.vm.request.duration', { kind: 'histogram', unit: 's' }, 'metric.name.unit-missing'],
    ['compute.vm.memory.usage', { kind: 'gauge', unit: 'By' }, 'metric.name.unit-missing'],
    ['compute.vm.cpu.utilization', { kind: 'gauge', unit: '%' }, 'metric.name.unit-missing'],
    ['compute.vm.received.total', { kind: 'counter', unit: 'By' }, 'metric.name.unit-missing'],
    ['network.vm.requests.total', { kind: 'counter', service: 'compute' }, 'metric.name.service'],
    ['vm.requests.total', { kind: 'counter', service: 'compute' }, 'metric.name.service'],
    ['compute.vm.request.bucket', { kind: 'gauge' }, 'metric.name.reserved-suffix'],
    ['compute.vm.created', { kind: 'gauge' }, 'metric.name.reserved-suffix'],
    ['compute.vm.requests.total.total', { kind: 'counter' }, 'metric.name.repeated-suffix'],
    ['compute.vm.requests.total.total', {}, 'metric.name.repeated-suffix'],
    ['compute.vm.requests_total.total', { kind: 'counter' }, 'metric.name.repeated-suffix'],
    [
      'compute.vm.request.duration.seconds.seconds',
      { kind: 'histogram', unit: 's' },
      'metric.name.repeated-suffix',
    ],
    [
      'compute.vm.received.bytes.bytes.total',
      { kind: 'counter', unit: 'By' },
      'metric.name.repeated-suffix',
    ],
  ];

  it('has at least 40 cases', () => {
    expect(wrong.length).toBeGreaterThanOrEqual(40);
  });

  it.each(wrong)('%j %j -> %s', (name, options, rule) => {
    const found = checkMetricName(name, options);
    expect(found.map((f) => f.rule)).toContain(rule);
    for (const f of found) {
      expect(f.subject).toBe('metric');
      expect(f.message.length).toBeGreaterThan(20);
    }
    expect(() => assertMetricName(name, options)).toThrow(ConventionError);
  });
});

describe('finding messages name the rule and the fix', () => {
  it('counter without .total', () => {
    const [f] = checkMetricName('compute.vm.requests', { kind: 'counter' });
    expect(f).toEqual({
      rule: 'metric.name.counter-suffix',
      level: 'violation',
      subject: 'metric',
      name: 'compute.vm.requests',
      message:
        '`compute.vm.requests` is a counter: counter names end in `.total`; use `compute.vm.requests.total`',
      suggestion: 'compute.vm.requests.total',
    });
  });

  it('the seed Go example: the unit is its own segment', () => {
    const found = checkMetricName('myresource.request.duration_seconds', {
      kind: 'histogram',
      unit: 's',
    });
    expect(found.map((f) => f.rule)).toEqual(['metric.name.unit-segment']);
    expect(found[0]!.suggestion).toBe('myresource.request.duration.seconds');
  });

  it('suggestions build on each other into a valid name', () => {
    const found = checkMetricName('Compute.VM.RequestDuration_milliseconds', {
      kind: 'histogram',
      unit: 's',
    });
    const last = found.filter((f) => f.suggestion !== undefined).at(-1)!;
    expect(last.suggestion).toBe('compute.vm.request_duration.seconds');
    expect(checkMetricName(last.suggestion!, { kind: 'histogram', unit: 's' })).toEqual([]);
  });

  it('a suffix written twice is rejected, with the name that writes it once', () => {
    expect(checkMetricName('compute.vm.requests.total.total', { kind: 'counter' })).toEqual([
      {
        rule: 'metric.name.repeated-suffix',
        level: 'violation',
        subject: 'metric',
        name: 'compute.vm.requests.total.total',
        message:
          '`compute.vm.requests.total.total` repeats `.total` at its end: write each suffix once; use `compute.vm.requests.total`',
        suggestion: 'compute.vm.requests.total',
      },
    ]);
    const found = checkMetricName('compute.vm.sent.bytes.bytes.total.total.total', {
      kind: 'counter',
      unit: 'By',
    });
    expect(found.map((f) => [f.rule, f.suggestion])).toEqual([
      ['metric.name.repeated-suffix', 'compute.vm.sent.bytes.total'],
    ]);
    expect(found[0]!.message).toContain('repeats `.total` and `.bytes` at its end');
    // A segment repeated elsewhere is not a suffix, and a suffix word used once is fine.
    expect(checkMetricName('compute.vm.vm.requests.total', { kind: 'counter' })).toEqual([]);
    expect(checkMetricName('compute.seconds.idle.seconds', { kind: 'gauge', unit: 's' })).toEqual(
      [],
    );
  });

  it('a counter with a byte unit puts the unit word before .total', () => {
    const found = checkMetricName('compute.vm.received', { kind: 'counter', unit: 'By' });
    expect(found.at(-1)!.suggestion).toBe('compute.vm.received.bytes.total');
  });

  it('a ConventionError lists every violation', () => {
    try {
      assertMetricName('Compute.requests', { kind: 'counter' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConventionError);
      const rulesFound = (error as ConventionError).findings.map((f) => f.rule);
      expect(rulesFound).toEqual(
        expect.arrayContaining([
          'metric.name.lowercase',
          'metric.name.counter-suffix',
          'metric.name.segments',
        ]),
      );
      expect((error as Error).message).toContain('[metric.name.counter-suffix]');
    }
  });
});

describe('bad input is a finding, never an exception', () => {
  it.each([null, undefined, 42, {}, ['a.b.c']])('%j', (value) => {
    const found = checkMetricName(value as unknown as string);
    expect(found.map((f) => f.rule)).toEqual(['metric.name.empty']);
  });

  it('control characters are not echoed into messages', () => {
    const [f] = checkMetricName('compute.vm.a\nfake line');
    expect(f!.message).not.toContain('\n');
  });

  it('huge names are cut short in messages', () => {
    const [f] = checkMetricName(`compute.vm.${'x'.repeat(10_000)}`);
    expect(f!.rule).toBe('metric.name.length');
    expect(f!.message.length).toBeLessThan(300);
  });
});

describe('toPrometheusName: one name, no doubled suffix', () => {
  it.each<[string, InstrumentKind | undefined, string]>([
    ['compute.vm.requests.total', 'counter', 'compute_vm_requests_total'],
    ['compute.vm.requests', 'counter', 'compute_vm_requests_total'],
    ['compute.vm.request.duration.seconds', 'histogram', 'compute_vm_request_duration_seconds'],
    ['compute.vm.active', 'updowncounter', 'compute_vm_active'],
    ['compute.vm.cpu.utilization.percent', 'gauge', 'compute_vm_cpu_utilization_percent'],
    [
      'compute.vm.network.received.bytes.total',
      'counter',
      'compute_vm_network_received_bytes_total',
    ],
    ['compute-api.vm..active', undefined, 'compute_api_vm_active'],
    ['1bad.name.x', 'gauge', '_1bad_name_x'],
  ])('%s (%s) -> %s', (name, kind, expected) => {
    expect(toPrometheusName(name, kind)).toBe(expected);
  });

  it('histograms expose _bucket, _sum and _count', () => {
    expect(prometheusSeriesNames('compute.vm.request.duration.seconds', 'histogram')).toEqual([
      'compute_vm_request_duration_seconds_bucket',
      'compute_vm_request_duration_seconds_sum',
      'compute_vm_request_duration_seconds_count',
    ]);
    expect(prometheusSeriesNames('compute.vm.active', 'gauge')).toEqual(['compute_vm_active']);
  });
});

describe('unitForName and checkServiceName', () => {
  it.each([
    ['compute.vm.request.duration.seconds', 's'],
    ['compute.vm.received.bytes.total', 'By'],
    ['compute.vm.cpu.utilization.percent', '%'],
    ['compute.vm.requests.total', undefined],
    ['compute.vm.active', undefined],
  ])('%s -> %s', (name, unit) => {
    expect(unitForName(name)).toBe(unit);
  });

  it('service names are one metric segment', () => {
    expect(checkServiceName('compute')).toEqual([]);
    expect(checkServiceName('network_api')).toEqual([]);
    const [f] = checkServiceName('Compute-API');
    expect(f!.rule).toBe('metric.service.invalid');
    expect(f!.suggestion).toBe('compute_api');
    expect(checkServiceName('9lives')[0]!.rule).toBe('metric.service.invalid');
  });

  it('rules() helper sees the service rule only with a service', () => {
    expect(rules('network.vm.active')).toEqual([]);
    expect(rules('network.vm.active', { service: 'compute' })).toEqual(['metric.name.service']);
  });
});

describe('toServiceSegment', () => {
  it.each([
    ['compute', 'compute'],
    ['compute-api', 'compute_api'],
    ['Network API', 'network_api'],
    ['', 'unknown_service'],
    ['unknown_service:node', 'unknown_service'],
    ['42', 'unknown_service'],
  ])('%j -> %s', (name, segment) => {
    expect(toServiceSegment(name)).toBe(segment);
  });
});
