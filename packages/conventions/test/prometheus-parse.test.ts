import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../src/prometheus/index.js';

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

/** A valid exposition, as a Prometheus client library writes one (HELP and TYPE for every family). */
const valid = [
  '# HELP a_total Requests\\nwith a newline and a \\\\',
  '# TYPE a_total counter',
  'a_total{path="x\\"y\\\\z\\n"} 3',
  '# HELP h Latency',
  '# TYPE h histogram',
  'h_bucket{code="200",le="0.1"} 1',
  'h_bucket{code="200",le="+Inf"} 2',
  'h_sum{code="200"} 0.3',
  'h_count{code="200"} 2',
  'h_bucket{code="500",le="0.1"} 0',
  'h_bucket{code="500",le="+Inf"} 0',
  'h_sum{code="500"} 0',
  'h_count{code="500"} 0',
  '# TYPE s summary',
  's{quantile="0.5"} 1',
  's_sum 4',
  's_count 2',
  '',
].join('\n');

// Strict mode is what the metrics tests read the serializer's output with: every rule below is one
// a test of the serializer relies on to fail when the exposition is wrong.
describe('parsePrometheusText, strict', () => {
  it('finds nothing wrong in a valid exposition, and reads it as the lenient mode does', () => {
    const strict = parsePrometheusText(valid, { strict: true });
    expect(strict.errors).toEqual([]);
    expect(strict).toEqual(parsePrometheusText(valid));
    const byName = Object.fromEntries(strict.families.map((f) => [f.name, f]));
    expect(byName.a_total?.help).toBe('Requests\nwith a newline and a \\');
    expect(byName.a_total?.samples[0]?.labels.path).toBe('x"y\\z\n');
    expect(byName.h?.samples.map((s) => s.value)).toEqual([1, 2, 0.3, 2, 0, 0, 0, 0]);
    expect(byName.s?.samples).toHaveLength(3);
  });

  it.each([
    ['no final newline', '# TYPE x gauge\nx 1', 2, 'the exposition does not end in a newline'],
    ['a sample without a TYPE line', 'x 1\n', 1, '`x` has no TYPE line before it'],
    [
      'a HELP line without a TYPE line',
      '# HELP x a gauge\n# TYPE y gauge\ny 1\n',
      1,
      '`x` has a HELP or UNIT line but no TYPE line',
    ],
    [
      'a family split in two',
      '# TYPE x gauge\nx{a="1"} 1\n# TYPE y gauge\ny 1\nx{a="2"} 1\n',
      5,
      'the lines of `x` are not together: another family comes between',
    ],
    [
      'a second HELP line',
      '# HELP x one\n# HELP x two\n# TYPE x gauge\nx 1\n',
      2,
      'a second HELP line for `x`',
    ],
    [
      'an escape HELP does not allow',
      '# HELP x a \\"quote\\"\n# TYPE x gauge\nx 1\n',
      1,
      'the HELP text of `x` has the escape `\\"`: only `\\\\` and `\\n` are allowed',
    ],
    [
      'an escape label values do not allow',
      '# TYPE x gauge\nx{a="\\t"} 1\n',
      2,
      'the value of the label `a` has the escape `\\t`: only `\\\\`, `\\"` and `\\n` are allowed',
    ],
    [
      'an OpenMetrics-only type',
      '# TYPE x stateset\nx{x="a"} 1\n',
      1,
      '`stateset` is an OpenMetrics type, not one of the text format 0.0.4',
    ],
    [
      'an OpenMetrics counter sample name',
      '# TYPE x counter\nx_total 1\n',
      2,
      '`x_total` has no TYPE line before it',
    ],
    [
      'a histogram without +Inf',
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n',
      2,
      '`h{}` has no `le="+Inf"` bucket',
    ],
    [
      'a histogram without _count',
      '# TYPE h histogram\nh_bucket{le="+Inf"} 1\n',
      2,
      '`h{}` has no `_count`',
    ],
    [
      'a +Inf bucket that is not the count',
      '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 2\n',
      2,
      'the `+Inf` bucket of `h{}` is 1, not its `_count` 2',
    ],
    [
      'buckets out of order',
      '# TYPE h histogram\nh_bucket{le="2"} 1\nh_bucket{le="1"} 1\nh_bucket{le="+Inf"} 1\nh_count 1\n',
      3,
      'the buckets of `h{}` are not in ascending `le` order',
    ],
    [
      'bucket counts that go down',
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n',
      3,
      'the bucket counts of `h{}` go down',
    ],
    [
      'a bucket without le',
      '# TYPE h histogram\nh_bucket 1\nh_bucket{le="+Inf"} 1\nh_count 1\n',
      2,
      'a bucket of `h` has no `le` label with a number',
    ],
  ])('reports %s', (_what, text, line, reason) => {
    expect(parsePrometheusText(text, { strict: true }).errors).toEqual([{ line, reason }]);
  });

  it('leaves what Prometheus scrapes without complaint to strict mode', () => {
    for (const text of [
      '# TYPE x gauge\nx 1',
      'x 1\n',
      '# HELP x one\n# HELP x two\n# TYPE x gauge\nx 1\n',
      '# TYPE x gauge\nx{a="1"} 1\n# TYPE y gauge\ny 1\nx{a="2"} 1\n',
      '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n',
    ]) {
      expect(parsePrometheusText(text).errors).toEqual([]);
    }
  });

  it('still reports what the lenient mode reports', () => {
    expect(parsePrometheusText('# TYPE x gauge\nx one\n', { strict: true }).errors).toEqual([
      { line: 2, reason: '`one` is not a number' },
    ]);
    expect(
      parsePrometheusText('# TYPE x gauge\nx{a="1"} 1\nx{a="1"} 2\n', { strict: true }).errors,
    ).toEqual([{ line: 3, reason: 'the series `x{a="1"}` appears twice' }]);
  });
});

// promtool (Prometheus's own checker, installed by scripts/install-system-deps.sh as CI does) as the
// oracle: what it cannot parse, strict mode reports; what it accepts without a word, strict mode
// accepts too.
const promtool = spawnSync('sh', ['-c', 'command -v promtool']).status === 0;

describe.skipIf(!promtool)('parsePrometheusText, strict, against promtool check metrics', () => {
  const check = (text: string) =>
    spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });

  it.each([
    ['no final newline', '# HELP x g\n# TYPE x gauge\nx 1'],
    ['a second TYPE', '# HELP x g\n# TYPE x gauge\nx 1\n# TYPE x gauge\n'],
    ['a bad escape', '# HELP x g\n# TYPE x gauge\nx{a="\\t"} 1\n'],
    ['a bad label name', '# HELP x g\n# TYPE x gauge\nx{a.b="1"} 1\n'],
    ['a value that is not a number', '# HELP x g\n# TYPE x gauge\nx one\n'],
  ])('rejects %s, as promtool does', (_what, text) => {
    const result = check(text);
    expect(result.status, `${result.stdout}${result.stderr}`).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toContain('parsing error');
    expect(parsePrometheusText(text, { strict: true }).errors).not.toEqual([]);
  });

  it('accepts what promtool accepts without a word', () => {
    const text = valid.replace('# TYPE s summary', '# HELP s Sizes\n# TYPE s summary');
    const result = check(text);
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
    expect(parsePrometheusText(text, { strict: true }).errors).toEqual([]);
  });
});
