import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Env } from '../src/index.js';
import {
  ConfigError,
  isSdkDisabled,
  readDurationMillis,
  readPositiveInteger,
  resolveExporterKind,
  resolveOtlpSettings,
  resolveResourceAttributes,
  resolveSampler,
  resolveServiceName,
} from '../src/index.js';
// Not exported: how OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS are read.
import { parseKeyValueList } from '../src/resource.js';

describe('resolveResourceAttributes', () => {
  const detected = {
    'host.name': hostname(),
    'process.pid': process.pid,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
  };

  it('falls back to unknown_service:node, beside the process and host attributes', () => {
    expect(resolveResourceAttributes({}, {})).toEqual({
      ...detected,
      'service.name': 'unknown_service:node',
    });
  });

  it('reads OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES and the downward-API variables', () => {
    const env: Env = {
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
      OTEL_SERVICE_NAME: 'compute',
      OTEL_RESOURCE_ATTRIBUTES:
        'service.version=1.2.3,deployment.environment.name=prod,team=a%20b, ,',
      POD_NAME: 'compute-7d9f',
      POD_NAMESPACE: 'datum-system',
      K8S_NODE_NAME: 'node-1',
      NODE_NAME: 'ignored-because-k8s-wins',
    };
    expect(resolveResourceAttributes({}, env)).toEqual({
      ...detected,
      'service.name': 'compute',
      'service.version': '1.2.3',
      'deployment.environment.name': 'prod',
      team: 'a b',
      'k8s.pod.name': 'compute-7d9f',
      'k8s.namespace.name': 'datum-system',
      'k8s.node.name': 'node-1',
    });
  });

  it('takes service.name from OTEL_RESOURCE_ATTRIBUTES when OTEL_SERVICE_NAME is absent', () => {
    expect(resolveServiceName({}, { OTEL_RESOURCE_ATTRIBUTES: 'service.name=network' })).toBe(
      'network',
    );
    expect(
      resolveServiceName(
        {},
        { OTEL_RESOURCE_ATTRIBUTES: 'service.name=network', OTEL_SERVICE_NAME: 'compute' },
      ),
    ).toBe('compute');
  });

  it('code options win over the environment', () => {
    const attrs = resolveResourceAttributes(
      {
        service: 'compute',
        serviceNamespace: 'datum',
        serviceVersion: '2.0.0',
        attributes: { team: 'core' },
      },
      { OTEL_SERVICE_NAME: 'env-name', OTEL_RESOURCE_ATTRIBUTES: 'team=env,service.version=1' },
    );
    expect(attrs).toMatchObject({
      'service.name': 'compute',
      'service.namespace': 'datum',
      'service.version': '2.0.0',
      team: 'core',
    });
  });

  it.each<[string, () => unknown, string]>([
    ['empty service', () => resolveResourceAttributes({ service: '' }, {}), 'service'],
    [
      'non-string service',
      () => resolveResourceAttributes({ service: 42 as unknown as string }, {}),
      'service',
    ],
    [
      'non-string attribute',
      () => resolveResourceAttributes({ attributes: { a: 1 as unknown as string } }, {}),
      'attributes.a',
    ],
    ['options not an object', () => resolveResourceAttributes('x' as never, {}), 'options'],
  ])('%s throws a ConfigError naming %s', (_, call, option) => {
    expect(call).toThrow(ConfigError);
    try {
      call();
    } catch (error) {
      expect((error as ConfigError).option).toBe(option);
      expect((error as Error).message.startsWith(`${option}: `)).toBe(true);
    }
  });
});

describe('isSdkDisabled', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    [' true ', true],
    ['false', false],
    ['1', false],
    [undefined, false],
  ])('%j -> %s', (value, expected) => {
    expect(isSdkDisabled({ OTEL_SDK_DISABLED: value })).toBe(expected);
  });
});

