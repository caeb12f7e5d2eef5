// The `resources` and `slo` sections of defineMetrics: checked when the definition is made (the
// same checks as `datum-telemetry alerts` applies to a JSON definition, from @datum-telemetry/config)
// and carried into toJSON() for the dashboard and alert generators.
import { ConfigError } from '@datum-telemetry/config';
import { ConventionError } from '@datum-telemetry/conventions';
import { describe, expect, it } from 'vitest';
import { defineMetrics } from '../src/index.js';

const RUNBOOK = 'https://runbooks.example.com/compute/vm';
const vm = {
  group: 'compute.datumapis.com',
  plural: 'virtualmachines',
  kind: 'VirtualMachine',
  short: 'vm',
};
const metrics = {
  active: { name: 'compute.vm.active', kind: 'updowncounter', unit: '{vm}' },
} as const;

function define(extra: Record<string, unknown>) {
  return defineMetrics({ service: 'compute', metrics, ...extra } as never);
}

describe('defineMetrics resources and slo', () => {
  it('puts the resources, with their duration buckets, and the objectives in toJSON()', () => {
    const definition = defineMetrics({
      service: 'compute',
      metrics: {
        ...metrics,
        // Declaring the request histogram gives the resource its buckets.
        duration: {
          name: 'compute.vm.request.duration.seconds',
          kind: 'histogram',
          buckets: [0.1, 0.3, 1],
        },
      },
      resources: [vm],
      slo: {
        vmFast: { resource: 'vm', latency: { threshold: 0.3, target: 99 }, runbookUrl: RUNBOOK },
      },
    });
    const json = definition.toJSON();
    expect(json.resources).toEqual([{ ...vm, durationBuckets: [0.1, 0.3, 1] }]);
    expect(json.slo).toEqual({
      vmFast: { resource: 'vm', latency: { threshold: 0.3, target: 99 }, runbookUrl: RUNBOOK },
    });
    // A copy: editing it changes nothing.
    (json.slo as unknown as { vmFast: { resource: string } }).vmFast.resource = 'disk';
    expect(definition.toJSON().slo?.vmFast?.resource).toBe('vm');
  });

  it('without them, toJSON() is as before (no resources or slo keys)', () => {
    expect(Object.keys(define({}).toJSON())).toEqual(['format', 'service', 'metrics']);
    // The middleware's default buckets when the histogram is not declared.
    expect(define({ resources: [vm] }).toJSON().resources?.[0]?.durationBuckets).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]);
  });

  const bad: [what: string, extra: Record<string, unknown>, message: RegExp][] = [
    [
      'a misspelt objective key',
      { resources: [vm], slo: { a: { resource: 'vm', availabilty: 99, runbookUrl: RUNBOOK } } },
      /^slo\.a\.availabilty: unknown option; did you mean "availability"\?$/,
    ],
    [
      'an availability of 100',
      { resources: [vm], slo: { a: { resource: 'vm', availability: 100, runbookUrl: RUNBOOK } } },
      /^slo\.a\.availability: got 100; expected a percentage greater than 0 and less than 100$/,
    ],
    [
      'a latency target of -1',
      {
        resources: [vm],
        slo: { a: { resource: 'vm', latency: { threshold: 1, target: -1 }, runbookUrl: RUNBOOK } },
      },
      /^slo\.a\.latency\.target: got -1; expected a percentage/,
    ],
    [
      'a threshold that is no bucket boundary',
      {
        resources: [vm],
        slo: {
          a: { resource: 'vm', latency: { threshold: 0.2, target: 99 }, runbookUrl: RUNBOOK },
        },
      },
      /^slo\.a\.latency\.threshold: 0\.2 s is not a bucket boundary .*; use one of 0\.005, 0\.01, 0\.025, 0\.05, 0\.1, 0\.25, 0\.5, 1, 2\.5, 5, 10$/,
    ],
    [
      'an objective on an undeclared resource',
      { slo: { a: { resource: 'vm', availability: 99, runbookUrl: RUNBOOK } } },
      /^slo\.a\.resource: "vm" is not a declared resource.*the definition declares no resource/,
    ],
    [
      'a runbook that is not a URL',
      { resources: [vm], slo: { a: { resource: 'vm', availability: 99, runbookUrl: 'see wiki' } } },
      /^slo\.a\.runbookUrl: got "see wiki"; expected an http\(s\) URL$/,
    ],
    [
      'an objective name that is not camelCase',
      {
        resources: [vm],
        slo: { 'vm-slo': { resource: 'vm', availability: 99, runbookUrl: RUNBOOK } },
      },
      /an objective name is camelCase/,
    ],
    [
      'resources that are not an array',
      { resources: vm },
      /^resources: got an object; expected an array/,
    ],
    ['a typo beside slo', { sloo: {} }, /^sloo: unknown option; did you mean "slo"\?$/],
  ];
  it.each(bad)('%s: a ConfigError naming the field', (_what, extra, message) => {
    expect(() => define(extra)).toThrow(ConfigError);
    expect(() => define(extra)).toThrow(message);
  });

  it('a resource declaration the middleware would refuse: a ConventionError', () => {
    expect(() => define({ resources: [{ ...vm, short: 'VM' }] })).toThrow(ConventionError);
  });
});
