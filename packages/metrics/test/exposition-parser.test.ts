import { describe, expect, it } from 'vitest';
import { parseExposition, samplesOf } from './support/exposition.js';

// The parser is what the Prometheus tests trust to reject an invalid exposition, so it is tested on
// texts that promtool rejects.
describe('the test exposition parser', () => {
  it('reads families, labels with escapes and histogram samples', () => {
    const families = parseExposition(
      [
        '# HELP a_total Requests\\nwith a newline',
        '# TYPE a_total counter',
        'a_total{path="x\\"y\\\\z\\n"} 3',
        '# HELP h Latency',
        '# TYPE h histogram',
        'h_bucket{le="0.1"} 1',
        'h_bucket{le="+Inf"} 2',
        'h_sum 0.3',
        'h_count 2',
        '',
      ].join('\n'),
    );
    expect(families.get('a_total')?.help).toBe('Requests\nwith a newline');
    expect(samplesOf(families, 'a_total')[0]?.labels.path).toBe('x"y\\z\n');
    expect(samplesOf(families, 'h').map((s) => s.value)).toEqual([1, 2, 0.3, 2]);
  });

  it.each([
    ['a sample without a TYPE line', 'x 1\n'],
    ['a second TYPE for a family', '# TYPE x gauge\nx 1\n# TYPE x gauge\n'],
    ['a family split in two', '# TYPE x gauge\nx{a="1"} 1\n# TYPE y gauge\ny 1\nx{a="2"} 1\n'],
    ['a duplicate series', '# TYPE x gauge\nx{a="1"} 1\nx{a="1"} 2\n'],
    ['a bad escape', '# TYPE x gauge\nx{a="\\t"} 1\n'],
    ['a bad label name', '# TYPE x gauge\nx{a.b="1"} 1\n'],
    ['a histogram without +Inf', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n'],
    [
      'a +Inf bucket that is not the count',
      '# TYPE h histogram\nh_bucket{le="+Inf"} 1\nh_count 2\n',
    ],
    ['no final newline', '# TYPE x gauge\nx 1'],
    ['a value that is not a number', '# TYPE x gauge\nx one\n'],
  ])('rejects %s', (_what, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});
