// Issue 14, defect 7: an invalid or unsupported OTEL_* value is reported through diag and the
// default used, as the OpenTelemetry SDK specification asks, never a crash; code options still throw.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GrpcExporterCheck } from '../src/index.js';
import {
  ConfigError,
  readDurationMillis,
  resolveExporterKind,
  resolveOtlpSettings,
  resolveResourceAttributes,
  resolveSampler,
} from '../src/index.js';
import { captureWarnings } from './support/diag.js';

let warnings: ReturnType<typeof captureWarnings>;
beforeEach(() => {
  warnings = captureWarnings();
});
afterEach(() => warnings.stop());

const notInstalled: GrpcExporterCheck = { installed: () => false, version: '0.301.0' };

describe('environment values warn and fall back', () => {
  it('OTEL_TRACES_SAMPLER=foo: parentbased_always_on, and a warning naming the variable', () => {
    expect(resolveSampler(undefined, { OTEL_TRACES_SAMPLER: 'foo' })).toEqual({
      root: 'always_on',
      parentBased: true,
      ratio: 1,
    });
    expect(warnings.messages).toEqual([
      '@datum-telemetry: OTEL_TRACES_SAMPLER: got "foo"; expected one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio; ignored, using the default, parentbased_always_on',
    ]);
  });

  it('OTEL_TRACES_SAMPLER_ARG out of range: the ratio 1', () => {
    expect(
      resolveSampler(undefined, {
        OTEL_TRACES_SAMPLER: 'traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
      }),
    ).toEqual({ root: 'traceidratio', parentBased: false, ratio: 1 });
    expect(warnings.messages).toEqual([
      '@datum-telemetry: OTEL_TRACES_SAMPLER_ARG: got "1.5"; expected a number from 0 to 1; ignored, using the default ratio, 1',
    ]);
  });

  it('OTEL_TRACES_EXPORTER=jaeger (a value the specification lists): the default exporter', () => {
    expect(resolveExporterKind('traces', undefined, { OTEL_TRACES_EXPORTER: 'jaeger' })).toBe(
      'console',
    );
    expect(
      resolveExporterKind('traces', undefined, {
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      }),
    ).toBe('otlp');
    expect(resolveExporterKind('logs', undefined, { OTEL_LOGS_EXPORTER: 'prometheus' })).toBe(
      'console',
    );
    expect(warnings.messages).toEqual([
      '@datum-telemetry: OTEL_TRACES_EXPORTER: got "jaeger"; expected one of otlp, console, memory, none (what @datum-telemetry supports for traces); ignored, using console',
      '@datum-telemetry: OTEL_TRACES_EXPORTER: got "zipkin"; expected one of otlp, console, memory, none (what @datum-telemetry supports for traces); ignored, using otlp',
      '@datum-telemetry: OTEL_LOGS_EXPORTER: got "prometheus"; expected one of otlp, console, none (what @datum-telemetry supports for logs); ignored, using console',
    ]);
  });

  it('bad OTLP variables: each is reported and the next setting used', () => {
    const settings = resolveOtlpSettings('traces', undefined, {
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'thrift',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '::',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization',
      OTEL_EXPORTER_OTLP_TIMEOUT: '10s',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd',
    });
    expect(settings).toEqual({
      protocol: 'http/json',
      url: 'http://collector:4318/v1/traces',
      headers: {},
      timeoutMillis: 10_000,
      compression: 'none',
    });
    expect(warnings.messages).toHaveLength(5);
    expect(warnings.messages.join('\n')).toMatch(
      /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: got "thrift"; .*; ignored, using http\/json/,
    );
    expect(warnings.messages.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: got "::"/);
    expect(warnings.messages.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_TIMEOUT: got "10s"/);
    expect(warnings.messages.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_COMPRESSION: got "zstd"/);
    // Headers carry credentials: the warning names the variable, never its value.
    expect(warnings.messages.join('\n')).toMatch(/OTEL_EXPORTER_OTLP_HEADERS: expected a list/);
    expect(warnings.messages.join('\n')).not.toMatch(/authorization/);
  });

  it('a malformed OTEL_RESOURCE_ATTRIBUTES is discarded whole', () => {
    const attributes = resolveResourceAttributes(
      {},
      { OTEL_RESOURCE_ATTRIBUTES: 'team=core,novalue', OTEL_SERVICE_NAME: 'compute' },
    );
    expect(attributes['service.name']).toBe('compute');
    expect(attributes.team).toBeUndefined();
    expect(warnings.messages).toEqual([
      '@datum-telemetry: OTEL_RESOURCE_ATTRIBUTES: got "team=core,novalue"; expected a list such as "key1=value1,key2=value2" with percent-encoded values; ignored, using none of its attributes',
    ]);
  });

  it('a bad number variable: the fallback', () => {
    expect(
      readDurationMillis('x', undefined, 'OTEL_BSP_SCHEDULE_DELAY', 5000, {
        OTEL_BSP_SCHEDULE_DELAY: '-1',
      }),
    ).toBe(5000);
    expect(warnings.messages).toEqual([
      '@datum-telemetry: OTEL_BSP_SCHEDULE_DELAY: got "-1"; expected a positive integer of milliseconds; ignored, using 5000',
    ]);
  });

  it('code options still throw', () => {
    expect(() => resolveSampler({ root: 'foo' as never }, {})).toThrow(ConfigError);
    expect(() => resolveExporterKind('traces', 'jaeger' as never, {})).toThrow(
      'exporter: got "jaeger"; expected one of "otlp", "console", "memory", "none"',
    );
    expect(warnings.messages).toEqual([]);
  });
});

