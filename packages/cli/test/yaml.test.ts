// The rule files' YAML writer, read back by a well-kept YAML parser (`yaml`): what it writes must
// parse to the data it was given, whatever the strings hold. promtool reads the same files in the
// dashboards-alerts tests.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { YamlValue } from '../src/alerts/yaml.js';
import { toYaml } from '../src/alerts/yaml.js';

const awkward = [
  '',
  'yes',
  'no',
  'null',
  '~',
  '123',
  '1e3',
  '0x1F',
  '- item',
  'key: value',
  '# not a comment',
  '"quoted"',
  "it's",
  'back\\slash',
  'line\nbreak',
  'tab\there',
  '  leading and trailing  ',
  '{{ $labels.instance }}',
  'sum by (le) (rate(x_bucket{le=~"1(\\\\.0)?"}[5m]))',
  'émoji ✓ 日本',
  '@at',
  '*star',
  '&anchor',
  '!tag',
  '%percent',
  '|pipe',
  '>folded',
];

describe('toYaml', () => {
  it.each(awkward)('a string value %j reads back the same', (text) => {
    const data = { text, list: [text], nested: { [text === '' ? 'empty' : text]: text } };
    expect(parse(toYaml(data))).toEqual(data);
  });

  it('numbers, booleans, empty lists and objects, lists of objects', () => {
    const data: YamlValue = {
      groups: [
        { name: 'a', rules: [{ record: 'r', expr: 'up', labels: { x: '1' } }] },
        { name: 'b', rules: [] },
      ],
      number: 14.4,
      negative: -1,
      yes: true,
      no: false,
      empty: {},
      none: [],
      matrix: [['a', 'b'], [], [{ c: 1 }]],
    };
    expect(parse(toYaml(data))).toEqual(data);
  });

  it('leaves out keys whose value is undefined', () => {
    expect(parse(toYaml({ a: 'x', b: undefined }))).toEqual({ a: 'x' });
  });
});
