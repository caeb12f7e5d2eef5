import type {
  Env,
  OtlpExporterImplementation,
  OtlpOptions,
  OtlpSettings,
} from '@datum-telemetry/config';
import {
  ConfigError,
  resolveExporterKind,
  resolveOtlpSettings,
  splitOtlpExporterOptions,
} from '@datum-telemetry/config';
import { optionalPeer } from '@datum-telemetry/config/manifest';
import { OtlpHttpSpanExporter } from '@datum-telemetry/otlp';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpHttpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { ReadableConsoleSpanExporter } from './console-exporter.js';
import { DeferredSpanExporter } from './deferred-exporter.js';
import type { TraceExporterChoice, TracingOptions } from './types.js';

/** The optional peer the `grpc` protocol needs. */
export const GRPC_EXPORTER = optionalPeer(
  import.meta.url,
  '@opentelemetry/exporter-trace-otlp-grpc',
);
const GRPC_REASON = 'the OTLP protocol "grpc"';

type HttpExporterConfig = NonNullable<ConstructorParameters<typeof OtlpHttpProtobufExporter>[0]>;

/** True for an object with `export()` and `shutdown()`: a `SpanExporter` passed as the option. */
export function isSpanExporter(value: unknown): value is SpanExporter {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as SpanExporter).export === 'function' &&
    typeof (value as SpanExporter).shutdown === 'function'
  );
}

function httpConfig(settings: OtlpSettings): HttpExporterConfig {
  return {
    url: settings.url,
    headers: { ...settings.headers },
    timeoutMillis: settings.timeoutMillis,
    // The SDK types this as its own enum; its values are these same strings.
    compression: settings.compression as HttpExporterConfig['compression'],
  };
}

/**
 * The OTLP/HTTP exporter: ours (`datum`, spans encoded straight to bytes by `@datum-telemetry/otlp`)
 * or the stock one (`opentelemetry`). Both send the same request, with the same retries.
 */
function httpExporter(
  settings: OtlpSettings,
  implementation: OtlpExporterImplementation,
): SpanExporter {
  const json = settings.protocol === 'http/json';
  if (implementation === 'datum') {
    return new OtlpHttpSpanExporter({
      url: settings.url,
      headers: settings.headers,
      timeoutMillis: settings.timeoutMillis,
      compression: settings.compression,
      encoding: json ? 'json' : 'protobuf',
    });
  }
  const config = httpConfig(settings);
  return json ? new OtlpHttpJsonExporter(config) : new OtlpHttpProtobufExporter(config);
}

function grpcExporter(settings: OtlpSettings, otlp: OtlpOptions | undefined): SpanExporter {
  if (otlp?.headers !== undefined && Object.keys(otlp.headers).length > 0) {
    throw new ConfigError(
      'otlp.headers',
      'is not supported with the protocol "grpc" (gRPC sends metadata); set OTEL_EXPORTER_OTLP_HEADERS (or OTEL_EXPORTER_OTLP_TRACES_HEADERS), which the gRPC exporter reads itself',
    );
  }
  return new DeferredSpanExporter(async () => {
    const { OTLPTraceExporter } = await GRPC_EXPORTER.load(
      () => import('@opentelemetry/exporter-trace-otlp-grpc'),
      GRPC_REASON,
    );
    return new OTLPTraceExporter({
      url: settings.url,
      timeoutMillis: settings.timeoutMillis,
      compression: settings.compression as HttpExporterConfig['compression'],
    });
  }, `gRPC exporter (${GRPC_EXPORTER.name})`);
}

/** Which exporter: the option, then `OTEL_TRACES_EXPORTER`, then `otlp` if an endpoint is set, then `console`. */
export function exporterKind(options: TracingOptions, env: Env): TraceExporterChoice {
  const option = options.exporter;
  if (option !== undefined && typeof option === 'object') return 'custom';
  const kind = resolveExporterKind('traces', option, env);
  if (kind === 'prometheus') {
    // resolveExporterKind refuses it for traces; this keeps the type narrow.
    throw new ConfigError('exporter', 'got "prometheus"; expected otlp, console, memory or none');
  }
  return kind;
}

/** Builds the exporter of that kind; OTLP and console settings are checked here. */
export function buildExporter(
  kind: TraceExporterChoice,
  options: TracingOptions,
  env: Env,
): SpanExporter | undefined {
  switch (kind) {
    case 'custom':
      return options.exporter as SpanExporter;
    case 'otlp': {
      const { exporter: implementation, otlp } = splitOtlpExporterOptions(options.otlp);
      const settings = resolveOtlpSettings('traces', otlp, env, GRPC_EXPORTER);
      if (settings.protocol === 'grpc') return grpcExporter(settings, otlp);
      return httpExporter(settings, implementation);
    }
    case 'console':
      return new ReadableConsoleSpanExporter(options.console);
    case 'memory':
      return new InMemorySpanExporter();
    case 'none':
      return undefined;
  }
}
