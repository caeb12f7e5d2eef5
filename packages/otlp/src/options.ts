import type { OptionsSchema } from '@datum-telemetry/config';
import { rules, validateOptions } from '@datum-telemetry/config';
import type { OtlpEncoding, OtlpHttpExporterOptions } from './types.js';

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

export const exporterOptionRules: OptionsSchema<OtlpHttpExporterOptions> = {
  url: rules.required(
    rules.custom('an absolute http(s) URL such as "http://127.0.0.1:4318/v1/traces"', isHttpUrl),
  ),
  headers: rules.record(rules.string, 'an object of string values'),
  timeoutMillis: rules.positiveMillis,
  compression: rules.oneOf(['gzip', 'none']),
  encoding: rules.oneOf(['protobuf', 'json']),
  concurrencyLimit: rules.positiveInteger,
};

/** The exporter options with every default resolved. */
export interface ResolvedExporterOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
  readonly compression: 'gzip' | 'none';
  readonly encoding: OtlpEncoding;
  readonly concurrencyLimit: number;
}

/** Checks the options (a `ConfigError` naming the bad one) and fills in the defaults. */
export function resolveExporterOptions(options: unknown): ResolvedExporterOptions {
  validateOptions<OtlpHttpExporterOptions>(
    options,
    exporterOptionRules,
    '',
    'an object such as { url: "http://127.0.0.1:4318/v1/traces" }',
  );
  return {
    url: options.url,
    headers: options.headers ?? {},
    timeoutMillis: options.timeoutMillis ?? 10_000,
    compression: options.compression ?? 'none',
    encoding: options.encoding ?? 'protobuf',
    concurrencyLimit: options.concurrencyLimit ?? 30,
  };
}
