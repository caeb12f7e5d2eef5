import { diag } from '@opentelemetry/api';
import type { InstrumentType } from '@opentelemetry/sdk-metrics';
import { MetricReader } from '@opentelemetry/sdk-metrics';
import type { ExpositionSettings } from './serializer.js';
import { PrometheusSerializer } from './serializer.js';

/**
 * A pull reader: collects when scraped and writes the text exposition. Cumulative temporality, as
 * Prometheus expects.
 */
export class PrometheusReader extends MetricReader {
  private readonly serializer: PrometheusSerializer;

  constructor(settings: ExpositionSettings & { readonly cardinalityLimit: number }) {
    const limit = settings.cardinalityLimit;
    super({ cardinalitySelector: (_type: InstrumentType) => limit });
    this.serializer = new PrometheusSerializer(settings);
  }

  /** Collects and serializes. Rejects only when the reader is shut down. */
  async scrape(): Promise<string> {
    const { resourceMetrics, errors } = await this.collect();
    if (errors.length > 0) {
      diag.error('@datum-telemetry/metrics: errors while collecting for Prometheus', ...errors);
    }
    return this.serializer.serialize(resourceMetrics);
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}