describe('OTLP gRPC without the gRPC exporters', () => {
  it('OTEL_EXPORTER_OTLP_PROTOCOL=grpc: names the variable and every package, uses http/protobuf', () => {
    const settings = resolveOtlpSettings(
      'metrics',
      {},
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      notInstalled,
    );
    expect(settings.protocol).toBe('http/protobuf');
    expect(settings.url).toBe('http://c:4318/v1/metrics');
    expect(warnings.messages).toEqual([
      '@datum-telemetry: OTEL_EXPORTER_OTLP_PROTOCOL=grpc needs the OTLP gRPC exporters, and @opentelemetry/exporter-metrics-otlp-grpc is not installed: run `npm install @opentelemetry/exporter-trace-otlp-grpc@0.301.0 @opentelemetry/exporter-metrics-otlp-grpc@0.301.0 @opentelemetry/exporter-logs-otlp-grpc@0.301.0`; using http/protobuf for metrics meanwhile',
    ]);
    expect(warnings.messages[0]).not.toMatch(/otlp\.protocol/);
  });

  it('the signal variable names its own package only', () => {
    const settings = resolveOtlpSettings(
      'logs',
      {},
      { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc' },
      notInstalled,
    );
    expect(settings).toMatchObject({
      protocol: 'http/protobuf',
      url: 'http://localhost:4318/v1/logs',
    });
    expect(warnings.messages).toEqual([
      '@datum-telemetry: OTEL_EXPORTER_OTLP_LOGS_PROTOCOL=grpc needs the OTLP gRPC exporter, and @opentelemetry/exporter-logs-otlp-grpc is not installed: run `npm install @opentelemetry/exporter-logs-otlp-grpc@0.301.0`; using http/protobuf for logs meanwhile',
    ]);
  });

  it('the otlp.protocol option fails at set-up, naming the option', () => {
    expect(() => resolveOtlpSettings('traces', { protocol: 'grpc' }, {}, notInstalled)).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        option: 'otlp.protocol',
        message: expect.stringContaining(
          'npm install @opentelemetry/exporter-trace-otlp-grpc@0.301.0',
        ),
      }),
    );
  });

  it('installed: grpc as asked', () => {
    const settings = resolveOtlpSettings(
      'traces',
      {},
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
      { installed: () => true, version: '0.301.0' },
    );
    expect(settings).toMatchObject({ protocol: 'grpc', url: 'http://localhost:4317' });
    expect(warnings.messages).toEqual([]);
  });
});
