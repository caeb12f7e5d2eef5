import { diag } from '@opentelemetry/api';
import { warnInvalidEnv } from './env-warning.js';
import { ConfigError } from './errors.js';
import { readDurationMillis } from './numbers.js';
import { parseKeyValueList } from './resource.js';
import type {
  Env,
  ExporterKind,
  GrpcExporterCheck,
  OtlpExporterImplementation,
  OtlpExporterOptions,
  OtlpOptions,
  OtlpProtocol,
  OtlpSettings,
  Signal,
} from './types.js';
import type { OptionsSchema } from './validate.js';
import { rules, validateOptions } from './validate.js';

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];
/** What each signal package can export to; `memory` only where `setup*` offers it (tracing). */
const KINDS: Readonly<Record<Signal, readonly ExporterKind[]>> = {
  traces: ['otlp', 'console', 'memory', 'none'],
  metrics: ['otlp', 'console', 'prometheus', 'none'],
  logs: ['otlp', 'console', 'none'],
};
const EMBEDDED_DEFAULT: Readonly<Record<Signal, ExporterKind>> = {
  traces: 'console',
  metrics: 'prometheus',
  logs: 'console',
};
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc'];
const COMPRESSIONS: readonly OtlpSettings['compression'][] = ['gzip', 'none'];

/** The OTLP gRPC exporter package of each signal: optional peers of the signal packages. */
export const GRPC_EXPORTER_PACKAGES: Readonly<Record<Signal, string>> = Object.freeze({
  traces: '@opentelemetry/exporter-trace-otlp-grpc',
  metrics: '@opentelemetry/exporter-metrics-otlp-grpc',
  logs: '@opentelemetry/exporter-logs-otlp-grpc',
});

/** The rules of {@link OtlpOptions}, for the schemas of the signal packages. */
export const otlpOptionRules: OptionsSchema<OtlpOptions> = Object.freeze({
  endpoint: rules.nonEmptyString,
  url: rules.nonEmptyString,
  protocol: rules.oneOf(PROTOCOLS),
  headers: rules.record(rules.string, 'an object of string values'),
  timeoutMillis: rules.positiveMillis,
  compression: rules.oneOf(COMPRESSIONS),
});

const OTLP_EXPORTERS: readonly OtlpExporterImplementation[] = ['datum', 'opentelemetry'];

/** The rules of {@link OtlpExporterOptions}: {@link otlpOptionRules} and the `exporter` choice. */
export const otlpExporterOptionRules: OptionsSchema<OtlpExporterOptions> = Object.freeze({
  ...otlpOptionRules,
  exporter: rules.oneOf(OTLP_EXPORTERS),
});

/**
 * The `exporter` choice of OTLP options (`datum` when not given) and the other options, which
 * {@link resolveOtlpSettings} takes. `exporter: 'datum'` with `protocol: 'grpc'` in the same
 * options throws a {@link ConfigError}: ours speaks OTLP over HTTP only.
 */
export function splitOtlpExporterOptions(options: OtlpExporterOptions = {}): {
  readonly exporter: OtlpExporterImplementation;
  readonly otlp: OtlpOptions;
} {
  if (options.exporter === 'datum' && options.protocol === 'grpc') {
    throw new ConfigError(
      'otlp.exporter',
      'got "datum", which sends OTLP over HTTP, with the protocol "grpc"; leave `exporter` out for gRPC (OpenTelemetry\'s gRPC exporter is used)',
    );
  }
  const { exporter = 'datum', ...otlp } = options;
  return { exporter, otlp };
}

function upper(signal: Signal): string {
  return signal.toUpperCase();
}

