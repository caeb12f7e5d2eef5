import { ConfigError } from '@datum-telemetry/config';
import { ConventionError } from '@datum-telemetry/conventions';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricDeclaration } from '../src/index.js';
import { DEFAULT_SECONDS_BUCKETS, defineMetrics } from '../src/index.js';
import type { TestMetrics } from '../src/testing/index.js';
import { createTestMetrics } from '../src/testing/index.js';
import { captureDiag } from './support/diag.js';
import { parseYamlDocuments } from './support/yaml.js';

const computeMetrics = () =>
  defineMetrics({
    service: 'compute',
    metrics: {
      vmRequests: {
        name: 'compute.vm.requests.total',
        kind: 'counter',
        unit: '{request}',
        description: 'Requests to the VirtualMachine API',
        attributes: ['method', 'operation', 'code'],
        valueType: 'int',
      },
      vmDuration: {
        name: 'compute.vm.request.duration.seconds',
        kind: 'histogram',
        description: 'How long "VirtualMachine" requests take:\nfrom first byte to last',
        attributes: ['method', 'operation'],
      },
      vmActive: { name: 'compute.vm.active', kind: 'updowncounter', unit: '{vm}' },
      vmMemory: {
        name: 'compute.vm.memory.bytes',
        kind: 'gauge',
        observable: true,
        attributes: ['vm'],
      },
    },
  });

let t: TestMetrics;
afterEach(async () => {
  await t?.shutdown();
});

