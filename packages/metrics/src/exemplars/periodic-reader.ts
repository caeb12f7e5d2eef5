import type {
  CollectionResult,
  MetricReader,
  PeriodicExportingMetricReaderOptions,
} from '@opentelemetry/sdk-metrics';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { ReaderExemplars } from './reader-exemplars.js';

/** The SDK does not export the type of `collect`'s options. */
type CollectionOptions = Parameters<MetricReader['collect']>[0];

/**
 * The SDK's periodic reader, whose collections carry the exemplars of the provider's own counters
 * and histograms. It overrides `collect`, which the SDK's reader calls for every export (on its
 * interval, `forceFlush` and `shutdown`): a `MetricProducer` can only add data, not annotate the
 * SDK's points, and a wrapped push exporter would see one export batch at a time (the reader may
 * split a collection) after the collection ended, too late to take the reservoirs at its start.
 */
export class ExemplarPeriodicReader extends PeriodicExportingMetricReader {
  constructor(
    options: PeriodicExportingMetricReaderOptions,
    private readonly exemplars: ReaderExemplars,
  ) {
    super(options);
  }

  override collect(options?: CollectionOptions): Promise<CollectionResult> {
    return this.exemplars.collect(() => super.collect(options));
  }
}
