// `parsePrometheusText(text, { openMetrics: true })` against an oracle we did not write: the strict
// OpenMetrics parser of Debian's python3-prometheus-client, on the same inputs. Valid expositions
// must read the same (families, samples, exemplars); each bad one must be refused by both, or (an
// exemplar where OpenMetrics allows none) refused by the oracle and read by ours with the exemplar,
// for `datum-telemetry validate` to report under its own rule. Not compared: what the oracle refuses
// and ours does not judge (NaN counters, `_count` without `_sum`, clashing names), and a `}` inside
// a quoted exemplar label value, which the oracle (0.16) takes for the end of the label set while
// ours, like Prometheus, reads the quoted value.
import { describe, expect, it } from 'vitest';
import type { OracleFamily } from '../../../test-support/openmetrics-oracle.mjs';
import {
  ensureOpenMetricsParser,
  parseOpenMetrics,
} from '../../../test-support/openmetrics-oracle.mjs';
import type { PrometheusFamily } from '../src/prometheus/index.js';
import { parsePrometheusText } from '../src/prometheus/index.js';

const parser = ensureOpenMetricsParser();
if (!parser.available) console.warn(`openmetrics-oracle.test.ts: ${parser.reason}`);

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const EX = `# {trace_id="${TRACE}",span_id="${SPAN}"}`;

const VALID: Record<string, string> = {
  'a counter and a histogram with exemplars, as @datum-telemetry/metrics writes them': [
    '# TYPE compute_vm_requests counter',
    '# HELP compute_vm_requests Requests handled',
    `compute_vm_requests_total{operation="Create"} 3 ${EX} 1 1796264664.149`,
    'compute_vm_requests_total{operation="Get"} 2',
    '# TYPE compute_vm_request_duration_seconds histogram',
    '# UNIT compute_vm_request_duration_seconds seconds',
    `compute_vm_request_duration_seconds_bucket{le="0.005"} 1 ${EX} 0.0012543289999999842 1796264664.152`,
    'compute_vm_request_duration_seconds_bucket{le="0.1"} 1',
    `compute_vm_request_duration_seconds_bucket{le="+Inf"} 2 ${EX} 2.5 1796264664`,
    'compute_vm_request_duration_seconds_count 2',
    'compute_vm_request_duration_seconds_sum 2.5012543',
    '# TYPE compute_vm_active gauge',
    'compute_vm_active{namespace="default"} 0',
    '# EOF',
    '',
  ].join('\n'),
  'an exemplar without a timestamp, with other labels and escapes, on a gaugehistogram': [
    '# TYPE q gaugehistogram',
    `q_bucket{le="1.0"} 0`,
    `q_bucket{le="+Inf"} 3 # {trace_id="${TRACE}",note="say \\"hi\\" \\\\ \\n"} -0.5`,
    'q_gcount 3',
    'q_gsum 1.5',
    '# TYPE r counter',
    `r_total 1.5e3 # {} 7 1.5`,
    '# EOF',
    '',
  ].join('\n'),
  'an exemplar of exactly 128 characters': [
    '# TYPE r counter',
    `r_total 1 # {trace_id="${'a'.repeat(120)}"} 1`,
    '# EOF',
    '',
  ].join('\n'),
};

/** Bad input both parsers refuse; the reason ours gives. */
const REFUSED: Record<string, { text: string; reason: RegExp }> = {
  'no # EOF': {
    text: '# TYPE r counter\nr_total 1\n',
    reason: /does not end with `# EOF`/,
  },
  'text after # EOF': {
    text: '# TYPE r counter\nr_total 1\n# EOF\nr_total 2\n',
    reason: /text after `# EOF`/,
  },
  'a blank line': {
    text: '# TYPE r counter\n\nr_total 1\n# EOF\n',
    reason: /blank line/,
  },
  'a plain comment': {
    text: '# a comment\n# TYPE r counter\nr_total 1\n# EOF\n',
    reason: /a comment/,
  },
  'exemplar labels over 128 characters': {
    text: `# TYPE r counter\nr_total 1 # {trace_id="${'a'.repeat(121)}"} 1\n# EOF\n`,
    reason: /129 characters: OpenMetrics allows 128/,
  },
  'an exemplar without braces': {
    text: `# TYPE r counter\nr_total 1 # trace_id="${TRACE}" 1\n# EOF\n`,
    reason: /expected an exemplar/,
  },
  'an exemplar whose label set is not closed': {
    text: `# TYPE r counter\nr_total 1 # {trace_id="${TRACE}" 1\n# EOF\n`,
    reason: /the exemplar: expected `,` or `}`/,
  },
  'an exemplar without a value': {
    text: `# TYPE r counter\nr_total 1 # {trace_id="${TRACE}"}\n# EOF\n`,
    reason: /the exemplar has no value/,
  },
  'an exemplar value that is not a number': {
    text: `# TYPE r counter\nr_total 1 # {trace_id="${TRACE}"} fast\n# EOF\n`,
    reason: /exemplar value `fast` is not a number/,
  },
  'an exemplar timestamp that is not a number': {
    text: `# TYPE r counter\nr_total 1 # {trace_id="${TRACE}"} 1 yesterday\n# EOF\n`,
    reason: /exemplar timestamp `yesterday` is not a number/,
  },
  'text after the exemplar': {
    text: `# TYPE r counter\nr_total 1 # {trace_id="${TRACE}"} 1 2 3\n# EOF\n`,
    reason: /unexpected text after the exemplar/,
  },
};

