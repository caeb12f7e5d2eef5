// Exemplars of the service's own counters and histograms through real readers: the Prometheus
// endpoint in OpenMetrics (checked by Debian's strict OpenMetrics parser) and the text format
// (unchanged: the same bytes as with exemplars off), and the SDK's periodic reader with a delta and
// a cumulative exporter, next to each other, each with its own reservoirs.

import { defaultResource } from '@opentelemetry/resources';
import type { DataPoint, Histogram, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, InMemoryMetricExporter } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureOpenMetricsParser,
  validOpenMetrics,
} from '../../../test-support/openmetrics-oracle.mjs';
import { attachReader, ownExemplars } from '../src/exemplars/own-store.js';
import { ExemplarPeriodicReader } from '../src/exemplars/periodic-reader.js';
import type { MetricExemplar, MetricsHandle, WithExemplars } from '../src/index.js';
import { createInstruments, defineMetrics, setupMetrics } from '../src/index.js';
import { DatumMeterProvider } from '../src/meter-provider.js';
import { PrometheusReader } from '../src/prometheus/reader.js';
import { RequestCells } from '../src/request-cells/store.js';
import { inSpan, useContextManager } from './support/spans.js';

let disable: () => void;
beforeAll(() => {
  disable = useContextManager();
});
afterAll(() => disable());

const parser = ensureOpenMetricsParser();
const withParser = describe.skipIf(!parser.available);

const computeMetrics = defineMetrics({
  service: 'compute',
  metrics: {
    reconciles: {
      name: 'compute.vm.reconciles.total',
      kind: 'counter',
      unit: '{reconcile}',
      description: 'Reconciliations',
      attributes: ['outcome'],
    },
    reconcileDuration: {
      name: 'compute.vm.reconcile.duration.seconds',
      kind: 'histogram',
      description: 'Duration of reconciliations',
      buckets: [0.1, 1, 10],
      attributes: ['outcome'],
    },
  },
});

const handles: MetricsHandle[] = [];
afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.shutdown();
});

function prometheusHandle(exemplarFilter?: 'always_off'): MetricsHandle {
  const handle = setupMetrics({
    service: 'compute',
    prometheus: { serve: false },
    register: false,
    env: {},
    ...(exemplarFilter === undefined ? {} : { exemplarFilter }),
  });
  handles.push(handle);
  return handle;
}

