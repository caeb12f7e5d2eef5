import { diag } from '@opentelemetry/api';
import type {
  CollectionResult,
  InstrumentType,
  MetricProducer,
  ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ReaderExemplars } from '../exemplars/reader-exemplars.js';
import type { ExpositionFormat } from '../types.js';
import { CumulativeStore } from './cumulative-store.js';
import type { ExpositionSettings } from './serializer.js';
import { PrometheusSerializer } from './serializer.js';

/**
 * A pull reader: collects when scraped and writes the exposition (the text format 0.0.4 or
 * OpenMetrics 1.0, exemplars kept per bucket by the store). Prometheus wants cumulative
 * values; the reader collects deltas and sums them in a store that holds at most `cardinalityLimit`
 * series per metric, because the SDK's own cumulative state grows by up to the limit at every
 * collection that brings new attribute sets.
 */
export class PrometheusReader extends MetricReader {
  private readonly serializer: PrometheusSerializer;
  private readonly store: CumulativeStore;
  private pending: Promise<ResourceMetrics> | undefined;
  private readonly exemplars: ReaderExemplars | undefined;

  constructor(
    settings: ExpositionSettings & {
      readonly cardinalityLimit: number;
      /** Sources of data beside the SDK's (the request cells). */
      readonly metricProducers?: MetricProducer[];
      /** The exemplars of the provider's own counters and histograms, attached when collecting. */
      readonly exemplars?: ReaderExemplars;
    },
  ) {
    const limit = settings.cardinalityLimit;
    super({
      cardinalitySelector: (_type: InstrumentType) => limit,
      aggregationTemporalitySelector: () => AggregationTemporality.DELTA,
      ...(settings.metricProducers === undefined
        ? {}
        : { metricProducers: settings.metricProducers }),
    });
    this.serializer = new PrometheusSerializer(settings);
    this.store = new CumulativeStore(limit);
    this.exemplars = settings.exemplars;
  }

  override collect(options?: Parameters<MetricReader['collect']>[0]): Promise<CollectionResult> {
    const exemplars = this.exemplars;
    return exemplars === undefined
      ? super.collect(options)
      : exemplars.collect(() => super.collect(options));
  }

  /**
   * Collects and serializes in `format` (the text format 0.0.4 by default). Rejects only when the
   * reader is shut down.
   */
  async scrape(format: ExpositionFormat = 'prometheus'): Promise<string> {
    // Scrapes that overlap share one collection, whatever their formats: two collections of deltas
    // must not interleave.
    if (this.pending === undefined) {
      this.pending = this.collectOnce().finally(() => {
        this.pending = undefined;
      });
    }
    return this.serializer.serialize(await this.pending, format);
  }

  private async collectOnce(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await this.collect();
    if (errors.length > 0) {
      diag.error('@datum-telemetry/metrics: errors while collecting for Prometheus', ...errors);
    }
    return this.store.add(resourceMetrics);
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}
