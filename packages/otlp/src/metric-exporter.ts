import type { OptionsSchema } from '@datum-telemetry/config';
import { rules, validateOptions } from '@datum-telemetry/config';
import type { ExportResult } from '@opentelemetry/core';
import { OtlpHttpExport } from './http-export.js';
import type { OtlpResourceMetrics } from './metric-data.js';
import type { OtlpTemporalityPreference } from './metric-temporality.js';
import { temporalitySelector } from './metric-temporality.js';
import { JsonMetricsEncoder } from './metrics-json.js';
import { ProtobufMetricsEncoder } from './metrics-protobuf.js';
import { exporterOptionRules, resolveExporterOptions } from './options.js';
import { jsonPartialSuccess, protobufPartialSuccess } from './partial-success.js';
import type { OtlpHttpExporterOptions } from './types.js';

/** Options of {@link OtlpHttpMetricExporter}: those of the span exporter, and the temporality. */
export interface OtlpHttpMetricExporterOptions extends OtlpHttpExporterOptions {
  /**
   * Which temporality the reader is asked for, per instrument kind, as the stock exporter's
   * `temporalityPreference`: `cumulative` for all; `delta` for all but up-down counters;
   * `lowmemory` for synchronous counters and histograms only. The default value is `cumulative`
   * (this package reads no environment variable).
   */
  readonly temporality?: OtlpTemporalityPreference;
}

const metricExporterOptionRules: OptionsSchema<OtlpHttpMetricExporterOptions> = {
  ...exporterOptionRules,
  temporality: rules.oneOf(['cumulative', 'delta', 'lowmemory']),
};

/**
 * An OTLP/HTTP metric exporter (a `PushMetricExporter` of `@opentelemetry/sdk-metrics`, for a
 * `PeriodicExportingMetricReader`) that encodes the reader's `ResourceMetrics` straight to
 * protobuf or OTLP/JSON bytes (see `ProtobufMetricsEncoder`), exemplars included, and sends them
 * as `OtlpHttpSpanExporter` sends spans, with the retries, timeouts and partial-success reports of
 * the stock `@opentelemetry/exporter-metrics-otlp-proto` / `-http` 0.301. A bad option throws a
 * `ConfigError` here; nothing throws later.
 */
export class OtlpHttpMetricExporter {
  private readonly delegate: OtlpHttpExport<OtlpResourceMetrics>;
  private readonly temporality: (instrumentType: string) => number;

  constructor(options: OtlpHttpMetricExporterOptions) {
    validateOptions<OtlpHttpMetricExporterOptions>(
      options,
      metricExporterOptionRules,
      '',
      'an object such as { url: "http://127.0.0.1:4318/v1/metrics" }',
    );
    const { temporality = 'cumulative', ...http } = options;
    this.temporality = temporalitySelector(temporality);
    const resolved = resolveExporterOptions(http);
    if (resolved.encoding === 'json') {
      const encoder = new JsonMetricsEncoder();
      this.delegate = new OtlpHttpExport(resolved, {
        encode: (metrics) => encoder.encode(metrics),
        contentType: 'application/json',
        partialSuccess: jsonPartialSuccess,
      });
    } else {
      const encoder = new ProtobufMetricsEncoder();
      this.delegate = new OtlpHttpExport(resolved, {
        encode: (metrics) => encoder.encode(metrics),
        contentType: 'application/x-protobuf',
        partialSuccess: (body) => protobufPartialSuccess(body, 'rejectedDataPoints'),
      });
    }
  }

  /** Sends the metrics; `resultCallback` gets SUCCESS, or FAILED with the error. Never throws. */
  export(metrics: OtlpResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.delegate.export([metrics], resultCallback);
  }

  /**
   * The SDK's `AggregationTemporality` (0 delta, 1 cumulative) the reader collects an instrument
   * kind (the SDK's `InstrumentType`, such as `HISTOGRAM`) with, from the `temporality` option.
   */
  selectAggregationTemporality(instrumentType: string): number {
    return this.temporality(instrumentType);
  }

  /** Resolves when the exports in flight have ended. */
  forceFlush(): Promise<void> {
    return this.delegate.forceFlush();
  }

  /** Waits for the exports in flight, then closes the connection; later exports fail. */
  shutdown(): Promise<void> {
    return this.delegate.shutdown();
  }
}