describe('defineMetrics', () => {
  it('builds typed instruments that record what was declared', async () => {
    t = createTestMetrics();
    const instruments = computeMetrics().create(t.meter());
    instruments.vmRequests.add(1, { method: 'POST', operation: 'Create', code: '201' });
    instruments.vmRequests.add(1, { method: 'POST', operation: 'Create', code: '201' });
    instruments.vmDuration.record(0.3, { method: 'POST', operation: 'Create' });
    instruments.vmActive.add(2);
    instruments.vmMemory.addCallback((result) => result.observe(512, { vm: 'vm-1' }));

    expect(await t.getPoints('compute.vm.requests.total')).toEqual([
      { attributes: { method: 'POST', operation: 'Create', code: '201' }, value: 2 },
    ]);
    expect(await t.getPoints('compute.vm.request.duration.seconds')).toEqual([
      expect.objectContaining({ count: 1, sum: 0.3, explicitBounds: [...DEFAULT_SECONDS_BUCKETS] }),
    ]);
    expect(await t.getPoints('compute.vm.active')).toEqual([{ attributes: {}, value: 2 }]);
    expect(await t.getPoints('compute.vm.memory.bytes')).toEqual([
      { attributes: { vm: 'vm-1' }, value: 512 },
    ]);
    expect((await t.getMetric('compute.vm.memory.bytes'))?.unit).toBe('By');
  });

  it('exports a stable data form', () => {
    const json = computeMetrics().toJSON();
    expect(json.format).toBe('datum-telemetry.metrics/v1');
    expect(json.service).toBe('compute');
    expect(json.metrics.map((m) => m.key)).toEqual([
      'vmRequests',
      'vmDuration',
      'vmActive',
      'vmMemory',
    ]);
    expect(json.metrics[0]).toEqual({
      key: 'vmRequests',
      name: 'compute.vm.requests.total',
      kind: 'counter',
      observable: false,
      valueType: 'int',
      unit: '{request}',
      description: 'Requests to the VirtualMachine API',
      attributes: ['method', 'operation', 'code'],
      buckets: null,
      prometheusName: 'compute_vm_requests_total',
      prometheusSeries: ['compute_vm_requests_total'],
    });
    expect(json.metrics[1]).toMatchObject({
      unit: 's',
      buckets: [...DEFAULT_SECONDS_BUCKETS],
      prometheusName: 'compute_vm_request_duration_seconds',
      prometheusSeries: [
        'compute_vm_request_duration_seconds_bucket',
        'compute_vm_request_duration_seconds_sum',
        'compute_vm_request_duration_seconds_count',
      ],
    });
    expect(json.metrics[3]).toMatchObject({ kind: 'gauge', observable: true, unit: 'By' });
    // JSON.stringify uses toJSON, and a caller editing the data cannot change the definition.
    const definition = computeMetrics();
    expect(JSON.parse(JSON.stringify(definition))).toEqual(definition.toJSON());
    (definition.toJSON().metrics[0]!.attributes as string[]).push('extra');
    expect(definition.toJSON().metrics[0]!.attributes).toEqual(['method', 'operation', 'code']);
  });

  it('exports one MetricDefinition YAML document per metric that reads back to the same data', () => {
    const definition = computeMetrics();
    const yaml = definition.toYAML();
    const documents = parseYamlDocuments(yaml);
    expect(documents).toHaveLength(4);
    expect(documents[0]).toEqual({
      apiVersion: 'telemetry.datumapis.com/v1alpha1',
      kind: 'MetricDefinition',
      metadata: {
        name: 'compute.vm.requests.total',
        labels: { 'telemetry.datumapis.com/service': 'compute' },
      },
      spec: {
        name: 'compute.vm.requests.total',
        type: 'counter',
        observable: false,
        valueType: 'int',
        unit: '{request}',
        description: 'Requests to the VirtualMachine API',
        prometheusName: 'compute_vm_requests_total',
        labels: [{ name: 'method' }, { name: 'operation' }, { name: 'code' }],
      },
    });
    expect(documents[1]).toMatchObject({
      spec: {
        description: 'How long "VirtualMachine" requests take:\nfrom first byte to last',
        buckets: [...DEFAULT_SECONDS_BUCKETS],
        labels: [{ name: 'method' }, { name: 'operation' }],
      },
    });
    expect(documents[2]).toMatchObject({ spec: { unit: '{vm}', description: '', labels: [] } });
    for (const [i, metric] of definition.toJSON().metrics.entries()) {
      const spec = (documents[i] as { spec: Record<string, unknown> }).spec;
      expect(spec.name).toBe(metric.name);
      expect(spec.type).toBe(metric.kind);
      expect(spec.unit).toBe(metric.unit);
      expect(spec.labels).toEqual(metric.attributes.map((name) => ({ name })));
    }
  });

  it('names Kubernetes objects with "-" for "_", so they stay valid and one-to-one', () => {
    const yaml = defineMetrics({
      service: 'compute_api',
      metrics: { queue: { name: 'compute_api.vm.queue_depth', kind: 'gauge' } },
    }).toYAML();
    expect(parseYamlDocuments(yaml)[0]).toMatchObject({
      metadata: { name: 'compute-api.vm.queue-depth' },
      spec: { name: 'compute_api.vm.queue_depth' },
    });
  });

  it('checks every name against the rules and the service when defined', () => {
    let error: unknown;
    try {
      defineMetrics({
        service: 'compute',
        metrics: {
          requests: { name: 'network.vm.requests.total' as string, kind: 'counter' },
        },
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConventionError);
    expect((error as ConventionError).findings[0]).toMatchObject({
      rule: 'metric.name.service',
      suggestion: 'compute.vm.requests.total',
    });
    expect(() =>
      defineMetrics({
        service: 'Compute-API',
        metrics: { a: { name: 'compute.vm.active' as string, kind: 'gauge' } },
      }),
    ).toThrow(/metric\.service\.invalid/);
  });

  it("warns instead with onInvalidName: 'warn'", () => {
    const logs = captureDiag();
    try {
      const definition = defineMetrics({
        service: 'compute',
        onInvalidName: 'warn',
        metrics: { requests: { name: 'compute.vm.requests' as string, kind: 'counter' } },
      });
      expect(definition.toJSON().metrics[0]?.name).toBe('compute.vm.requests');
      expect(logs.text()).toContain('metric.name.counter-suffix');
    } finally {
      logs.stop();
    }
  });

  it.each([
    ['no metrics', { service: 'compute', metrics: {} }, 'metrics'],
    [
      'a declaration that is not an object',
      { service: 'compute', metrics: { a: 'compute.vm.active' } },
      'metrics.a',
    ],
    [
      'a name that is not a string',
      { service: 'compute', metrics: { a: { kind: 'gauge' } } },
      'metrics.a.name',
    ],
    [
      'an unknown kind',
      { service: 'compute', metrics: { a: { name: 'compute.vm.active', kind: 'meter' } } },
      'metrics.a.kind',
    ],
    [
      'an observable histogram',
      {
        service: 'compute',
        metrics: {
          a: { name: 'compute.vm.request.duration.seconds', kind: 'histogram', observable: true },
        },
      },
      'metrics.a.observable',
    ],
    [
      'attributes that are not an array',
      {
        service: 'compute',
        metrics: { a: { name: 'compute.vm.active', kind: 'gauge', attributes: 'vm' } },
      },
      'metrics.a.attributes',
    ],
    [
      'buckets out of order',
      {
        service: 'compute',
        metrics: {
          a: { name: 'compute.vm.request.duration.seconds', kind: 'histogram', buckets: [1, 1] },
        },
      },
      'metrics.a.buckets',
    ],
    [
      'one name declared twice',
      {
        service: 'compute',
        metrics: {
          a: { name: 'compute.vm.active', kind: 'gauge' },
          b: { name: 'compute.vm.active', kind: 'gauge' },
        },
      },
      'metrics.b.name',
    ],
    [
      'a misspelt declaration option (issue 14)',
      {
        service: 'compute',
        metrics: {
          a: { name: 'compute.vm.request.duration.seconds', kind: 'histogram', unti: 's' },
        },
      },
      'metrics.a.unti',
    ],
    ['a misspelt definition option', { service: 'compute', metric: {} }, 'metric'],
  ])('throws a ConfigError naming the option for %s', (_what, options, option) => {
    let error: unknown;
    try {
      defineMetrics(options as unknown as Parameters<typeof defineMetrics>[0]);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe(option);
  });

  it('a misspelt declaration option gets a did-you-mean', () => {
    expect(() =>
      defineMetrics({
        service: 'compute',
        metrics: {
          duration: {
            name: 'compute.vm.request.duration.seconds',
            kind: 'histogram',
            unti: 's',
          } as MetricDeclaration,
        },
      }),
    ).toThrow('metrics.duration.unti: unknown option; did you mean "unit"?');
  });
});
