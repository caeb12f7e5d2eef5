import { OtlpHttpMetricExporter } from '@datum-telemetry/otlp';
import type { OTLPMetricExporterOptions } from '@opentelemetry/exporter-metrics-otlp-http';
import {
  AggregationTemporalityPreference,
  CumulativeTemporalitySelector,
  DeltaTemporalitySelector,
  LowMemoryTemporalitySelector,
  OTLPMetricExporter as OTLPJsonMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { IMetricReader, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { ConsoleMetricExporter, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { OwnExemplars } from './exemplars/own-store.js';
import { attachReader } from './exemplars/own-store.js';
import { ExemplarPeriodicReader } from './exemplars/periodic-reader.js';
import { GRPC_EXPORTER, LazyPushExporter } from './grpc-exporter.js';
import { PrometheusReader } from './prometheus/reader.js';
import type { RequestCells } from './request-cells/store.js';
import type { MetricsOtlpSettings, MetricsSettings } from './settings.js';
import type { TemporalityPreference } from './types.js';

/** The readers of a provider, and what the handle needs to reach. */
export interface Readers {
  readonly readers: IMetricReader[];
  readonly prometheus: PrometheusReader | undefined;
  /** Settles when optional exporters have loaded. */
  readonly loaded: Promise<void>;
}

const PREFERENCE: Readonly<Record<TemporalityPreference, AggregationTemporalityPreference>> = {
  cumulative: AggregationTemporalityPreference.CUMULATIVE,
  delta: AggregationTemporalityPreference.DELTA,
  lowmemory: AggregationTemporalityPreference.LOWMEMORY,
};

const SELECTOR = {
  cumulative: CumulativeTemporalitySelector,
  delta: DeltaTemporalitySelector,
  lowmemory: LowMemoryTemporalitySelector,
} as const;

const GRPC_REASON = 'the OTLP protocol "grpc"';

type HttpExporterConfig = NonNullable<ConstructorParameters<typeof OTLPProtoMetricExporter>[0]>;

function httpConfig(otlp: MetricsOtlpSettings): HttpExporterConfig & OTLPMetricExporterOptions {
  return {
    url: otlp.url,
    headers: { ...otlp.headers },
    timeoutMillis: otlp.timeoutMillis,
    compression: otlp.compression as HttpExporterConfig['compression'],
    temporalityPreference: PREFERENCE[otlp.temporality],
  };
}

/**
 * Ours (`@datum-telemetry/otlp`: points encoded straight to bytes, exemplars included) for OTLP
 * over HTTP; the same URL, headers, timeout, compression and temporality as the stock one.
 */
function datumExporter(otlp: MetricsOtlpSettings): PushMetricExporter {
  return new OtlpHttpMetricExporter({
    url: otlp.url,
    headers: otlp.headers,
    timeoutMillis: otlp.timeoutMillis,
    compression: otlp.compression,
    encoding: otlp.protocol === 'http/json' ? 'json' : 'protobuf',
    temporality: otlp.temporality,
  });
}

function otlpExporter(otlp: MetricsOtlpSettings): {
  exporter: PushMetricExporter;
  loaded: Promise<void>;
} {
  if (otlp.protocol !== 'grpc' && otlp.implementation === 'datum') {
    return { exporter: datumExporter(otlp), loaded: Promise.resolve() };
  }
  switch (otlp.protocol) {
    case 'http/json':
      return { exporter: new OTLPJsonMetricExporter(httpConfig(otlp)), loaded: Promise.resolve() };
    case 'grpc': {
      const lazy = new LazyPushExporter(async () => {
        const module = await GRPC_EXPORTER.load(
          () => import('@opentelemetry/exporter-metrics-otlp-grpc'),
          GRPC_REASON,
        );
        return new module.OTLPMetricExporter({
          url: otlp.url,
          timeoutMillis: otlp.timeoutMillis,
          compression: otlp.compression as HttpExporterConfig['compression'],
          temporalityPreference: PREFERENCE[otlp.temporality],
        });
      }, SELECTOR[otlp.temporality]);
      return { exporter: lazy, loaded: lazy.whenLoaded() };
    }
    default:
      return { exporter: new OTLPProtoMetricExporter(httpConfig(otlp)), loaded: Promise.resolve() };
  }
}

/**
 * Builds the readers the settings ask for (a missing gRPC exporter was handled by the settings),
 * each reading the request cells through a producer of its own, with the exemplars of the
 * provider's own instruments unless there are none to keep (`exemplars` undefined).
 */
export function createReaders(
  settings: MetricsSettings,
  cells: RequestCells,
  exemplars?: OwnExemplars,
): Readers {
  const readers: IMetricReader[] = [];
  let loaded: Promise<void> = Promise.resolve();
  const periodic = (exporter: PushMetricExporter) =>
    attachReader(cells, exemplars, (metricProducers, own) => {
      const options = {
        exporter,
        exportIntervalMillis: settings.exportIntervalMillis,
        exportTimeoutMillis: settings.exportTimeoutMillis,
        cardinalityLimits: { default: settings.cardinalityLimit },
        metricProducers,
      };
      return own === undefined
        ? new PeriodicExportingMetricReader(options)
        : new ExemplarPeriodicReader(options, own);
    });

  if (settings.exporter === 'otlp' && settings.otlp !== undefined) {
    const built = otlpExporter(settings.otlp);
    loaded = built.loaded;
    readers.push(periodic(built.exporter));
  } else if (settings.exporter === 'console') {
    readers.push(periodic(new ConsoleMetricExporter()));
  }

  let prometheus: PrometheusReader | undefined;
  if (settings.prometheus !== undefined) {
    const exposition = settings.prometheus;
    prometheus = attachReader(
      cells,
      exemplars,
      (metricProducers, own) =>
        new PrometheusReader({
          withTargetInfo: exposition.withTargetInfo,
          withScopeLabels: exposition.withScopeLabels,
          cardinalityLimit: settings.cardinalityLimit,
          metricProducers,
          ...(own === undefined ? {} : { exemplars: own }),
        }),
    );
    readers.push(prometheus);
  }
  return { readers, prometheus, loaded };
}
