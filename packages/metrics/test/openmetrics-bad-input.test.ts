// Bad input for the OpenMetrics exposition: label values that would break a line, exemplars a
// producer got wrong, values the format forbids on counters, odd histograms. Each case says what it
// gets, and the whole exposition must stay valid for the strict parser of python3-prometheus-client.

import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { OracleFamily } from '../../../test-support/openmetrics-oracle.mjs';
import {
  ensureOpenMetricsParser,
  validOpenMetrics,
} from '../../../test-support/openmetrics-oracle.mjs';
import type { MetricExemplar } from '../src/exemplars/types.js';
import { PrometheusSerializer } from '../src/index.js';
import {
  collected,
  counter,
  exemplar,
  gauge,
  histogram,
  histogramMetric,
  point,
  SPAN_A,
  SPAN_B,
  TRACE_A,
  TRACE_B,
  upDownCounter,
} from './support/collected.js';
import { captureDiag } from './support/diag.js';

const parser = ensureOpenMetricsParser();
if (!parser.available) console.warn(`openmetrics-bad-input.test.ts: ${parser.reason}`);

let diag: ReturnType<typeof captureDiag> | undefined;
afterEach(() => {
  diag?.stop();
  diag = undefined;
});

/** The OpenMetrics text, and (when the parser is there) what the strict parser reads from it. */
function openMetrics(metrics: ResourceMetrics): {
  text: string;
  families: Map<string, OracleFamily> | undefined;
} {
  const text = new PrometheusSerializer({ withTargetInfo: true, withScopeLabels: false }).serialize(
    metrics,
    'openmetrics',
  );
  expect(text.endsWith('# EOF\n')).toBe(true);
  return { text, families: parser.available ? validOpenMetrics(text) : undefined };
}

const LONG = 'v'.repeat(10_000);
const NASTY = [
  'say "hi"',
  'C:\\dir\\',
  'line\nbreak',
  'ends with backslash\\',
  '" # {trace_id="x"} 1 2',
  'brace } and { and ,comma,',
  'ünïcödé 🚀',
  LONG,
];