describe('resolveExporterKind', () => {
  it('embedded defaults: metrics on Prometheus, traces and logs on the console', () => {
    expect(resolveExporterKind('metrics', undefined, {})).toBe('prometheus');
    expect(resolveExporterKind('traces', undefined, {})).toBe('console');
    expect(resolveExporterKind('logs', undefined, {})).toBe('console');
  });

  it('an OTLP endpoint switches every signal to otlp', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(resolveExporterKind('metrics', undefined, env)).toBe('otlp');
    expect(resolveExporterKind('traces', undefined, env)).toBe('otlp');
    expect(
      resolveExporterKind('logs', undefined, {
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://x:1/v1/logs',
      }),
    ).toBe('otlp');
    expect(
      resolveExporterKind('traces', undefined, {
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://x:1/v1/logs',
      }),
    ).toBe('console');
  });

  it('OTEL_*_EXPORTER wins over the endpoint, the option over both', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_TRACES_EXPORTER: 'none,otlp',
    };
    expect(resolveExporterKind('traces', undefined, env)).toBe('none');
    expect(resolveExporterKind('traces', 'memory', env)).toBe('memory');
    expect(resolveExporterKind('logs', undefined, { OTEL_LOGS_EXPORTER: 'logging' })).toBe(
      'console',
    );
  });

  it.each<[() => unknown, string]>([
    [() => resolveExporterKind('traces', 'prometheus', {}), 'exporter'],
    [() => resolveExporterKind('logs', 'memory', {}), 'exporter'],
    [() => resolveExporterKind('spans' as never, undefined, {}), 'signal'],
  ])('bad value %# throws naming %s', (call, option) => {
    expect(call).toThrow(expect.objectContaining({ name: 'ConfigError', option }));
  });
});

describe('resolveOtlpSettings', () => {
  it('defaults', () => {
    expect(resolveOtlpSettings('traces', {}, {})).toEqual({
      protocol: 'http/protobuf',
      url: 'http://localhost:4318/v1/traces',
      headers: {},
      timeoutMillis: 10_000,
      compression: 'none',
    });
    expect(resolveOtlpSettings('metrics', { protocol: 'grpc' }, {}).url).toBe(
      'http://localhost:4317',
    );
  });

  it('appends /v1/{signal} to a base endpoint, keeps a signal URL as it is', () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:9999/custom/logs',
    };
    expect(resolveOtlpSettings('traces', {}, env).url).toBe('http://127.0.0.1:4318/v1/traces');
    expect(resolveOtlpSettings('logs', {}, env).url).toBe('http://127.0.0.1:9999/custom/logs');
    expect(resolveOtlpSettings('metrics', { endpoint: 'http://10.0.0.1:1/base' }, env).url).toBe(
      'http://10.0.0.1:1/base/v1/metrics',
    );
    expect(resolveOtlpSettings('metrics', { url: 'http://h:1/x' }, env).url).toBe('http://h:1/x');
  });

  it('reads protocol, headers, timeout and compression, signal variables first, options over all', () => {
    const env = {
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-a=1',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-a=2',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '3000',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    };
    expect(resolveOtlpSettings('traces', {}, env).protocol).toBe('grpc');
    const metrics = resolveOtlpSettings('metrics', {}, env);
    expect(metrics).toEqual({
      protocol: 'http/json',
      url: 'http://localhost:4318/v1/metrics',
      headers: { authorization: 'Bearer abc', 'x-a': '2' },
      timeoutMillis: 3000,
      compression: 'gzip',
    });
    const logs = resolveOtlpSettings(
      'logs',
      { headers: { 'x-a': '3' }, timeoutMillis: 50, compression: 'none' },
      env,
    );
    expect(logs.headers).toEqual({ authorization: 'Bearer abc', 'x-a': '3' });
    expect(logs.timeoutMillis).toBe(50);
    expect(logs.compression).toBe('none');
  });

  it.each<[string, () => unknown, string]>([
    [
      'bad protocol option',
      () => resolveOtlpSettings('traces', { protocol: 'http' as never }, {}),
      'otlp.protocol',
    ],
    [
      'relative endpoint',
      () => resolveOtlpSettings('traces', { endpoint: 'localhost:4318' }, {}),
      'otlp.endpoint',
    ],
    ['ftp url', () => resolveOtlpSettings('traces', { url: 'ftp://x/y' }, {}), 'otlp.url'],
    [
      'non-string header',
      () => resolveOtlpSettings('traces', { headers: { a: 1 as never } }, {}),
      'otlp.headers.a',
    ],
    [
      'negative timeout',
      () => resolveOtlpSettings('traces', { timeoutMillis: -1 }, {}),
      'otlp.timeoutMillis',
    ],
    [
      'bad compression',
      () => resolveOtlpSettings('traces', { compression: 'br' as never }, {}),
      'otlp.compression',
    ],
  ])('%s throws naming %s', (_, call, option) => {
    expect(call).toThrow(expect.objectContaining({ name: 'ConfigError', option }));
  });
});