function checkSignal(signal: Signal): void {
  rules.oneOf(SIGNALS).check(signal, 'signal');
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
 * Prometheus endpoint, traces and logs on the console. An option the signal does not support throws
 * a {@link ConfigError}; such a variable (`OTEL_TRACES_EXPORTER=jaeger`) is reported through
 * `diag.warn` and ignored.
 */
export function resolveExporterKind(
  signal: Signal,
  option?: ExporterKind,
  env: Env = process.env,
): ExporterKind {
  checkSignal(signal);
  const allowed = KINDS[signal];
  if (option !== undefined) {
    rules.oneOf(allowed).check(option, 'exporter');
    return option;
  }
  const fallback = hasOtlpEndpoint(signal, env) ? 'otlp' : EMBEDDED_DEFAULT[signal];
  const variable = `OTEL_${upper(signal)}_EXPORTER`;
  const raw = nonEmpty(env, variable);
  if (raw === undefined) return fallback;
  const first = raw.split(',')[0]!.trim().toLowerCase();
  const value = (first === 'logging' ? 'console' : first) as ExporterKind;
  if (allowed.includes(value)) return value;
  warnInvalidEnv(
    variable,
    env[variable],
    `one of ${allowed.join(', ')} (what @datum-telemetry supports for ${signal})`,
    fallback,
  );
  return fallback;
}

function checkUrl(option: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      option,
      `got ${JSON.stringify(value)}; expected an absolute http(s) URL such as "http://127.0.0.1:4318"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(option, `got ${JSON.stringify(value)}; expected an http: or https: URL`);
  }
  return url;
}

/** The variable as an http(s) URL; `undefined` when unset, or (reported) when it is not a URL. */
function urlFromEnv(variable: string, env: Env, using: string): URL | undefined {
  const value = nonEmpty(env, variable);
  if (value === undefined) return undefined;
  try {
    return checkUrl(variable, value);
  } catch {
    warnInvalidEnv(variable, env[variable], 'an absolute http(s) URL', using);
    return undefined;
  }
}

function withSignalPath(base: string, signal: Signal): string {
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

/**
 * The export URL: the `url` option as it is, the `endpoint` option (plus `/v1/{signal}` over HTTP),
 * the signal's endpoint variable as it is, the shared one (plus `/v1/{signal}`), the default.
 */
function resolveUrl(signal: Signal, options: OtlpOptions, env: Env, grpc: boolean): string {
  if (options.url !== undefined) return checkUrl('otlp.url', options.url).href;
  if (options.endpoint !== undefined) {
    checkUrl('otlp.endpoint', options.endpoint);
    return grpc ? options.endpoint : withSignalPath(options.endpoint, signal);
  }
  const own = urlFromEnv(
    `OTEL_EXPORTER_OTLP_${upper(signal)}_ENDPOINT`,
    env,
    'OTEL_EXPORTER_OTLP_ENDPOINT, else the default endpoint',
  );
  if (own !== undefined) return own.href;
  if (urlFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT', env, 'the default endpoint') !== undefined) {
    const base = nonEmpty(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')!;
    return grpc ? base : withSignalPath(base, signal);
  }
  return grpc ? 'http://localhost:4317' : withSignalPath('http://localhost:4318', signal);
}

/** One of `choices` from the first of `variables` that holds one; bad values are reported. */
function choiceFromEnv<T extends string>(
  variables: readonly string[],
  choices: readonly T[],
  fallback: T,
  env: Env,
): { readonly value: T; readonly variable: string | undefined } {
  const bad: string[] = [];
  let chosen: { value: T; variable: string | undefined } = { value: fallback, variable: undefined };
  for (const variable of variables) {
    const value = nonEmpty(env, variable)?.toLowerCase();
    if (value === undefined) continue;
    if (choices.includes(value as T)) {
      chosen = { value: value as T, variable };
      break;
    }
    bad.push(variable);
  }
  for (const variable of bad) {
    warnInvalidEnv(variable, env[variable], `one of ${choices.join(', ')}`, chosen.value);
  }
  return chosen;
}

function resolveProtocol(
  signal: Signal,
  option: OtlpProtocol | undefined,
  env: Env,
  grpc: GrpcExporterCheck | undefined,
): OtlpProtocol {
  const own = GRPC_EXPORTER_PACKAGES[signal];
  if (option !== undefined) {
    if (option === 'grpc' && grpc !== undefined && !grpc.installed()) {
      throw new ConfigError(
        'otlp.protocol',
        `"grpc" needs the optional package ${own}, which is not installed: run \`npm install ${own}@${grpc.version}\`, or use "http/protobuf"`,
      );
    }
    return option;
  }
  const { value, variable } = choiceFromEnv(
    [`OTEL_EXPORTER_OTLP_${upper(signal)}_PROTOCOL`, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    PROTOCOLS,
    'http/protobuf',
    env,
  );
  if (value === 'grpc' && grpc !== undefined && !grpc.installed()) {
    // The shared variable applies to every signal: name every package it needs.
    const needed =
      variable === 'OTEL_EXPORTER_OTLP_PROTOCOL'
        ? SIGNALS.map((s) => `${GRPC_EXPORTER_PACKAGES[s]}@${grpc.version}`)
        : [`${own}@${grpc.version}`];
    diag.warn(
      `@datum-telemetry: ${variable}=grpc needs the OTLP gRPC exporter${needed.length > 1 ? 's' : ''}, and ${own} is not installed: run \`npm install ${needed.join(' ')}\`; using http/protobuf for ${signal} meanwhile`,
    );
    return 'http/protobuf';
  }
  return value;
}

