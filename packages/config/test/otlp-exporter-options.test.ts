import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  otlpExporterOptionRules,
  resolveOtlpSettings,
  splitOtlpExporterOptions,
  validateOptions,
} from '../src/index.js';

describe('the otlp.exporter option (tracing and logging)', () => {
  it('defaults to "datum" and leaves the other options for resolveOtlpSettings', () => {
    expect(splitOtlpExporterOptions()).toEqual({ exporter: 'datum', otlp: {} });
    const { exporter, otlp } = splitOtlpExporterOptions({
      exporter: 'opentelemetry',
      endpoint: 'http://c:4318',
      compression: 'gzip',
    });
    expect(exporter).toBe('opentelemetry');
    // resolveOtlpSettings knows no `exporter`: it would refuse the option.
    expect(resolveOtlpSettings('traces', otlp, {})).toMatchObject({
      url: 'http://c:4318/v1/traces',
      compression: 'gzip',
    });
    expect(() => resolveOtlpSettings('traces', { exporter: 'datum' } as never, {})).toThrow(
      /^otlp\.exporter: unknown option/,
    );
  });

  it('is checked with the other OTLP options: datum or opentelemetry, with a did-you-mean', () => {
    const check = (value: unknown) => () => validateOptions(value, otlpExporterOptionRules, 'otlp');
    expect(check({ exporter: 'datum', protocol: 'http/json' })).not.toThrow();
    expect(check({ exporter: 'opentelemetry' })).not.toThrow();
    expect(check({ exporter: 'stock' })).toThrow(ConfigError);
    expect(check({ exporter: 'stock' })).toThrow(
      'otlp.exporter: got "stock"; expected "datum" or "opentelemetry"',
    );
    expect(check({ exportr: 'datum' })).toThrow(/did you mean "exporter"/);
  });

  it('refuses "datum" with the protocol "grpc" in the same options; gRPC alone is fine', () => {
    expect(() => splitOtlpExporterOptions({ exporter: 'datum', protocol: 'grpc' })).toThrow(
      ConfigError,
    );
    expect(() => splitOtlpExporterOptions({ exporter: 'datum', protocol: 'grpc' })).toThrow(
      /^otlp\.exporter: got "datum", which sends OTLP over HTTP/,
    );
    expect(splitOtlpExporterOptions({ protocol: 'grpc' }).exporter).toBe('datum');
    expect(splitOtlpExporterOptions({ exporter: 'opentelemetry', protocol: 'grpc' }).exporter).toBe(
      'opentelemetry',
    );
  });
});
