import type { Attributes, AttributeValue, Meter } from '@opentelemetry/api';
import { metrics, ValueType } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type {
  CollectionResult,
  DataPoint,
  Histogram,
  InstrumentType,
  MetricData,
  MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType, MetricReader } from '@opentelemetry/sdk-metrics';
import { attachReader, ownExemplars } from '../exemplars/own-store.js';
import type { ReaderExemplars } from '../exemplars/reader-exemplars.js';
import { exemplarsOf } from '../exemplars/select.js';
import { DatumMeterProvider } from '../meter-provider.js';
import { checkedScrapeFormat } from '../prometheus/scrape-options.js';
import { kindOfMetric, PrometheusSerializer } from '../prometheus/serializer.js';
import { RequestCells } from '../request-cells/store.js';
import { resolveMetricsSettings } from '../settings.js';
import type {
  ScrapeOptions,
  TestMetric,
  TestMetrics,
  TestMetricsOptions,
  TestPoint,
} from '../types.js';
import { DeltaAccumulator } from './accumulator.js';

/** A reader that only collects when asked, in deltas the accumulator adds up. */
class TestReader extends MetricReader {
  constructor(
    cardinalityLimit: number,
    metricProducers: MetricProducer[],
    private readonly exemplars: ReaderExemplars | undefined,
  ) {
    super({
      aggregationTemporalitySelector: (_type: InstrumentType) => AggregationTemporality.DELTA,
      cardinalitySelector: (_type: InstrumentType) => cardinalityLimit,
      metricProducers,
    });
  }

  override collect(options?: Parameters<MetricReader['collect']>[0]): Promise<CollectionResult> {
    const exemplars = this.exemplars;
    return exemplars === undefined
      ? super.collect(options)
      : exemplars.collect(() => super.collect(options));
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}

function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => item === b[i]);
  }
  return a === b;
}

/** True when `attributes` has every key of `subset` with the same value. */
export function includesAttributes(attributes: Attributes, subset: Attributes): boolean {
  return Object.keys(subset).every((key) => sameValue(attributes[key], subset[key]));
}

function toTestPoint(metric: MetricData, point: DataPoint<unknown>): TestPoint {
  const { attributes, value } = point;
  const exemplars = exemplarsOf(point);
  const withExemplars = exemplars.length === 0 ? {} : { exemplars };
  if (metric.dataPointType === DataPointType.HISTOGRAM) {
    const histogram = value as Histogram;
    return {
      attributes,
      count: histogram.count,
      ...(histogram.sum === undefined ? {} : { sum: histogram.sum }),
      ...(histogram.min === undefined ? {} : { min: histogram.min }),
      ...(histogram.max === undefined ? {} : { max: histogram.max }),
      explicitBounds: [...histogram.buckets.boundaries],
      bucketCounts: [...histogram.buckets.counts],
      ...withExemplars,
    };
  }
  if (typeof value === 'number') return { attributes, value, ...withExemplars };
  return { attributes };
}

/**
 * An in-memory MeterProvider for tests: record through `meter()` (or the global API with
 * `register: true`), then read what was really collected. It uses the same provider as
 * `setupMetrics` (seconds buckets, cardinality limits, views), so tests see production behaviour.
 */
export function createTestMetrics(options: TestMetricsOptions = {}): TestMetrics {
  // The same validation as setupMetrics, against an empty environment so tests stay hermetic.
  const settings = resolveMetricsSettings(
    {
      service: options.service ?? 'test',
      ...(options.attributes === undefined ? {} : { attributes: options.attributes }),
      exporter: 'none',
      register: options.register ?? false,
      ...(options.cardinalityLimit === undefined
        ? {}
        : { cardinalityLimit: options.cardinalityLimit }),
      ...(options.cardinalityLimits === undefined
        ? {}
        : { cardinalityLimits: options.cardinalityLimits }),
      ...(options.views === undefined ? {} : { views: options.views }),
      meterName: options.meterName ?? 'test',
      ...(options.exemplarFilter === undefined ? {} : { exemplarFilter: options.exemplarFilter }),
    },
    {},
  );
  const resource = defaultResource().merge(resourceFromAttributes(settings.resourceAttributes));
  // The request cells too, so that tests of the HTTP middleware see what production exports.
  const cells = new RequestCells(settings.views, resource, settings.exemplarFilter);
  const exemplars = ownExemplars(settings);
  const reader = attachReader(
    cells,
    exemplars,
    (metricProducers, own) => new TestReader(settings.cardinalityLimit, metricProducers, own),
  );
  const meterProvider = new DatumMeterProvider(
    { resource, readers: [reader], views: [...settings.views] },
    cells,
    exemplars,
  );
  const registered = settings.register && metrics.setGlobalMeterProvider(meterProvider);
  const accumulator = new DeltaAccumulator();
  const serializer = new PrometheusSerializer({ withTargetInfo: false, withScopeLabels: false });

  const pull = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) {
      throw new AggregateError(errors, 'metrics collection failed (an observable callback threw)');
    }
    accumulator.add(resourceMetrics);
  };

  const collect = async (): Promise<TestMetric[]> => {
    await pull();
    const byName = new Map<string, TestMetric & { points: TestPoint[] }>();
    for (const { scope, metric } of accumulator.entries()) {
      const points = (metric.dataPoints as DataPoint<unknown>[]).map((point) =>
        toTestPoint(metric, point),
      );
      const existing = byName.get(metric.descriptor.name);
      if (existing !== undefined) {
        existing.points.push(...points);
        continue;
      }
      byName.set(metric.descriptor.name, {
        name: metric.descriptor.name,
        description: metric.descriptor.description,
        unit: metric.descriptor.unit,
        kind: kindOfMetric(metric),
        valueType: metric.descriptor.valueType === ValueType.INT ? 'int' : 'float',
        scope: scope.version ? { name: scope.name, version: scope.version } : { name: scope.name },
        points,
      });
    }
    return [...byName.values()];
  };

  const getMetric = async (name: string) =>
    (await collect()).find((metric) => metric.name === name);

  return {
    meterProvider,
    meter: (name?: string, version?: string): Meter =>
      meterProvider.getMeter(name ?? settings.meterName, version),
    collect,
    getMetric,
    async getPoints(name: string, attributes?: Attributes): Promise<TestPoint[]> {
      const metric = await getMetric(name);
      if (metric === undefined) return [];
      return attributes === undefined
        ? [...metric.points]
        : metric.points.filter((point) => includesAttributes(point.attributes, attributes));
    },
    async scrape(options?: ScrapeOptions): Promise<string> {
      const format = await checkedScrapeFormat(options);
      await pull();
      return serializer.serialize(accumulator.toResourceMetrics(resource), format);
    },
    async collectResourceMetrics() {
      await pull();
      return accumulator.toResourceMetrics(resource);
    },
    async reset(): Promise<void> {
      await pull();
      accumulator.clear();
    },
    async shutdown(): Promise<void> {
      if (registered && metrics.getMeterProvider() === meterProvider) metrics.disable();
      await meterProvider.shutdown();
    },
  };
}
