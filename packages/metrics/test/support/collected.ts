// Collected metrics built by hand, shaped as the SDK and our producers hand them to the Prometheus
// reader: one of each kind the exposition shows, label values that need escaping, and exemplars on
// the data points (the `exemplars` field of src/exemplars/types.ts).
import { ValueType } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { DataPoint, Histogram, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { MetricExemplar, WithExemplars } from '../../src/exemplars/types.js';

export const TRACE_A = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN_A = '00f067aa0ba902b7';
export const TRACE_B = '0af7651916cd43dd8448eb211c80319c';
export const SPAN_B = 'b7ad6b7169203331';

const START: [number, number] = [1_700_000_000, 0];
const END: [number, number] = [1_700_000_060, 500_000_000];

export function exemplar(
  value: number,
  traceId: string,
  spanId: string,
  extra: Partial<MetricExemplar> = {},
): MetricExemplar {
  return {
    value,
    time: [1_700_000_030, 250_000_000],
    traceId,
    spanId,
    filteredAttributes: {},
    ...extra,
  };
}

export function point<T>(
  attributes: DataPoint<T>['attributes'],
  value: T,
  exemplars?: MetricExemplar[],
): DataPoint<T> & WithExemplars {
  return {
    attributes,
    startTime: START,
    endTime: END,
    value,
    ...(exemplars === undefined ? {} : { exemplars }),
  };
}

export function histogram(
  boundaries: number[],
  counts: number[],
  sum: number | undefined,
): Histogram {
  const count = counts.reduce((a, b) => a + b, 0);
  return {
    buckets: { boundaries, counts },
    count,
    ...(sum === undefined ? {} : { sum }),
    min: 0,
    max: 0,
  };
}

export function counter(
  name: string,
  points: DataPoint<number>[],
  unit = '',
  description = '',
): MetricData {
  return {
    descriptor: { name, description, unit, valueType: ValueType.INT },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    isMonotonic: true,
    dataPoints: points,
  };
}

export function upDownCounter(name: string, points: DataPoint<number>[], unit = ''): MetricData {
  return {
    descriptor: { name, description: '', unit, valueType: ValueType.INT },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.SUM,
    isMonotonic: false,
    dataPoints: points,
  };
}

export function gauge(name: string, points: DataPoint<number>[], unit = ''): MetricData {
  return {
    descriptor: { name, description: '', unit, valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.GAUGE,
    dataPoints: points,
  };
}

export function histogramMetric(
  name: string,
  points: DataPoint<Histogram>[],
  unit = 's',
  description = '',
): MetricData {
  return {
    descriptor: { name, description, unit, valueType: ValueType.DOUBLE },
    aggregationTemporality: AggregationTemporality.CUMULATIVE,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: points,
  };
}

export function collected(
  metrics: MetricData[],
  resource: Record<string, string> = { 'service.name': 'compute' },
  scope: { name: string; version?: string } = { name: 'compute', version: '1.2.0' },
): ResourceMetrics {
  return {
    resource: resourceFromAttributes(resource),
    scopeMetrics: [{ scope, metrics }],
  };
}

/** One of every kind, with escapes, exemplars and a View-like description. */
export function everyKind(): ResourceMetrics {
  return collected(
    [
      counter(
        'compute.vm.requests.total',
        [
          point({ method: 'POST', operation: 'Create', code: '201' }, 3, [
            exemplar(1, TRACE_A, SPAN_A),
          ]),
          point({ method: 'GET', operation: 'Get', code: '404' }, 1),
        ],
        '{request}',
        'Requests to the "VirtualMachine" API',
      ),
      histogramMetric(
        'compute.vm.request.duration.seconds',
        [
          point(
            { method: 'POST', operation: 'Create' },
            histogram([0.005, 0.1, 1], [1, 2, 0, 1], 2.5625),
            [exemplar(0.003, TRACE_A, SPAN_A), exemplar(2.4, TRACE_B, SPAN_B)],
          ),
          point({ method: 'GET', operation: 'List' }, histogram([0.005, 0.1, 1], [0, 0, 0, 0], 0)),
        ],
        's',
        'VirtualMachine request latency\nin seconds \\ wall clock',
      ),
      upDownCounter('compute.vm.active', [point({ zone: 'a"b\\c\nd' }, -2)], '{vm}'),
      gauge('compute.vm.cpu.utilization.percent', [point({}, 37.5)], '%'),
    ],
    { 'service.name': 'compute', 'service.version': '1.2.0', 'deployment.environment': 'test' },
  );
}
