// The Prometheus reader's cumulative store folds attribute sets past the cardinality limit into the
// overflow series; the exemplars of those points keep the attributes of the series they came from
// as filtered attributes, so that the overflow point's and the exemplar's together are still the
// measurement's (as the request cells and the own instruments do for the SDK's overflow series).
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import type { MetricExemplar, WithExemplars } from '../src/exemplars/types.js';
import { CumulativeStore } from '../src/prometheus/cumulative-store.js';
import {
  collected,
  counter,
  exemplar,
  histogram,
  histogramMetric,
  point,
  SPAN_A,
  SPAN_B,
  TRACE_A,
  TRACE_B,
} from './support/collected.js';

function overflowExemplars(result: ResourceMetrics, name: string): readonly MetricExemplar[] {
  const metric = result.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m: MetricData) => m.descriptor.name === name)!;
  const overflow = metric.dataPoints.find((p) => p.attributes['otel.metric.overflow'] === true) as
    | WithExemplars
    | undefined;
  return overflow?.exemplars ?? [];
}

describe('CumulativeStore past the cardinality limit', () => {
  it("a counter's exemplar folded into the overflow series keeps its series' attributes", () => {
    const store = new CumulativeStore(2);
    const result = store.add(
      collected([
        counter('requests', [
          point({ operation: 'Get' }, 1, [exemplar(1, TRACE_A, SPAN_A)]),
          point({ operation: 'List' }, 1, [exemplar(1, TRACE_B, SPAN_B)]),
        ]),
      ]),
    );
    const [kept] = overflowExemplars(result, 'requests');
    expect(kept?.traceId).toBe(TRACE_B);
    expect(kept?.filteredAttributes).toEqual({ operation: 'List' });
  });

  it("a histogram's exemplars folded into the overflow series keep their series' attributes, and their own", () => {
    const store = new CumulativeStore(2);
    store.add(
      collected([
        histogramMetric('duration', [point({ operation: 'Get' }, histogram([0.1], [1, 0], 0.05))]),
      ]),
    );
    const result = store.add(
      collected([
        histogramMetric('duration', [
          point({ operation: 'List' }, histogram([0.1], [0, 1], 0.5), [
            exemplar(0.5, TRACE_B, SPAN_B, { filteredAttributes: { user: 'u1' } }),
          ]),
        ]),
      ]),
    );
    const [kept] = overflowExemplars(result, 'duration');
    expect(kept?.traceId).toBe(TRACE_B);
    expect(kept?.filteredAttributes).toEqual({ operation: 'List', user: 'u1' });
  });

  it('an exemplar of the overflow series itself is left as it is', () => {
    const store = new CumulativeStore(2);
    const result = store.add(
      collected([
        counter('requests', [
          point({ operation: 'Get' }, 1),
          point({ 'otel.metric.overflow': true }, 1, [
            exemplar(1, TRACE_A, SPAN_A, { filteredAttributes: { operation: 'Watch' } }),
          ]),
        ]),
      ]),
    );
    const [kept] = overflowExemplars(result, 'requests');
    expect(kept?.filteredAttributes).toEqual({ operation: 'Watch' });
  });
});
