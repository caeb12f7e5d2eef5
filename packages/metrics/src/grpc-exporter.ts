import { optionalPeer } from '@datum-telemetry/config/manifest';
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

/** The optional peer the `grpc` protocol needs. */
export const GRPC_EXPORTER = optionalPeer(
  import.meta.url,
  '@opentelemetry/exporter-metrics-otlp-grpc',
);

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
