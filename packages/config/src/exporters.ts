import { ConfigError, shown } from './errors.js';
import { readDurationMillis } from './numbers.js';
import { parseKeyValueList } from './resource.js';
import type {
  Env,
  ExporterKind,
  OtlpOptions,
  OtlpProtocol,
  OtlpSettings,
  Signal,
} from './types.js';

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];
const KINDS: Readonly<Record<Signal, readonly ExporterKind[]>> = {
  traces: ['otlp', 'console', 'memory', 'none'],
  metrics: ['otlp', 'console', 'prometheus', 'memory', 'none'],
  logs: ['otlp', 'console', 'memory', 'none'],
};
const EMBEDDED_DEFAULT: Readonly<Record<Signal, ExporterKind>> = {
  traces: 'console',
  metrics: 'prometheus',
  logs: 'console',
};
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];

function upper(signal: Signal): string {
  return signal.toUpperCase();
}

function checkSignal(signal: Signal): void {
  if (!SIGNALS.includes(signal)) {
    throw new ConfigError('signal', `got ${shown(signal)}; expected one of ${SIGNALS.join(', ')}`);
  }
}

function nonEmpty(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** True when any OTLP endpoint variable is set for the signal (its own or the shared one). */
export function hasOtlpEndpoint(signal: Signal, env: Env = process.env): boolean {
  return (
    nonEmpty(env, `OTEL_EXPORTER_OTLP_${upper(signal)}_ENDPOINT`) !== undefined ||
    nonEmpty(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined
  );
}

/**
 * Which exporter a signal uses. The code option wins; then `OTEL_{SIGNAL}_EXPORTER` (the first of a
 * comma list); then `otlp` when an OTLP endpoint is set; then the embedded default: metrics on a
 * Prometheus endpoint, traces and logs on the console. Throws a {@link ConfigError} for a value the
 * signal does not support.
 */
export function resolveExporterKind(
  signal: Signal,
  option?: ExporterKind,
  env: Env = process.env,
): ExporterKind {
  checkSignal(signal);
  const allowed = KINDS[signal];
  if (option !== undefined) {
    if (!allowed.includes(option)) {
      throw new ConfigError(
        'exporter',
        `got ${shown(option)}; expected one of ${allowed.join(', ')} for ${signal}`,
      );
    }
    return option;
  }
  const variable = `OTEL_${upper(signal)}_EXPORTER`;
  const raw = nonEmpty(env, variable);
  if (raw !== undefined) {
    const first = raw.split(',')[0]!.trim().toLowerCase();
    const value = first === 'logging' ? 'console' : first;
    if (!allowed.includes(value as ExporterKind)) {
      throw new ConfigError(variable, `got ${shown(raw)}; expected one of ${allowed.join(', ')}`);
    }
    return value as ExporterKind;
  }
  return hasOtlpEndpoint(signal, env) ? 'otlp' : EMBEDDED_DEFAULT[signal];
}

function checkUrl(option: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      option,
      `got ${shown(value)}; expected an absolute http(s) URL such as "http://127.0.0.1:4318"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(option, `got ${shown(value)}; expected an http: or https: URL`);
  }
  return url;
}

function withSignalPath(base: string, signal: Signal): string {
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

function resolveProtocol(signal: Signal, option: OtlpProtocol | undefined, env: Env): OtlpProtocol {
  if (option !== undefined) {
    if (!PROTOCOLS.includes(option)) {
      throw new ConfigError(
        'otlp.protocol',
        `got ${shown(option)}; expected one of ${PROTOCOLS.join(', ')}`,
      );
    }
    return option;
  }
  for (const variable of [
    `OTEL_EXPORTER_OTLP_${upper(signal)}_PROTOCOL`,
    'OTEL_EXPORTER_OTLP_PROTOCOL',
  ]) {
    const value = nonEmpty(env, variable);
    if (value !== undefined) {
      if (!PROTOCOLS.includes(value as OtlpProtocol)) {
        throw new ConfigError(
          variable,
          `got ${shown(value)}; expected one of ${PROTOCOLS.join(', ')}`,
        );
      }
      return value as OtlpProtocol;
    }
  }
  return 'http/protobuf';
}

function resolveCompression(
  signal: Signal,
  option: 'gzip' | 'none' | undefined,
  env: Env,
): 'gzip' | 'none' {
  if (option !== undefined) {
    if (option !== 'gzip' && option !== 'none') {
      throw new ConfigError('otlp.compression', `got ${shown(option)}; expected "gzip" or "none"`);
    }
    return option;
  }
  for (const variable of [
    `OTEL_EXPORTER_OTLP_${upper(signal)}_COMPRESSION`,
    'OTEL_EXPORTER_OTLP_COMPRESSION',
  ]) {
    const value = nonEmpty(env, variable);
    if (value !== undefined) {
      if (value !== 'gzip' && value !== 'none') {
        throw new ConfigError(variable, `got ${shown(value)}; expected "gzip" or "none"`);
      }
      return value;
    }
  }
  return 'none';
}

/**
 * OTLP exporter settings for a signal with every default resolved, code options first, then the
 * signal's own variables, then the shared ones. HTTP URLs get `/v1/{signal}` appended to a base
 * endpoint; a full URL (`url` or `OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT`) is used as it is. Throws a
 * {@link ConfigError} for an invalid option or variable.
 */
export function resolveOtlpSettings(
  signal: Signal,
  options: OtlpOptions = {},
  env: Env = process.env,
): OtlpSettings {
  checkSignal(signal);
  if (options === null || typeof options !== 'object') {
    throw new ConfigError('otlp', `got ${shown(options)}; expected an object`);
  }
  const protocol = resolveProtocol(signal, options.protocol, env);
  const grpc = protocol === 'grpc';
  const signalVariable = `OTEL_EXPORTER_OTLP_${upper(signal)}_ENDPOINT`;

  let url: string;
  if (options.url !== undefined) {
    url = checkUrl('otlp.url', options.url).href;
  } else if (options.endpoint !== undefined) {
    checkUrl('otlp.endpoint', options.endpoint);
    url = grpc ? options.endpoint : withSignalPath(options.endpoint, signal);
  } else if (nonEmpty(env, signalVariable) !== undefined) {
    url = checkUrl(signalVariable, nonEmpty(env, signalVariable)!).href;
  } else if (nonEmpty(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined) {
    const base = nonEmpty(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')!;
    checkUrl('OTEL_EXPORTER_OTLP_ENDPOINT', base);
    url = grpc ? base : withSignalPath(base, signal);
  } else {
    url = grpc ? 'http://localhost:4317' : withSignalPath('http://localhost:4318', signal);
  }

  if (
    options.headers !== undefined &&
    (options.headers === null || typeof options.headers !== 'object')
  ) {
    throw new ConfigError(
      'otlp.headers',
      `got ${shown(options.headers)}; expected an object of string values`,
    );
  }
  const headers: Record<string, string> = {
    ...parseKeyValueList('OTEL_EXPORTER_OTLP_HEADERS', env.OTEL_EXPORTER_OTLP_HEADERS),
    ...parseKeyValueList(
      `OTEL_EXPORTER_OTLP_${upper(signal)}_HEADERS`,
      env[`OTEL_EXPORTER_OTLP_${upper(signal)}_HEADERS`],
    ),
  };
  for (const [key, value] of Object.entries(options.headers ?? {})) {
    if (typeof value !== 'string')
      throw new ConfigError(`otlp.headers.${key}`, `got ${shown(value)}; expected a string`);
    headers[key] = value;
  }

  const signalTimeout = `OTEL_EXPORTER_OTLP_${upper(signal)}_TIMEOUT`;
  const timeoutMillis = readDurationMillis(
    'otlp.timeoutMillis',
    options.timeoutMillis,
    nonEmpty(env, signalTimeout) !== undefined ? signalTimeout : 'OTEL_EXPORTER_OTLP_TIMEOUT',
    10_000,
    env,
  );
  const compression = resolveCompression(signal, options.compression, env);
  return { protocol, url, headers, timeoutMillis, compression };
}
