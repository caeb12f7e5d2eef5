// A small YAML reader for the subset toYAML() writes: `---` separated documents, block mappings and
// block sequences by indentation, `[]`, plain and double-quoted scalars, numbers and booleans. It
// throws on anything else, so a test that reads the YAML back also checks it stays in that subset.

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

interface Line {
  readonly indent: number;
  readonly text: string;
  readonly number: number;
}

function scalar(text: string, line: number): Value {
  if (text === '[]') return [];
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      throw new Error(`line ${line}: bad double-quoted scalar ${text}`);
    }
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null' || text === '~') return null;
  if (/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(text)) return Number(text);
  if (!/^[A-Za-z_][A-Za-z0-9_./-]*$/.test(text)) {
    throw new Error(`line ${line}: ${text} is not a plain scalar this reader accepts`);
  }
  return text;
}

function parseBlock(lines: Line[], start: number, indent: number): [Value, number] {
  const first = lines[start];
  if (first === undefined || first.indent !== indent) throw new Error('empty block');
  if (first.text.startsWith('- ')) {
    const list: Value[] = [];
    let i = start;
    while (i < lines.length && lines[i]!.indent === indent && lines[i]!.text.startsWith('- ')) {
      const item = lines[i]!.text.slice(2);
      const kv = /^([^:"]+): (.*)$/.exec(item);
      if (kv) {
        // "- key: value" starts a mapping whose other keys are indented by two more.
        const rest: Line[] = [{ indent: indent + 2, text: item, number: lines[i]!.number }];
        let j = i + 1;
        while (j < lines.length && lines[j]!.indent > indent) rest.push(lines[j++]!);
        list.push(parseBlock(rest, 0, indent + 2)[0]);
        i = j;
      } else {
        list.push(scalar(item, lines[i]!.number));
        i++;
      }
    }
    return [list, i];
  }
  const map: { [key: string]: Value } = {};
  let i = start;
  while (i < lines.length && lines[i]!.indent === indent) {
    const { text, number } = lines[i]!;
    const m = /^([^:"\s][^:"]*):(?: (.*))?$/.exec(text);
    if (m === null) throw new Error(`line ${number}: expected "key: value", got ${text}`);
    const key = m[1]!;
    if (key in map) throw new Error(`line ${number}: key ${key} twice`);
    if (m[2] !== undefined) {
      map[key] = scalar(m[2], number);
      i++;
    } else {
      const next = lines[i + 1];
      if (next === undefined || next.indent <= indent)
        throw new Error(`line ${number}: ${key} has no value`);
      const [value, end] = parseBlock(lines, i + 1, next.indent);
      map[key] = value;
      i = end;
    }
  }
  if (i < lines.length && lines[i]!.indent > indent) {
    throw new Error(`line ${lines[i]!.number}: unexpected indentation`);
  }
  return [map, i];
}

/** Reads every document of a multi-document YAML text. */
export function parseYamlDocuments(text: string): Value[] {
  return text.split(/^---\n/m).map((doc) => {
    const lines: Line[] = [];
    doc.split('\n').forEach((raw, index) => {
      if (raw.trim() === '') return;
      if (raw.includes('\t')) throw new Error(`line ${index + 1}: tab`);
      lines.push({
        indent: raw.length - raw.trimStart().length,
        text: raw.trim(),
        number: index + 1,
      });
    });
    const [value, end] = parseBlock(lines, 0, 0);
    if (end !== lines.length) throw new Error(`line ${lines[end]!.number}: trailing content`);
    return value;
  });
}