/**
 * OTLP exporter settings for a signal with every default resolved, code options first, then the
 * signal's own variables, then the shared ones. HTTP URLs get `/v1/{signal}` appended to a base
 * endpoint; a full URL (`url` or `OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT`) is used as it is. An invalid
 * option throws a {@link ConfigError}; an invalid variable is reported through `diag.warn` and
 * ignored. With `grpc`, the protocol `grpc` is checked against the exporter being installed: a
 * missing one fails the `otlp.protocol` option, and turns a `_PROTOCOL` variable into a warning and
 * `http/protobuf`.
 */
export function resolveOtlpSettings(
  signal: Signal,
  options: OtlpOptions = {},
  env: Env = process.env,
  grpc?: GrpcExporterCheck,
): OtlpSettings {
  checkSignal(signal);
  validateOptions<OtlpOptions>(options, otlpOptionRules, 'otlp');
  const protocol = resolveProtocol(signal, options.protocol, env, grpc);
  const url = resolveUrl(signal, options, env, protocol === 'grpc');

  const headers: Record<string, string> = {
    ...headersFromEnv('OTEL_EXPORTER_OTLP_HEADERS', env),
    ...headersFromEnv(`OTEL_EXPORTER_OTLP_${upper(signal)}_HEADERS`, env),
    ...options.headers,
  };

  const signalTimeout = `OTEL_EXPORTER_OTLP_${upper(signal)}_TIMEOUT`;
  const timeoutMillis = readDurationMillis(
    'otlp.timeoutMillis',
    options.timeoutMillis,
    nonEmpty(env, signalTimeout) !== undefined ? signalTimeout : 'OTEL_EXPORTER_OTLP_TIMEOUT',
    10_000,
    env,
  );
  const compression =
    options.compression ??
    choiceFromEnv(
      [`OTEL_EXPORTER_OTLP_${upper(signal)}_COMPRESSION`, 'OTEL_EXPORTER_OTLP_COMPRESSION'],
      COMPRESSIONS,
      'none',
      env,
    ).value;
  return { protocol, url, headers, timeoutMillis, compression };
}

/**
 * A headers variable; a malformed one is reported and ignored whole. The report does not quote the
 * value: headers carry credentials.
 */
function headersFromEnv(variable: string, env: Env): Record<string, string> {
  try {
    return parseKeyValueList(variable, env[variable]);
  } catch {
    diag.warn(
      `@datum-telemetry: ${variable}: expected a list such as "key1=value1,key2=value2" with percent-encoded values (the value is not shown: it may hold credentials); ignored, using no headers from it`,
    );
    return {};
  }
}
