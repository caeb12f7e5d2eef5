import { createRequire } from 'node:module';
import type { OtlpExporterImplementation, OtlpSettings } from '@datum-telemetry/config';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { GRPC_EXPORTER, GRPC_REASON } from './export-plan.js';

type HttpExporterConfig = NonNullable<
  ConstructorParameters<typeof import('@opentelemetry/exporter-logs-otlp-proto').OTLPLogExporter>[0]
>;
type GrpcExporterModule = typeof import('@opentelemetry/exporter-logs-otlp-grpc');
type GrpcExporterConfig = NonNullable<
  ConstructorParameters<GrpcExporterModule['OTLPLogExporter']>[0]
>;

/** The grpc exporter, loaded only when the `grpc` protocol is chosen (it is an optional peer). */
function importGrpcExporter(): Promise<GrpcExporterModule> {
  return GRPC_EXPORTER.load(() => import('@opentelemetry/exporter-logs-otlp-grpc'), GRPC_REASON);
}

/**
 * gRPC headers travel as grpc-js `Metadata`. It comes from the exporter's own gRPC helper package,
 * resolved from where the exporter is installed, so this package needs no gRPC dependency itself.
 */
function grpcMetadata(headers: Readonly<Record<string, string>>): GrpcExporterConfig['metadata'] {
  if (Object.keys(headers).length === 0) return undefined;
  const fromHere = createRequire(import.meta.url);
  const fromExporter = createRequire(fromHere.resolve(GRPC_EXPORTER.name));
  const helpers = fromExporter('@opentelemetry/otlp-grpc-exporter-base') as {
    createEmptyMetadata(): NonNullable<GrpcExporterConfig['metadata']>;
  };
  const metadata = helpers.createEmptyMetadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  return metadata;
}

/**
 * The OTLP log exporter for the resolved protocol, loaded on first use: over HTTP ours (`datum`,
 * records encoded straight to bytes by `@datum-telemetry/otlp`) or the stock one (`opentelemetry`);
 * over gRPC the stock one.
 */
export async function createLogExporter(
  settings: OtlpSettings,
  implementation: OtlpExporterImplementation,
): Promise<LogRecordExporter> {
  const compression = settings.compression as HttpExporterConfig['compression'];
  if (settings.protocol === 'grpc') {
    const { OTLPLogExporter } = await importGrpcExporter();
    return new OTLPLogExporter({
      url: settings.url,
      timeoutMillis: settings.timeoutMillis,
      compression,
      metadata: grpcMetadata(settings.headers),
    });
  }
  if (implementation === 'datum') {
    const { OtlpHttpLogRecordExporter } = await import('@datum-telemetry/otlp');
    return new OtlpHttpLogRecordExporter({
      url: settings.url,
      headers: settings.headers,
      timeoutMillis: settings.timeoutMillis,
      compression: settings.compression,
      encoding: settings.protocol === 'http/json' ? 'json' : 'protobuf',
    });
  }
  const config: HttpExporterConfig = {
    url: settings.url,
    headers: { ...settings.headers },
    timeoutMillis: settings.timeoutMillis,
    compression,
  };
  if (settings.protocol === 'http/json') {
    const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-http');
    return new OTLPLogExporter(config);
  }
  const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-proto');
  return new OTLPLogExporter(config);
}
