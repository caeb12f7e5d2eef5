import { ConfigError } from '@datum-telemetry/config';
import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsHandle, SetupMetricsOptions } from '../src/index.js';
import { setupMetrics } from '../src/index.js';
import type { MetricsSettings } from '../src/settings.js';
import { resolveMetricsSettings } from '../src/settings.js';
import { captureDiag } from './support/diag.js';
import { listen } from './support/http.js';

let handle: MetricsHandle | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

describe('set-up from options and OTEL_* variables', () => {
  it('OTEL_SDK_DISABLED=true gives a handle that does nothing, whatever else is set', async () => {
    handle = setupMetrics({
      service: 'compute',
      env: { OTEL_SDK_DISABLED: 'TRUE', OTEL_METRICS_EXPORTER: 'not-an-exporter' },
    });
    expect(handle.enabled).toBe(false);
    handle.meter().createCounter('compute.vm.requests.total').add(1);
    expect(metrics.getMeterProvider()).not.toBe(handle.meterProvider);
    expect(await handle.scrape()).toBe('');
    const server = await listen(handle.metricsHandler);
    try {
      // The route stays healthy: an empty exposition (disabled-endpoint.test.ts has the details).
      const response = await fetch(server.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('');
    } finally {
      await server.close();
    }
    await handle.forceFlush();
    await handle.shutdown();
  });

  it('disabled: true turns metrics off as OTEL_SDK_DISABLED does, and disabled: false wins over it', async () => {
    handle = setupMetrics({ disabled: true, prometheus: { port: 0 }, env: {} });
    expect([handle.enabled, handle.exporter, handle.droppedAttributes]).toEqual([false, 'none', 0]);
    expect(metrics.getMeterProvider()).not.toBe(handle.meterProvider);
    await handle.shutdown();
    handle = setupMetrics({
      disabled: false,
      exporter: 'none',
      register: false,
      env: { OTEL_SDK_DISABLED: 'true' },
    });
    expect([handle.enabled, handle.exporter]).toEqual([true, 'none']);
    expect(() => setupMetrics({ disabled: 'yes' as never, env: {} })).toThrow(
      'disabled: got "yes"; expected true or false',
    );
  });

  it('the handle names the exporter chosen from the option or OTEL_METRICS_EXPORTER', async () => {
    handle = setupMetrics({ prometheus: { port: 0 }, register: false, env: {} });
    expect(handle.exporter).toBe('prometheus');
    await handle.shutdown();
    handle = setupMetrics({
      register: false,
      env: { OTEL_METRICS_EXPORTER: 'console', OTEL_METRIC_EXPORT_INTERVAL: '600000' },
    });
    expect(handle.exporter).toBe('console');
  });

  it('OTEL_METRICS_EXPORTER=none sets up no reader and no endpoint', async () => {
    handle = setupMetrics({
      prometheus: { port: 0 },
      env: { OTEL_METRICS_EXPORTER: 'none' },
      register: false,
    });
    await handle.ready;
    expect(handle.enabled).toBe(true);
    expect(handle.prometheusUrl).toBeUndefined();
    await expect(handle.scrape()).rejects.toThrow(/exporter "none"/);
  });

  it('defaults to Prometheus on 127.0.0.1:9464 at /metrics, and reads the Prometheus variables', () => {
    expect(resolveMetricsSettings({}, {}).prometheus).toEqual({
      serve: true,
      host: '127.0.0.1',
      port: 9464,
      endpoint: '/metrics',
      withTargetInfo: true,
      withScopeLabels: false,
    });
    const fromEnv = resolveMetricsSettings(
      {},
      { OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0', OTEL_EXPORTER_PROMETHEUS_PORT: '9999' },
    );
    expect(fromEnv.prometheus).toMatchObject({ host: '0.0.0.0', port: 9999 });
    const codeWins = resolveMetricsSettings(
      { prometheus: { host: '127.0.0.1', port: 0 } },
      { OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0', OTEL_EXPORTER_PROMETHEUS_PORT: '9999' },
    );
    expect(codeWins.prometheus).toMatchObject({ host: '127.0.0.1', port: 0 });
  });

  it('lets code options win over the environment', () => {
    const settings = resolveMetricsSettings(
      { exporter: 'prometheus', service: 'compute', exportIntervalMillis: 1000 },
      { OTEL_METRICS_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'network' },
    );
    expect(settings.exporter).toBe('prometheus');
    expect(settings.resourceAttributes['service.name']).toBe('compute');
    expect(settings.otlp).toBeUndefined();
  });

  it('reads the export interval and timeout, and clamps a default timeout to the interval', () => {
    const env = { OTEL_METRICS_EXPORTER: 'otlp', OTEL_METRIC_EXPORT_INTERVAL: '5000' };
    expect(resolveMetricsSettings({}, env)).toMatchObject({
      exporter: 'otlp',
      exportIntervalMillis: 5000,
      exportTimeoutMillis: 5000,
    });
    expect(
      resolveMetricsSettings({}, { ...env, OTEL_METRIC_EXPORT_TIMEOUT: '2000' }),
    ).toMatchObject({ exportIntervalMillis: 5000, exportTimeoutMillis: 2000 });
    expect(resolveMetricsSettings({ exporter: 'console' }, {})).toMatchObject({
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 30_000,
    });
  });

  it('registers the provider globally unless register is false', () => {
    handle = setupMetrics({ env: {}, prometheus: false });
    expect(metrics.getMeterProvider()).toBe(handle.meterProvider);
    return handle.shutdown().then(() => {
      // Shutdown hands the global API back to the no-op provider.
      expect(metrics.getMeterProvider()).not.toBe(handle!.meterProvider);
      handle = setupMetrics({ env: {}, prometheus: false, register: false });
      expect(metrics.getMeterProvider()).not.toBe(handle.meterProvider);
    });
  });

  it('warns when another global provider is already registered', async () => {
    const logs = captureDiag();
    const first = setupMetrics({ env: {}, prometheus: false });
    try {
      handle = setupMetrics({ env: {}, prometheus: false });
      expect(logs.text()).toContain('a global MeterProvider is already registered');
      expect(metrics.getMeterProvider()).toBe(first.meterProvider);
    } finally {
      logs.stop();
      await first.shutdown();
    }
  });

  const badInputs: [
    what: string,
    options: unknown,
    env: Record<string, string>,
    option: string,
    says: RegExp,
  ][] = [
    ['options that are not an object', null, {}, 'options', /expected an object/],
    [
      'a misspelt option',
      { exporters: 'otlp' },
      {},
      'exporters',
      /^exporters: unknown option; did you mean "exporter"\?$/,
    ],
    [
      'an unknown exporter',
      { exporter: 'zipkin' },
      {},
      'exporter',
      /expected one of "prometheus", "otlp", "console", "none"/,
    ],
    [
      'the memory exporter, which is for tests',
      { exporter: 'memory' },
      {},
      'exporter',
      /createTestMetrics\(\)/,
    ],
    [
      'prometheus that is not an object',
      { prometheus: 'yes' },
      {},
      'prometheus',
      /expected an object such as \{ port: 9464 \} or false/,
    ],
    [
      'a misspelt prometheus option',
      { prometheus: { prot: 9464 } },
      {},
      'prometheus.prot',
      /^prometheus\.prot: unknown option; did you mean "port"\?$/,
    ],
    ['a port above 65535', { prometheus: { port: 70000 } }, {}, 'prometheus.port', /0 to 65535/],
    ['a negative port', { prometheus: { port: -1 } }, {}, 'prometheus.port', /0 to 65535/],
    [
      'an endpoint without a leading /',
      { prometheus: { endpoint: 'metrics' } },
      {},
      'prometheus.endpoint',
      /starts with "\/"/,
    ],
    ['an empty host', { prometheus: { host: '' } }, {}, 'prometheus.host', /non-empty string/],
    [
      'withScopeLabels that is not a boolean',
      { prometheus: { withScopeLabels: 'yes' } },
      {},
      'prometheus.withScopeLabels',
      /true or false/,
    ],
    [
      'a zero export interval',
      { exporter: 'otlp', exportIntervalMillis: 0 },
      {},
      'exportIntervalMillis',
      /positive integer of milliseconds/,
    ],
    [
      'a timeout longer than the interval',
      { exporter: 'otlp', exportIntervalMillis: 1000, exportTimeoutMillis: 5000 },
      {},
      'exportTimeoutMillis',
      /longer than the export interval \(1000 ms\)/,
    ],
    [
      'an OTLP endpoint that is not a URL',
      { exporter: 'otlp', otlp: { endpoint: 'collector:4318' } },
      {},
      'otlp.endpoint',
      /expected an http: or https: URL/,
    ],
    ['otlp that is not an object', { otlp: 'http://x' }, {}, 'otlp', /expected an object/],
    [
      'an unknown temporality',
      { exporter: 'otlp', otlp: { temporality: 'weekly' } },
      {},
      'otlp.temporality',
      /"cumulative", "delta", "lowmemory"/,
    ],
    [
      'a misspelt OTLP option',
      { exporter: 'otlp', otlp: { temporalty: 'delta' } },
      {},
      'otlp.temporalty',
      /did you mean "temporality"\?$/,
    ],
    [
      'a view that is not an object',
      { views: [42] },
      {},
      'views[0]',
      /got 42; expected a view object/,
    ],
    ['register that is not a boolean', { register: 'yes' }, {}, 'register', /true or false/],
    [
      'a zero shutdown deadline',
      { shutdownTimeoutMillis: 0 },
      {},
      'shutdownTimeoutMillis',
      /positive integer/,
    ],
    [
      'a fractional cardinality limit',
      { cardinalityLimit: 1.5 },
      {},
      'cardinalityLimit',
      /positive integer/,
    ],
    [
      'a zero per-metric limit',
      { cardinalityLimits: { 'compute.vm.requests.total': 0 } },
      {},
      'cardinalityLimits["compute.vm.requests.total"]',
      /positive integer/,
    ],
    ['views that are not an array', { views: {} }, {}, 'views', /array of views/],
    ['an empty service name', { service: ' ' }, {}, 'service', /non-empty string/],
    [
      'an unknown exemplar filter',
      { exemplarFilter: 'sometimes' },
      {},
      'exemplarFilter',
      /expected one of "trace_based", "always_on", "always_off"/,
    ],
    [
      'an exemplar filter in the environment variable spelling of another case',
      { exemplarFilter: 'ALWAYS_ON' },
      {},
      'exemplarFilter',
      /got "ALWAYS_ON"/,
    ],
  ];

  it.each(badInputs)(
    'throws a ConfigError at set-up for %s',
    (_what, options, env, option, says) => {
      let error: unknown;
      try {
        handle = setupMetrics({ register: false, ...(options as SetupMetricsOptions), env });
      } catch (thrown) {
        error = thrown;
      }
      if (options === null) {
        try {
          setupMetrics(null as unknown as SetupMetricsOptions);
        } catch (thrown) {
          error = thrown;
        }
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).option).toBe(option);
      expect((error as Error).message).toMatch(says);
      expect((error as Error).message.startsWith(`${option}: `)).toBe(true);
    },
  );
});

describe('the exemplar filter', () => {
  it('is trace_based by default, read from OTEL_METRICS_EXEMPLAR_FILTER (any case), and the option wins', () => {
    const logs = captureDiag();
    try {
      expect(resolveMetricsSettings({}, {}).exemplarFilter).toBe('trace_based');
      expect(resolveMetricsSettings({}, { OTEL_METRICS_EXEMPLAR_FILTER: '' }).exemplarFilter).toBe(
        'trace_based',
      );
      for (const filter of ['trace_based', 'always_on', 'always_off'] as const) {
        expect(
          resolveMetricsSettings({}, { OTEL_METRICS_EXEMPLAR_FILTER: filter }).exemplarFilter,
        ).toBe(filter);
        expect(
          resolveMetricsSettings(
            { exemplarFilter: filter },
            { OTEL_METRICS_EXEMPLAR_FILTER: filter === 'always_off' ? 'always_on' : 'always_off' },
          ).exemplarFilter,
        ).toBe(filter);
      }
      expect(
        resolveMetricsSettings({}, { OTEL_METRICS_EXEMPLAR_FILTER: ' Always_Off ' }).exemplarFilter,
      ).toBe('always_off');
      expect(logs.entries).toEqual([]);
    } finally {
      logs.stop();
    }
  });
});

// Issue 14, defect 7: a bad OTEL_* value is reported through diag and its default used.
describe('bad environment values warn and fall back to the default', () => {
  it.each<[string, Record<string, string>, Partial<MetricsSettings>, RegExp]>([
    [
      'OTEL_METRICS_EXPORTER=zipkin',
      { OTEL_METRICS_EXPORTER: 'zipkin' },
      { exporter: 'prometheus' },
      /^@datum-telemetry: OTEL_METRICS_EXPORTER: got "zipkin"; .*; ignored, using prometheus$/,
    ],
    [
      'OTEL_METRICS_EXPORTER=memory',
      { OTEL_METRICS_EXPORTER: 'memory' },
      { exporter: 'prometheus' },
      /^@datum-telemetry: OTEL_METRICS_EXPORTER: got "memory"; expected one of otlp, console, prometheus, none .*; ignored, using prometheus$/,
    ],
    [
      'OTEL_EXPORTER_PROMETHEUS_PORT=http',
      { OTEL_EXPORTER_PROMETHEUS_PORT: 'http' },
      { prometheus: expect.objectContaining({ port: 9464 }) },
      /^@datum-telemetry: OTEL_EXPORTER_PROMETHEUS_PORT: got "http"; expected a positive integer; ignored, using 9464$/,
    ],
    [
      'OTEL_EXPORTER_PROMETHEUS_PORT=70000',
      { OTEL_EXPORTER_PROMETHEUS_PORT: '70000' },
      { prometheus: expect.objectContaining({ port: 9464 }) },
      /^@datum-telemetry: OTEL_EXPORTER_PROMETHEUS_PORT: got "70000"; expected a port from 1 to 65535; ignored, using 9464$/,
    ],
    [
      'OTEL_METRIC_EXPORT_INTERVAL=soon',
      { OTEL_METRICS_EXPORTER: 'otlp', OTEL_METRIC_EXPORT_INTERVAL: 'soon' },
      { exportIntervalMillis: 60_000 },
      /^@datum-telemetry: OTEL_METRIC_EXPORT_INTERVAL: got "soon"; expected a positive integer of milliseconds; ignored, using 60000$/,
    ],
    [
      'OTEL_METRIC_EXPORT_TIMEOUT longer than the interval',
      {
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
        OTEL_METRIC_EXPORT_TIMEOUT: '5000',
      },
      { exportIntervalMillis: 1000, exportTimeoutMillis: 1000 },
      /^@datum-telemetry: OTEL_METRIC_EXPORT_TIMEOUT: got "5000"; expected at most the export interval \(1000 ms\); ignored, using 1000$/,
    ],
    [
      'OTEL_EXPORTER_OTLP_PROTOCOL=udp',
      { OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'udp' },
      { otlp: expect.objectContaining({ protocol: 'http/protobuf' }) },
      /^@datum-telemetry: OTEL_EXPORTER_OTLP_PROTOCOL: got "udp"; expected one of http\/protobuf, http\/json, grpc; ignored, using http\/protobuf$/,
    ],
    [
      'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=sometimes',
      {
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes',
      },
      { otlp: expect.objectContaining({ temporality: 'cumulative' }) },
      /^@datum-telemetry: OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: got "sometimes"; .*; ignored, using cumulative$/,
    ],
    [
      'OTEL_METRICS_EXEMPLAR_FILTER=sampled',
      { OTEL_METRICS_EXEMPLAR_FILTER: 'sampled' },
      { exemplarFilter: 'trace_based' },
      /^@datum-telemetry: OTEL_METRICS_EXEMPLAR_FILTER: got "sampled"; expected one of trace_based, always_on, always_off; ignored, using trace_based$/,
    ],
    [
      'OTEL_RESOURCE_ATTRIBUTES=team',
      { OTEL_RESOURCE_ATTRIBUTES: 'team', OTEL_SERVICE_NAME: 'compute' },
      { meterName: 'compute' },
      /^@datum-telemetry: OTEL_RESOURCE_ATTRIBUTES: got "team"; expected a list/,
    ],
  ])('%s', (_what, env, settings, warning) => {
    const logs = captureDiag();
    try {
      expect(resolveMetricsSettings({}, env)).toMatchObject(settings);
      expect(logs.entries.map((entry) => entry.message)).toEqual([expect.stringMatching(warning)]);
    } finally {
      logs.stop();
    }
  });

  it('set-up succeeds: setupMetrics with a bad OTEL_METRICS_EXPORTER serves Prometheus', async () => {
    const logs = captureDiag();
    try {
      handle = setupMetrics({
        register: false,
        prometheus: { port: 0 },
        env: { OTEL_METRICS_EXPORTER: 'jaeger' },
      });
      await handle.ready;
      expect(handle.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(logs.text()).toContain('OTEL_METRICS_EXPORTER: got "jaeger"');
    } finally {
      logs.stop();
    }
  });
});

describe('at run time', () => {
  it('answers 500 instead of throwing when collecting fails, and reports through diag', async () => {
    const logs = captureDiag();
    try {
      handle = setupMetrics({ prometheus: false, env: {}, register: false });
      const server = await listen(handle.metricsHandler);
      try {
        await handle.shutdown();
        const response = await fetch(server.url);
        expect(response.status).toBe(500);
        expect(logs.text()).toContain('serving /metrics failed');
      } finally {
        await server.close();
      }
    } finally {
      logs.stop();
    }
  });

  it('still serves the other metrics when an observable callback throws', async () => {
    const logs = captureDiag();
    try {
      handle = setupMetrics({ prometheus: false, env: {}, register: false });
      const meter = handle.meter();
      meter.createObservableGauge('compute.vm.broken').addCallback(() => {
        throw new Error('callback failed');
      });
      meter.createCounter('compute.vm.requests.total').add(1);
      const text = await handle.scrape();
      expect(text).toContain('compute_vm_requests_total 1\n');
      expect(logs.text()).toContain('callback failed');
    } finally {
      logs.stop();
    }
  });
});