withParser('the Prometheus endpoint in OpenMetrics', () => {
  it('shows the span’s ids on the bucket line of the measurement and on the _total line', async () => {
    const handle = prometheusHandle();
    const { reconciles, reconcileDuration } = computeMetrics.create(handle.meter());
    const make = createInstruments(handle.meter('factories'), { service: 'compute' });
    const deletes = make.counter('compute.vm.deletes.total', { unit: '{delete}' });
    const sampled = inSpan(true, () => {
      reconciles.add(3, { outcome: 'ok' });
      reconcileDuration.record(0.5, { outcome: 'ok' });
      deletes.add(1);
    });
    inSpan(false, () => reconcileDuration.record(5, { outcome: 'ok' }));
    reconcileDuration.record(50, { outcome: 'ok' });

    const families = validOpenMetrics(await handle.scrape({ format: 'openmetrics' }));
    const buckets = families
      .get('compute_vm_reconcile_duration_seconds')!
      .samples.filter((s) => s.name.endsWith('_bucket'))
      .map((s) => [s.labels.le, s.value, s.exemplar]);
    expect(buckets).toEqual([
      ['0.1', 0, null],
      [
        '1',
        1,
        {
          labels: { trace_id: sampled.traceId, span_id: sampled.spanId },
          value: 0.5,
          timestamp: expect.any(Number),
        },
      ],
      ['10', 2, null], // the unsampled span's measurement: no exemplar
      ['+Inf', 3, null], // no span
    ]);
    const total = families
      .get('compute_vm_reconciles')!
      .samples.find((s) => s.name === 'compute_vm_reconciles_total')!;
    expect(total).toMatchObject({
      labels: { outcome: 'ok' },
      value: 3,
      exemplar: { labels: { trace_id: sampled.traceId, span_id: sampled.spanId }, value: 3 },
    });
    const deleted = families.get('compute_vm_deletes')!.samples[0]!;
    expect(deleted.exemplar?.labels.span_id).toBe(sampled.spanId);

    // Cumulative across scrapes: kept until a newer one in the same bucket replaces it.
    const later = inSpan(true, () => reconcileDuration.record(0.25, { outcome: 'ok' }));
    const again = validOpenMetrics(await handle.scrape({ format: 'openmetrics' }));
    const exemplarOf = (le: string) =>
      again
        .get('compute_vm_reconcile_duration_seconds')!
        .samples.find((s) => s.name.endsWith('_bucket') && s.labels.le === le)!.exemplar;
    expect(exemplarOf('1')?.labels.span_id).toBe(later.spanId);
    const kept = again
      .get('compute_vm_reconciles')!
      .samples.find((s) => s.name === 'compute_vm_reconciles_total')!;
    expect(kept.exemplar?.labels.span_id).toBe(sampled.spanId);
  });

  it('leaves the text format 0.0.4 as it is without exemplars, byte for byte', async () => {
    const record = (handle: MetricsHandle) => {
      const { reconciles, reconcileDuration } = computeMetrics.create(handle.meter());
      inSpan(true, () => {
        reconciles.add(2, { outcome: 'ok' });
        reconcileDuration.record(0.5, { outcome: 'ok' });
      });
    };
    const on = prometheusHandle();
    const off = prometheusHandle('always_off');
    record(on);
    record(off);
    const text = await on.scrape();
    expect(text).toContain('compute_vm_reconciles_total{outcome="ok"} 2\n');
    expect(text).not.toContain('trace_id');
    expect(text).toBe(await off.scrape());
    // And the OpenMetrics exposition of the one with exemplars does have them.
    expect(await on.scrape({ format: 'openmetrics' })).toContain('# {trace_id="');
  });
});

describe('setupMetrics and OTEL_METRICS_EXEMPLAR_FILTER', () => {
  it('always_off from the environment leaves the instruments the SDK’s own; always_on keeps unsampled spans', async () => {
    const off = setupMetrics({
      service: 'compute',
      prometheus: { serve: false },
      register: false,
      env: { OTEL_METRICS_EXEMPLAR_FILTER: 'always_off' },
    });
    const on = setupMetrics({
      service: 'compute',
      prometheus: { serve: false },
      register: false,
      env: { OTEL_METRICS_EXEMPLAR_FILTER: 'always_on' },
    });
    handles.push(off, on);
    const counterOf = (handle: MetricsHandle) =>
      createInstruments(handle.meter(), { service: 'compute' }).counter(
        'compute.vm.deletes.total',
        {
          unit: '{delete}',
        },
      );
    const offCounter = counterOf(off);
    const onCounter = counterOf(on);
    expect(offCounter.constructor.name).toBe('CounterInstrument');
    const unsampled = inSpan(false, () => {
      offCounter.add(1);
      onCounter.add(1);
    });
    expect(await off.scrape({ format: 'openmetrics' })).not.toContain('trace_id');
    expect(await on.scrape({ format: 'openmetrics' })).toContain(
      `compute_vm_deletes_total 1 # {trace_id="${unsampled.traceId}",span_id="${unsampled.spanId}"} 1`,
    );
  });
});

type Point = DataPoint<number | Histogram> & WithExemplars;

function pointsOf(exports: ResourceMetrics[], name: string): Point[] {
  const last = exports.at(-1);
  const metric: MetricData | undefined = last?.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []) as Point[];
}

function spanIds(exemplars: readonly MetricExemplar[] | undefined): string[] {
  return (exemplars ?? []).map((e) => e.spanId);
}

