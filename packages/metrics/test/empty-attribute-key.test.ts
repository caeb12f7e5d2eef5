// An attribute with an empty key (the API does not stop one reaching a metric) has no label name:
// the exposition leaves it out, in both formats, instead of writing `{="v"}`, which makes Prometheus
// refuse the whole scrape. Checked by promtool (the text format) and by the strict OpenMetrics
// parser of python3-prometheus-client, where installed.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  ensureOpenMetricsParser,
  validOpenMetrics,
} from '../../../test-support/openmetrics-oracle.mjs';
import { PrometheusSerializer } from '../src/index.js';
import {
  collected,
  counter,
  exemplar,
  histogram,
  histogramMetric,
  point,
  SPAN_A,
  TRACE_A,
} from './support/collected.js';

const parser = ensureOpenMetricsParser();
const promtool = spawnSync('sh', ['-c', 'command -v promtool']).status === 0;

function metrics() {
  return collected([
    counter('orders', [
      point({ '': 'lost', kind: 'book' }, 2, [
        exemplar(1, TRACE_A, SPAN_A, { filteredAttributes: { '': 'x', user: 'u1' } }),
      ]),
    ]),
    histogramMetric('latency', [point({ '': 'lost' }, histogram([0.1], [1, 0], 0.05))]),
  ]);
}

function serialize(format: 'prometheus' | 'openmetrics'): string {
  return new PrometheusSerializer({ withTargetInfo: false, withScopeLabels: false }).serialize(
    metrics(),
    format,
  );
}

describe('an attribute with an empty key', () => {
  it('is left out of the labels in both formats, the other attributes kept', () => {
    const text = serialize('prometheus');
    expect(text).not.toContain('{="');
    expect(text).not.toContain(',="');
    expect(text).toContain('orders_total{kind="book"} 2\n');
    expect(text).toContain('latency_bucket{le="0.1"} 1\n');
    const open = serialize('openmetrics');
    expect(open).not.toMatch(/[{,]="/);
    expect(open).toContain(
      `orders_total{kind="book"} 2 # {trace_id="${TRACE_A}",span_id="${SPAN_A}",user="u1"} 1`,
    );
  });

  it.skipIf(!promtool)('the text format passes promtool check metrics', () => {
    const run = spawnSync('promtool', ['check', 'metrics'], { input: serialize('prometheus') });
    expect(String(run.stdout) + String(run.stderr)).not.toMatch(/error/i);
    expect(run.status).toBe(0);
  });

  it.skipIf(!parser.available)('OpenMetrics passes the strict parser', () => {
    const families = validOpenMetrics(serialize('openmetrics'));
    expect([...families.keys()].sort()).toEqual(['latency', 'orders']);
  });
});