describe('OpenMetrics with bad input stays valid', () => {
  it('escapes label values with quotes, backslashes, newlines, exemplar look-alikes and 10k characters', () => {
    // The exemplar attributes are the same nasty values; one with a `}` is left off the exemplar
    // (python3-prometheus-client 0.16 ends an exemplar's label set at its first `}`, even inside a
    // quoted value), which the strict parse below would otherwise reject.
    const points = NASTY.map((value, i) =>
      point({ value, i }, i + 1, [
        exemplar(1, TRACE_A, SPAN_A, { filteredAttributes: { v: value } }),
      ]),
    );
    const { families } = openMetrics(
      collected([counter('compute.nasty.total', points)], { 'service.name': 'c"o\\m\np' }),
    );
    if (families === undefined) return;
    const read = families.get('compute_nasty')!.samples;
    expect(read.map((s) => s.labels.value)).toEqual(NASTY);
    expect(families.get('target')!.samples[0]!.labels.service_name).toBe('c"o\\m\np');
    // Each exemplar keeps its ids; the attribute is there only when it fits in 128 characters
    // and has no `}`.
    for (const [i, sample] of read.entries()) {
      expect(sample.exemplar?.labels.trace_id).toBe(TRACE_A);
      const fits =
        'trace_id'.length + 32 + 'span_id'.length + 16 + 1 + [...NASTY[i]!].length <= 128;
      const kept = fits && !NASTY[i]!.includes('}');
      expect(sample.exemplar?.labels.v, NASTY[i]!.slice(0, 20)).toBe(kept ? NASTY[i]! : undefined);
    }
  });

  it('counts the 128-character exemplar limit in code points, not UTF-16 units', () => {
    // trace_id + span_id and their values: 63 characters; `a` + 64 characters = 65 more: 128.
    const exact = '🚀'.repeat(64); // 64 code points, 128 UTF-16 units
    const over = '🚀'.repeat(65);
    const { text, families } = openMetrics(
      collected([
        counter('compute.fits.total', [
          point({ n: 'exact' }, 1, [
            exemplar(1, TRACE_A, SPAN_A, { filteredAttributes: { a: exact } }),
          ]),
          point({ n: 'over' }, 1, [
            exemplar(1, TRACE_B, SPAN_B, { filteredAttributes: { a: over } }),
          ]),
        ]),
      ]),
    );
    expect(text).toContain(`span_id="${SPAN_A}",a="${exact}"} 1`);
    expect(text).toContain(`# {trace_id="${TRACE_B}",span_id="${SPAN_B}"} 1`);
    if (families === undefined) return;
    const [fits, dropped] = families.get('compute_fits')!.samples;
    expect(fits!.exemplar!.labels.a).toBe(exact);
    expect(dropped!.exemplar!.labels).toEqual({ trace_id: TRACE_B, span_id: SPAN_B });
  });

  it('drops exemplars with invalid ids, values or times, and keeps the valid one beside them', () => {
    const bad: unknown[] = [
      exemplar(0.5, '0'.repeat(32), SPAN_A), // the invalid (all-zero) trace id
      exemplar(0.5, TRACE_A, '0'.repeat(16)), // the invalid span id
      exemplar(0.5, TRACE_A.slice(1), SPAN_A), // too short
      exemplar(0.5, `${TRACE_A.slice(1)}g`, SPAN_A), // not hex
      exemplar(0.5, TRACE_A, `${SPAN_A}00`), // too long
      exemplar(Number.NaN, TRACE_A, SPAN_A),
      exemplar(0.5, TRACE_A, SPAN_A, { time: [Number.NaN, 0] }),
      exemplar(0.5, TRACE_A, SPAN_A, { time: [1.5, 0] }), // seconds must be whole
      exemplar(0.5, TRACE_A, SPAN_A, { time: [1, 1e9] }), // nanoseconds below one second
      exemplar(0.5, TRACE_A, SPAN_A, { time: [-1, 0] }),
      { ...exemplar(0.5, TRACE_A, SPAN_A), filteredAttributes: null },
      { value: 0.5 },
      'not an exemplar',
      null,
      exemplar(0.5, TRACE_B, SPAN_B), // the one valid exemplar
    ];
    const { text, families } = openMetrics(
      collected([
        histogramMetric('compute.vm.request.duration.seconds', [
          point({}, histogram([0.1, 1], [0, 3, 0], 1.5), bad as MetricExemplar[]),
        ]),
        counter('compute.bad.total', [
          point({ a: '1' }, 2, bad.slice(0, -1) as MetricExemplar[]),
          point({ a: '2' }, 2, 'not an array' as unknown as MetricExemplar[]),
        ]),
      ]),
    );
    expect(text.match(/ # \{/g)).toHaveLength(1);
    expect(text).toContain(
      `le="1"} 3 # {trace_id="${TRACE_B}",span_id="${SPAN_B}"} 0.5 1700000030.25`,
    );
    if (families === undefined) return;
    expect(families.get('compute_bad')!.samples.every((s) => s.exemplar === null)).toBe(true);
  });

  it('puts each exemplar on the bucket its value falls in (le inclusive), ±Inf included', () => {
    const { text } = openMetrics(
      collected([
        histogramMetric('compute.edge.seconds', [
          point({}, histogram([0.1, 1], [1, 1, 1], Number.POSITIVE_INFINITY), [
            exemplar(Number.NEGATIVE_INFINITY, TRACE_A, SPAN_A),
            exemplar(1, TRACE_B, SPAN_B),
            exemplar(Number.POSITIVE_INFINITY, TRACE_A, SPAN_B),
          ]),
        ]),
      ]),
    );
    expect(text).toContain(`le="0.1"} 1 # {trace_id="${TRACE_A}",span_id="${SPAN_A}"} -Inf `);
    expect(text).toContain(`le="1"} 2 # {trace_id="${TRACE_B}",span_id="${SPAN_B}"} 1 `);
    expect(text).toContain(`le="+Inf"} 3 # {trace_id="${TRACE_A}",span_id="${SPAN_B}"} +Inf `);
    expect(text).toContain('compute_edge_seconds_sum +Inf\n');
  });

  it('shows NaN and ±Inf gauges, +Inf counters; leaves out NaN and negative counters, and says so', () => {
    diag = captureDiag();
    const { text, families } = openMetrics(
      collected([
        gauge('compute.g', [
          point({ v: 'nan' }, Number.NaN),
          point({ v: 'inf' }, Number.POSITIVE_INFINITY),
          point({ v: '-inf' }, Number.NEGATIVE_INFINITY),
        ]),
        upDownCounter('compute.u', [point({}, Number.NaN)]),
        counter('compute.c.total', [
          point({ v: 'nan' }, Number.NaN, [exemplar(1, TRACE_A, SPAN_A)]),
          point({ v: 'neg' }, -1),
          point({ v: 'inf' }, Number.POSITIVE_INFINITY),
        ]),
      ]),
    );
    expect(text).toContain('compute_g{v="nan"} NaN\n');
    expect(text).toContain('compute_g{v="-inf"} -Inf\n');
    expect(text).toContain('compute_u NaN\n');
    expect(text).toContain('compute_c_total{v="inf"} +Inf\n');
    expect(text).not.toContain('v="nan"} NaN #');
    expect(text).not.toContain('compute_c_total{v="neg"}');
    expect(diag.text()).toContain(
      'compute_c{v="nan"} is left out of OpenMetrics: a counter\'s value must be a number of at least 0, not NaN',
    );
    if (families === undefined) return;
    expect(families.get('compute_c')!.samples.map((s) => s.labels.v)).toEqual(['inf']);
  });

  it('histograms: empty, only +Inf, NaN or missing sum, negative buckets, counts that disagree', () => {
    diag = captureDiag();
    const { text, families } = openMetrics(
      collected([
        histogramMetric('compute.h.seconds', [
          point({ c: 'empty' }, histogram([0.1, 1], [0, 0, 0], 0)),
          point({ c: 'no-buckets' }, histogram([], [4], 2)),
          point({ c: 'nan-sum' }, histogram([0.1], [1, 1], Number.NaN)),
          point({ c: 'no-sum' }, histogram([0.1], [1, 1], undefined)),
          point({ c: 'negative-bucket' }, histogram([-1, 0, 1], [1, 0, 1, 0], 0)),
          point({ c: 'count-too-small' }, { ...histogram([0.1], [2, 2], 1), count: 1 }),
          point({ c: 'bad-counts' }, histogram([0.1, 1], [Number.NaN, -3, 1.5], 1)),
          point({ c: 'unsorted' }, histogram([1, 0.1], [1, 1, 1], 1)),
        ]),
      ]),
    );
    expect(text).toContain('compute_h_seconds_bucket{c="empty",le="+Inf"} 0\n');
    expect(text).toContain('compute_h_seconds_count{c="empty"} 0\n');
    expect(text).toContain('compute_h_seconds_bucket{c="no-buckets",le="+Inf"} 4\n');
    // `_sum` only when it is a counter, and `_count` with it: the +Inf bucket still has the count.
    expect(text).toContain('compute_h_seconds_bucket{c="nan-sum",le="+Inf"} 2\n');
    expect(text).not.toMatch(/_(sum|count)\{c="(nan-sum|no-sum|negative-bucket)"\}/);
    expect(text).toContain('compute_h_seconds_bucket{c="count-too-small",le="+Inf"} 4\n');
    expect(text).toContain('compute_h_seconds_count{c="count-too-small"} 4\n');
    expect(text).toContain('compute_h_seconds_bucket{c="bad-counts",le="+Inf"} 1\n');
    expect(text).not.toContain('c="unsorted"');
    expect(diag.text()).toContain('bucket boundaries must be finite and strictly ascending');
    if (families === undefined) return;
    expect(families.get('compute_h_seconds')!.samples.length).toBeGreaterThan(20);
  });

  it('no exemplar on gauges and up-down counters, whatever the points carry', () => {
    const { text } = openMetrics(
      collected([
        gauge('compute.g', [point({}, 1, [exemplar(1, TRACE_A, SPAN_A)])]),
        upDownCounter('compute.u', [point({}, 1, [exemplar(1, TRACE_A, SPAN_A)])]),
      ]),
    );
    expect(text).not.toContain('trace_id');
  });

  it('leaves out of OpenMetrics only a counter whose family a gauge of the same name holds', () => {
    diag = captureDiag();
    const metrics = collected([
      gauge('compute.vm.requests', [point({}, 1)]),
      counter('compute.vm.requests.total', [point({}, 2)]),
    ]);
    const both = new PrometheusSerializer({
      withTargetInfo: false,
      withScopeLabels: false,
    }).serialize(metrics);
    expect(both).toContain('compute_vm_requests 1\n');
    expect(both).toContain('compute_vm_requests_total 2\n');
    const { text } = openMetrics(metrics);
    expect(text).toContain('compute_vm_requests 1\n');
    expect(text).not.toContain('compute_vm_requests_total');
    expect(diag.text()).toContain(
      'compute.vm.requests.total is a counter but compute_vm_requests is already a gauge; it is left out',
    );
  });
});
