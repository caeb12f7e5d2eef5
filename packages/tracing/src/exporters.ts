import type { Env, GrpcExporterCheck, OtlpOptions, OtlpSettings } from '@datum-telemetry/config';
import {
  ConfigError,
  GRPC_EXPORTER_PACKAGES,
  resolveExporterKind,
  resolveOtlpSettings,
} from '@datum-telemetry/config';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpHttpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { ReadableConsoleSpanExporter } from './console-exporter.js';
import { DeferredSpanExporter } from './deferred-exporter.js';
import { assertInstalled } from './optional-module.js';
import type { TraceExporterKind, TracingOptions } from './types.js';

const GRPC_EXPORTER = GRPC_EXPORTER_PACKAGES.traces;
const GRPC_EXPORTER_VERSION = '0.301.0';

type HttpExporterConfig = NonNullable<ConstructorParameters<typeof OtlpHttpProtobufExporter>[0]>;

/** The exporter kind `setupTracing` chose; `custom` is a `SpanExporter` passed as the option. */
export type ExporterChoice = TraceExporterKind | 'custom';

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
 * Whether the optional gRPC exporter resolves, for `resolveOtlpSettings`: a missing one fails the
 * `otlp.protocol` option and turns `OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL=grpc` into a warning.
 */
const grpcCheck: GrpcExporterCheck = {
  installed() {
    try {
      assertInstalled(GRPC_EXPORTER, 'otlp.protocol', 'the OTLP protocol "grpc"');
      return true;
    } catch {
      return false;
    }
  },
  version: GRPC_EXPORTER_VERSION,
};

function grpcExporter(settings: OtlpSettings, otlp: OtlpOptions | undefined): SpanExporter {
  if (otlp?.headers !== undefined && Object.keys(otlp.headers).length > 0) {
    throw new ConfigError(
      'otlp.headers',
      'is not supported with the protocol "grpc" (gRPC sends metadata); set OTEL_EXPORTER_OTLP_HEADERS (or OTEL_EXPORTER_OTLP_TRACES_HEADERS), which the gRPC exporter reads itself',
    );
  }
  return new DeferredSpanExporter(async () => {
    const { OTLPTraceExporter } = await import(GRPC_EXPORTER);
    return new OTLPTraceExporter({
      url: settings.url,
      timeoutMillis: settings.timeoutMillis,
      compression: settings.compression,
    }) as SpanExporter;
  }, `gRPC exporter (${GRPC_EXPORTER})`);
}

/** Which exporter: the option, then `OTEL_TRACES_EXPORTER`, then `otlp` if an endpoint is set, then `console`. */
export function exporterKind(options: TracingOptions, env: Env): ExporterChoice {
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
  kind: ExporterChoice,
  options: TracingOptions,
  env: Env,
): SpanExporter | undefined {
  switch (kind) {
    case 'custom':
      return options.exporter as SpanExporter;
    case 'otlp': {
      const settings = resolveOtlpSettings('traces', options.otlp, env, grpcCheck);
      if (settings.protocol === 'grpc') return grpcExporter(settings, options.otlp);
      const config = httpConfig(settings);
      return settings.protocol === 'http/json'
        ? new OtlpHttpJsonExporter(config)
        : new OtlpHttpProtobufExporter(config);
    }
    case 'console':
      return new ReadableConsoleSpanExporter(options.console);
    case 'memory':
      return new InMemorySpanExporter();
    case 'none':
      return undefined;
  }
}
