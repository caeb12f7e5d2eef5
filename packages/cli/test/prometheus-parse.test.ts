import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../src/index.js';

describe('parsePrometheusText', () => {
  it('reads families, types, help, labels and every series of a histogram', () => {
    const { families, errors } = parsePrometheusText(
      [
        '# HELP compute_vm_request_duration_seconds How long \\\\ requests\\ntake',
        '# TYPE compute_vm_request_duration_seconds histogram',
        'compute_vm_request_duration_seconds_bucket{operation="Create",le="0.05"} 1',
        'compute_vm_request_duration_seconds_bucket{operation="Create",le="+Inf"} 2',
        'compute_vm_request_duration_seconds_sum{operation="Create"} 0.31',
        'compute_vm_request_duration_seconds_count{operation="Create"} 2',
        '# TYPE compute_vm_requests_total counter',
        'compute_vm_requests_total{code="201",method="POST"} 1 1700000000000',
        '',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['compute_vm_request_duration_seconds', 'histogram', 4],
      ['compute_vm_requests_total', 'counter', 1],
    ]);
    expect(families[0]!.help).toBe('How long \\ requests\ntake');
    expect(families[0]!.samples[1]).toEqual({
      name: 'compute_vm_request_duration_seconds_bucket',
      labels: { operation: 'Create', le: '+Inf' },
      value: 2,
    });
    expect(families[1]!.samples[0]).toEqual({
      name: 'compute_vm_requests_total',
      labels: { code: '201', method: 'POST' },
      value: 1,
      timestampMs: 1700000000000,
    });
  });

  it('reads escapes in label values, spaces, trailing commas, special floats and exemplars', () => {
    const { families, errors } = parsePrometheusText(
      [
        'x_info{path="C:\\\\dir",quote="say \\"hi\\"",nl="a\\nb",} 1',
        'x_gauge { a = "1" }   NaN',
        'x_neg -Inf',
        'x_big 1.5e+3',
        '# TYPE x_seen counter',
        'x_seen_total 4 # {trace_id="abc"} 1.0 1700000000',
        'x_windows 2\r',
        '# EOF',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    const byName = Object.fromEntries(families.map((f) => [f.name, f]));
    expect(byName.x_info!.samples[0]!.labels).toEqual({
      path: 'C:\\dir',
      quote: 'say "hi"',
      nl: 'a\nb',
    });
    expect(byName.x_gauge!.samples[0]!.value).toBeNaN();
    expect(byName.x_neg!.samples[0]!.value).toBe(Number.NEGATIVE_INFINITY);
    expect(byName.x_big!.samples[0]!.value).toBe(1500);
    // An OpenMetrics counter family `x_seen` holds its `x_seen_total` sample.
    expect(byName.x_seen!.samples.map((s) => s.name)).toEqual(['x_seen_total']);
    expect(byName.x_windows!.samples[0]!.value).toBe(2);
  });

  it('gives untyped families for samples without a TYPE line, and ignores comments', () => {
    const { families } = parsePrometheusText(
      '# just a comment\nlegacy_thing 3\n# UNIT legacy_thing seconds\n',
    );
    expect(families).toEqual([
      {
        name: 'legacy_thing',
        type: 'untyped',
        unit: 'seconds',
        samples: [{ name: 'legacy_thing', labels: {}, value: 3 }],
      },
    ]);
  });

  it('lists every line it cannot read with the reason, and keeps the rest', () => {
    const text = [
      'good 1',
      'bad{a="1" 2',
      'bad{a=1} 2',
      'bad{"a"="1"} 2',
      'bad{a="1",a="2"} 2',
      'bad{a="unterminated} 2',
      'nameonly',
      'bad 0x10',
      'bad 1 soon',
      'bad 1 2 3',
      '# TYPE good gauge',
      '# TYPE good2 colour',
      '# TYPE 2bad gauge',
      'good 1',
      '9starts_with_digit 1',
    ].join('\n');
    const { families, errors } = parsePrometheusText(text);
    expect(errors).toEqual([
      { line: 2, reason: 'expected `,` or `}` after a label' },
      { line: 3, reason: 'the value of the label `a` is not a closed "string"' },
      { line: 4, reason: 'expected a label name' },
      { line: 5, reason: 'the label `a` appears twice' },
      { line: 6, reason: 'the value of the label `a` is not a closed "string"' },
      { line: 7, reason: '`nameonly` has no value' },
      { line: 8, reason: '`0x10` is not a number' },
      { line: 9, reason: '`soon` is not a timestamp' },
      { line: 10, reason: 'unexpected text after the value' },
      { line: 11, reason: 'the TYPE line for `good` comes after its samples' },
      { line: 12, reason: '`colour` is not a metric type' },
      { line: 13, reason: '`2bad` is not a valid metric name' },
      { line: 14, reason: 'the series `good{}` appears twice' },
      { line: 15, reason: 'expected a metric name' },
    ]);
    expect(families.map((f) => f.name)).toEqual(['good']);
  });

  it('keeps at most 100 errors, and never throws on any input', () => {
    const { errors } = parsePrometheusText('{{{\n'.repeat(500));
    expect(errors).toHaveLength(100);
    for (const input of [
      '',
      '\n\n',
      '#',
      '# TYPE',
      '{}',
      'a{',
      'a{b',
      'a{b=',
      'a{b="',
      '\u0000',
      'a 1 1 # x',
    ]) {
      expect(() => parsePrometheusText(input)).not.toThrow();
    }
  });
});
