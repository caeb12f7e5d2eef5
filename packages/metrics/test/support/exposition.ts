// A strict parser of the Prometheus text format 0.0.4, written for the tests: it throws on what
// `promtool check metrics` rejects (a sample before its TYPE, a family written twice, bad names,
// bad escapes, a histogram without its +Inf bucket or with buckets that go down), so a test that
// parses an exposition also checks that it is valid.

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  readonly help: string | undefined;
  readonly type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  readonly samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function unescapeHelp(text: string, line: number): string {
  return text.replace(/\\(.)?/g, (_m, c: string | undefined) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    throw new Error(`line ${line}: bad escape in HELP`);
  });
}

function parseValue(text: string, line: number): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw new Error(`line ${line}: ${JSON.stringify(text)} is not a sample value`);
  }
  return Number(text);
}

function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 0;
  while (true) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`line ${line}: label without "="`);
    const name = text.slice(i, eq).trim();
    if (!LABEL_NAME.test(name))
      throw new Error(`line ${line}: bad label name ${JSON.stringify(name)}`);
    if (name in labels) throw new Error(`line ${line}: label ${name} appears twice`);
    if (text[eq + 1] !== '"') throw new Error(`line ${line}: label value of ${name} is not quoted`);
    let value = '';
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`line ${line}: unterminated label value`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[j + 1];
        if (next === '\\') value += '\\';
        else if (next === '"') value += '"';
        else if (next === 'n') value += '\n';
        else throw new Error(`line ${line}: bad escape \\${next} in label value`);
        j += 2;
        continue;
      }
      if (c === '\n') throw new Error(`line ${line}: raw newline in label value`);
      value += c;
      j++;
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`line ${line}: expected "," or "}" after a label`);
  }
}

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(sampleName);
  if (direct !== undefined) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sampleName.endsWith(suffix)) {
      const family = families.get(sampleName.slice(0, -suffix.length));
      if (family?.type === 'histogram' || family?.type === 'summary') return family;
    }
  }
  return undefined;
}

function checkHistogram(family: Family): void {
  const groups = new Map<string, Sample[]>();
  const key = (labels: Readonly<Record<string, string>>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([k]) => k !== 'le')
        .sort(([a], [b]) => a.localeCompare(b)),
    );
  for (const s of family.samples) {
    const k = key(s.labels);
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const [labels, samples] of groups) {
    const buckets = samples.filter((s) => s.name === `${family.name}_bucket`);
    const count = samples.find((s) => s.name === `${family.name}_count`);
    const inf = buckets.find((s) => s.labels.le === '+Inf');
    if (inf === undefined) throw new Error(`${family.name}${labels}: no +Inf bucket`);
    if (count === undefined) throw new Error(`${family.name}${labels}: no _count`);
    if (inf.value !== count.value) {
      throw new Error(
        `${family.name}${labels}: +Inf bucket ${inf.value} is not _count ${count.value}`,
      );
    }
    let previousBound = Number.NEGATIVE_INFINITY;
    let previousCount = 0;
    for (const b of buckets) {
      const bound = parseValue(b.labels.le ?? '', 0);
      if (!(bound > previousBound))
        throw new Error(`${family.name}${labels}: le values not ascending`);
      if (b.value < previousCount)
        throw new Error(`${family.name}${labels}: bucket counts go down`);
      previousBound = bound;
      previousCount = b.value;
    }
  }
}

/** Parses an exposition, throwing on anything invalid. Families are keyed by name. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const closed = new Set<string>();
  let current: Family | undefined;
  const seriesSeen = new Set<string>();
  let pendingHelp: { name: string; help: string } | undefined;

  const lines = text.split('\n');
  if (text !== '' && !text.endsWith('\n'))
    throw new Error('the exposition does not end in a newline');
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw === '') return;
    if (raw.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(raw);
      if (m === null) return;
      const [, keyword, name, rest] = m as unknown as [string, string, string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name ${name}`);
      if (keyword === 'HELP') {
        if (pendingHelp !== undefined || families.has(name)) {
          throw new Error(`line ${line}: second HELP for ${name}`);
        }
        pendingHelp = { name, help: unescapeHelp(rest, line) };
        return;
      }
      if (!TYPES.has(rest)) throw new Error(`line ${line}: unknown type ${rest}`);
      if (families.has(name)) throw new Error(`line ${line}: second TYPE for ${name}`);
      if (pendingHelp !== undefined && pendingHelp.name !== name) {
        throw new Error(
          `line ${line}: HELP for ${pendingHelp.name} is followed by TYPE for ${name}`,
        );
      }
      if (current !== undefined) closed.add(current.name);
      current = {
        name,
        help: pendingHelp?.help,
        type: rest as Family['type'],
        samples: [],
      };
      pendingHelp = undefined;
      families.set(name, current);
      return;
    }
    const nameMatch = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(raw);
    if (nameMatch === null) throw new Error(`line ${line}: not a sample: ${raw}`);
    const name = nameMatch[1]!;
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest.slice(1), line);
      labels = parsed.labels;
      rest = parsed.rest;
    }
    const parts = rest.trim().split(/\s+/);
    if (parts.length < 1 || parts.length > 2 || !rest.startsWith(' ')) {
      throw new Error(`line ${line}: malformed sample: ${raw}`);
    }
    const value = parseValue(parts[0]!, line);
    const family = familyOf(name, families);
    if (family === undefined) throw new Error(`line ${line}: sample ${name} has no TYPE line`);
    if (family !== current || closed.has(family.name)) {
      throw new Error(`line ${line}: sample ${name} is not grouped with its family`);
    }
    const seriesKey = `${name}${JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))}`;
    if (seriesSeen.has(seriesKey)) throw new Error(`line ${line}: duplicate series ${raw}`);
    seriesSeen.add(seriesKey);
    if (
      family.type === 'histogram' &&
      name === `${family.name}_bucket` &&
      labels.le === undefined
    ) {
      throw new Error(`line ${line}: bucket without le`);
    }
    family.samples.push({ name, labels, value });
  });
  for (const family of families.values()) {
    if (family.type === 'histogram') checkHistogram(family);
  }
  return families;
}

/** The samples of one family whose labels include `labels`. */
export function samplesOf(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): Sample[] {
  const family = families.get(name);
  if (family === undefined) return [];
  return family.samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}