describe('resolveSampler', () => {
  it.each<[Env, unknown]>([
    [{}, { root: 'always_on', parentBased: true, ratio: 1 }],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, { root: 'always_off', parentBased: false, ratio: 1 }],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' },
      { root: 'traceidratio', parentBased: false, ratio: 0.25 },
    ],
    [
      { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' },
      { root: 'traceidratio', parentBased: true, ratio: 0 },
    ],
    [
      { OTEL_TRACES_SAMPLER: 'PARENTBASED_ALWAYS_OFF' },
      { root: 'always_off', parentBased: true, ratio: 1 },
    ],
    [
      { OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: 'ignored' },
      { root: 'always_on', parentBased: false, ratio: 1 },
    ],
  ])('%j', (env, expected) => {
    expect(resolveSampler(undefined, env)).toEqual(expected);
  });

  it('options win; a ratio alone means traceidratio', () => {
    expect(resolveSampler({ ratio: 0.5 }, { OTEL_TRACES_SAMPLER: 'always_on' })).toEqual({
      root: 'traceidratio',
      parentBased: false,
      ratio: 0.5,
    });
    expect(resolveSampler({ root: 'always_off', parentBased: true }, {})).toEqual({
      root: 'always_off',
      parentBased: true,
      ratio: 1,
    });
  });

  it.each<[() => unknown, string]>([
    [() => resolveSampler({ ratio: Number.NaN }, {}), 'sampler.ratio'],
    [() => resolveSampler({ root: 'sometimes' as never }, {}), 'sampler.root'],
    [() => resolveSampler({ parentBased: 'yes' as never }, {}), 'sampler.parentBased'],
  ])('bad value %# throws naming %s', (call, option) => {
    expect(call).toThrow(expect.objectContaining({ name: 'ConfigError', option }));
  });
});

describe('numbers', () => {
  it('readDurationMillis: option, env, fallback', () => {
    expect(
      readDurationMillis('exportIntervalMillis', 100, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, {}),
    ).toBe(100);
    expect(
      readDurationMillis('x', undefined, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, {
        OTEL_METRIC_EXPORT_INTERVAL: '5000',
      }),
    ).toBe(5000);
    expect(readDurationMillis('x', undefined, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, {})).toBe(
      60_000,
    );
    expect(() => readDurationMillis('x', 1.5, 'V', 1, {})).toThrow(
      /x: got 1.5; expected a positive integer/,
    );
    expect(readDurationMillis('x', undefined, 'V', 1, { V: '0' })).toBe(1);
  });

  it('readPositiveInteger', () => {
    expect(
      readPositiveInteger('maxQueueSize', undefined, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, {
        OTEL_BSP_MAX_QUEUE_SIZE: '10',
      }),
    ).toBe(10);
    expect(readPositiveInteger('maxQueueSize', undefined, undefined, 2048, {})).toBe(2048);
    expect(() => readPositiveInteger('maxQueueSize', 0, undefined, 1, {})).toThrow(ConfigError);
    expect(readPositiveInteger('m', undefined, 'E', 1, { E: '-3' })).toBe(1);
  });

  it('parseKeyValueList', () => {
    expect(parseKeyValueList('V', 'a=1,b=x%3Dy')).toEqual({ a: '1', b: 'x=y' });
    expect(parseKeyValueList('V', undefined)).toEqual({});
  });
});

// Issue 14, defect 8: Kubernetes attributes only from Kubernetes' own variables.
describe('k8s.* attributes', () => {
  it('a generic CONTAINER_NAME outside Kubernetes is not k8s.container.name', () => {
    const attributes = resolveResourceAttributes(
      {},
      { CONTAINER_NAME: 'compose-web-1', POD_NAME: 'x', NODE_NAME: 'laptop' },
    );
    expect(Object.keys(attributes).filter((key) => key.startsWith('k8s.'))).toEqual([]);
  });

  it('inside Kubernetes (KUBERNETES_SERVICE_HOST) the downward-API names are read', () => {
    expect(
      resolveResourceAttributes(
        {},
        { KUBERNETES_SERVICE_HOST: '10.96.0.1', CONTAINER_NAME: 'api', POD_NAME: 'api-7d9f' },
      ),
    ).toMatchObject({ 'k8s.container.name': 'api', 'k8s.pod.name': 'api-7d9f' });
  });

  it('the K8S_* names say Kubernetes themselves and are read anywhere', () => {
    expect(resolveResourceAttributes({}, { K8S_CONTAINER_NAME: 'api' })).toMatchObject({
      'k8s.container.name': 'api',
    });
  });
});