describe('periodic readers, delta and cumulative, side by side', () => {
  const providers: DatumMeterProvider[] = [];
  afterEach(async () => {
    for (const provider of providers.splice(0)) await provider.shutdown();
  });

  function setup() {
    const settings = { views: [], exemplarFilter: 'trace_based' } as const;
    const resource = defaultResource();
    const cells = new RequestCells(settings.views, resource, settings.exemplarFilter);
    const exemplars = ownExemplars(settings);
    const exporters = {
      delta: new InMemoryMetricExporter(AggregationTemporality.DELTA),
      cumulative: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    };
    const readers = Object.values(exporters).map((exporter) =>
      attachReader(cells, exemplars, (metricProducers, own) => {
        expect(own).toBeDefined();
        return new ExemplarPeriodicReader(
          { exporter, exportIntervalMillis: 3_600_000, metricProducers },
          own!,
        );
      }),
    );
    // And a Prometheus reader on the same provider, scraped in between.
    const prometheus = attachReader(
      cells,
      exemplars,
      (metricProducers, own) =>
        new PrometheusReader({
          withTargetInfo: false,
          withScopeLabels: false,
          cardinalityLimit: 2000,
          metricProducers,
          exemplars: own!,
        }),
    );
    const provider = new DatumMeterProvider(
      { resource, readers: [...readers, prometheus] },
      cells,
      exemplars,
    );
    providers.push(provider);
    const flush = async () => {
      await provider.forceFlush();
      return {
        delta: exporters.delta.getMetrics(),
        cumulative: exporters.cumulative.getMetrics(),
      };
    };
    return { provider, flush, prometheus, meter: provider.getMeter('compute') };
  }

  it('a delta reader gets each cycle’s exemplars only; a cumulative one keeps the last per bucket and series', async () => {
    const { flush, meter, prometheus } = setup();
    const { reconciles, reconcileDuration } = computeMetrics.create(meter);
    const first = inSpan(true, () => {
      reconciles.add(1, { outcome: 'ok' });
      reconcileDuration.record(0.5, { outcome: 'ok' });
    });
    // A scrape between exports takes nothing from the periodic readers' reservoirs.
    expect(await prometheus.scrape('openmetrics')).toContain(`span_id="${first.spanId}"`);

    let exported = await flush();
    for (const temporality of ['delta', 'cumulative'] as const) {
      const [counter] = pointsOf(exported[temporality], 'compute.vm.reconciles.total');
      const [histogram] = pointsOf(exported[temporality], 'compute.vm.reconcile.duration.seconds');
      expect(spanIds(counter!.exemplars), temporality).toEqual([first.spanId]);
      expect(spanIds(histogram!.exemplars), temporality).toEqual([first.spanId]);
    }

    // Next cycle: an unsampled measurement in the same series, and a sampled one in another bucket.
    inSpan(false, () => reconciles.add(1, { outcome: 'ok' }));
    const second = inSpan(true, () => reconcileDuration.record(5, { outcome: 'ok' }));
    exported = await flush();
    const [deltaCounter] = pointsOf(exported.delta, 'compute.vm.reconciles.total');
    expect(deltaCounter!.value).toBe(1);
    expect(deltaCounter!.exemplars).toBeUndefined();
    const [deltaHistogram] = pointsOf(exported.delta, 'compute.vm.reconcile.duration.seconds');
    expect(spanIds(deltaHistogram!.exemplars)).toEqual([second.spanId]);

    const [cumulativeCounter] = pointsOf(exported.cumulative, 'compute.vm.reconciles.total');
    expect(cumulativeCounter!.value).toBe(2);
    expect(spanIds(cumulativeCounter!.exemplars)).toEqual([first.spanId]);
    const [cumulativeHistogram] = pointsOf(
      exported.cumulative,
      'compute.vm.reconcile.duration.seconds',
    );
    // Bucket order: (0.1, 1] kept from the first cycle, (1, 10] from this one.
    expect(spanIds(cumulativeHistogram!.exemplars)).toEqual([first.spanId, second.spanId]);

    // A cycle without measurements: the delta reader exports nothing (the SDK skips an empty
    // collection), the cumulative reader still shows what it kept.
    const deltaExports = exported.delta.length;
    exported = await flush();
    expect(exported.delta.length).toBe(deltaExports);
    const [stillCounter] = pointsOf(exported.cumulative, 'compute.vm.reconciles.total');
    expect(spanIds(stillCounter!.exemplars)).toEqual([first.spanId]);
  });
});
