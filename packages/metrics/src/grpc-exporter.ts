import { createRequire } from 'node:module';
import { ConfigError } from '@datum-telemetry/config';
import { diag } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type {
  AggregationTemporality,
  AggregationTemporalitySelector,
  InstrumentType,
  PushMetricExporter,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** The optional peer dependency that carries the gRPC exporter. */
export const GRPC_EXPORTER_PACKAGE = '@opentelemetry/exporter-metrics-otlp-grpc';

/**
 * Throws a ConfigError naming the package to install when `specifier` cannot be resolved from this
 * package. Synchronous, so that a missing optional peer fails at set-up rather than at first export.
 */
export function assertInstalled(specifier: string, option: string): void {
  try {
    createRequire(import.meta.url).resolve(specifier);
  } catch {
    throw new ConfigError(
      option,
      `the gRPC exporter needs the optional package ${specifier}: run \`npm install ${specifier}@0.301.0\`, or use protocol "http/protobuf"`,
    );
  }
}

/**
 * A push exporter whose real exporter is loaded with a dynamic import, so the gRPC stack is only
 * loaded by services that chose it. Exports wait for the load; a failed load fails each export
 * (reported through `diag` by the reader) instead of throwing into the app.
 */
export class LazyPushExporter implements PushMetricExporter {
  private readonly loaded: Promise<PushMetricExporter>;

  constructor(
    load: () => Promise<PushMetricExporter>,
    private readonly temporality: AggregationTemporalitySelector,
  ) {
    this.loaded = load();
    // Failures surface through `ready` and each export; this keeps them from being unhandled.
    this.loaded.catch(() => {});
  }

  /** Resolves once the real exporter is loaded; rejects with the load error. */
  whenLoaded(): Promise<void> {
    return this.loaded.then(() => undefined);
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.loaded.then(
      (exporter) => exporter.export(metrics, resultCallback),
      (error: unknown) =>
        resultCallback({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        }),
    );
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.temporality(instrumentType);
  }

  async forceFlush(): Promise<void> {
    const exporter = await this.loaded.catch(() => undefined);
    await exporter?.forceFlush();
  }

  async shutdown(): Promise<void> {
    const exporter = await this.loaded.catch((error: unknown) => {
      diag.debug('@datum-telemetry/metrics: gRPC exporter never loaded', error);
      return undefined;
    });
    await exporter?.shutdown();
  }
}