/** Exemplars where OpenMetrics allows none: the oracle refuses them, ours reads them. */
const MISPLACED: Record<string, { text: string; sample: string }> = {
  'on a gauge': {
    text: `# TYPE g gauge\ng 1 ${EX} 1\n# EOF\n`,
    sample: 'g',
  },
  "on a histogram's _count": {
    text: `# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 1 ${EX} 1\nh_sum 1\n# EOF\n`,
    sample: 'h_count',
  },
  "on a summary's _sum": {
    text: `# TYPE s summary\ns_count 1\ns_sum 2 ${EX} 2\n# EOF\n`,
    sample: 's_sum',
  },
};

function oracleValue(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return value;
}

/** Ours, in the oracle's shape (its counter family drops `_total`, as ours takes the TYPE name). */
function asOracle(family: PrometheusFamily) {
  return {
    name: family.name,
    type: family.type,
    samples: family.samples.map((s) => ({
      name: s.name,
      labels: s.labels,
      value: oracleValue(s.value),
      exemplar:
        s.exemplar === undefined
          ? null
          : {
              labels: s.exemplar.labels,
              value: oracleValue(s.exemplar.value),
              timestamp: s.exemplar.timestamp ?? null,
            },
    })),
  };
}

function oracleShape(family: OracleFamily) {
  return {
    name: family.name,
    type: family.type,
    samples: family.samples.map((s) => ({
      ...s,
      exemplar:
        s.exemplar === null
          ? null
          : {
              ...s.exemplar,
              // Its timestamp is seconds and nanoseconds; ours is the number as written.
              timestamp:
                s.exemplar.timestamp === null ? null : expect.closeTo(s.exemplar.timestamp, 3),
            },
    })),
  };
}

describe.skipIf(!parser.available)(
  'parsePrometheusText({ openMetrics: true }) and the oracle',
  () => {
    it.each(Object.entries(VALID))('read the same: %s', (_, text) => {
      const oracle = parseOpenMetrics(text);
      expect(oracle.error).toBeUndefined();
      const ours = parsePrometheusText(text, { openMetrics: true, strict: true });
      expect(ours.errors).toEqual([]);
      expect(ours.families.map(asOracle)).toEqual(oracle.families!.map(oracleShape));
      // Exemplars were really there to compare.
      expect(ours.families.some((f) => f.samples.some((s) => s.exemplar !== undefined))).toBe(true);
    });

    it.each(Object.entries(REFUSED))('both refuse %s', (_, { text, reason }) => {
      expect(parseOpenMetrics(text).error).toBeDefined();
      const ours = parsePrometheusText(text, { openMetrics: true });
      expect(ours.errors.map((e) => e.reason)).toEqual([expect.stringMatching(reason)]);
    });

    it.each(Object.entries(MISPLACED))(
      'an exemplar %s: the oracle refuses it; ours reads it, for the validator to report',
      (_, { text, sample }) => {
        expect(parseOpenMetrics(text).error).toMatch(/exemplar/i);
        const ours = parsePrometheusText(text, { openMetrics: true });
        expect(ours.errors).toEqual([]);
        const found = ours.families.flatMap((f) => f.samples).find((s) => s.name === sample);
        expect(found?.exemplar?.labels).toEqual({ trace_id: TRACE, span_id: SPAN });
      },
    );
  },
);

describe('exemplars and OpenMetrics rules, whatever the oracle', () => {
  it('reads exemplars in the 0.0.4 mode too, and ignores # EOF rules there', () => {
    const { families, errors } = parsePrometheusText(`r_total 1 ${EX} 0.5\n\nr2 1\n`);
    expect(errors).toEqual([]);
    expect(families[0]!.samples[0]!.exemplar).toEqual({
      labels: { trace_id: TRACE, span_id: SPAN },
      value: 0.5,
    });
  });

  it('never throws on broken exemplars', () => {
    for (const line of ['a 1 #', 'a 1 # {', 'a 1 # {b', 'a 1 # {b="', 'a 1 # {} ', 'a 1 #{}1']) {
      expect(() => parsePrometheusText(line, { openMetrics: true })).not.toThrow();
      const { errors } = parsePrometheusText(`${line}\n# EOF\n`, { openMetrics: true });
      expect(errors.length, line).toBe(line === 'a 1 #{}1' ? 0 : 1);
    }
  });
});
