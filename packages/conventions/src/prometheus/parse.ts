import type {
  PrometheusExemplar,
  PrometheusExposition,
  PrometheusFamily,
  PrometheusParseError,
  PrometheusParseOptions,
  PrometheusSample,
  PrometheusType,
} from './types.js';

const TYPES = new Set<PrometheusType>([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
  'unknown',
  'info',
  'stateset',
  'gaugehistogram',
]);

/** The types of the text format 0.0.4; the others are OpenMetrics only. */
const TYPES_0_0_4 = new Set<PrometheusType>([
  'counter',
  'gauge',
  'histogram',
  'summary',
  'untyped',
]);

type Suffixes = Readonly<Partial<Record<PrometheusType, readonly string[]>>>;

/** The series a family of each type writes beside (or instead of) its own name. */
const SUFFIXES: Suffixes = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count', '_created'],
  info: ['_info'],
};

/** The same in the text format 0.0.4, where a counter's samples carry the family's own name. */
const SUFFIXES_0_0_4: Suffixes = {
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['_sum', '_count'],
};

const ALL_SUFFIXES: readonly string[] = [...new Set(Object.values(SUFFIXES).flat())];

const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL_FLOAT = /^[+-]?(?:inf|infinity|nan)$/i;
/** Enough to say what is wrong with an endpoint without keeping a flood of errors. */
const MAX_ERRORS = 100;

interface MutableFamily {
  name: string;
  type: PrometheusType;
  typed: boolean;
  help?: string;
  unit?: string;
  samples: PrometheusSample[];
  /** The line of each sample, for the errors of strict mode. */
  sampleLines: number[];
  /** The line that first named the family. */
  firstLine: number;
}

function parseFloatToken(token: string): number | undefined {
  if (FLOAT.test(token)) return Number(token);
  if (SPECIAL_FLOAT.test(token)) {
    const lower = token.toLowerCase();
    if (lower.endsWith('nan')) return Number.NaN;
    return lower.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return undefined;
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
}

/** The first escape of a HELP text other than `\\` and `\n`, which the format 0.0.4 forbids. */
function badHelpEscape(text: string): string | undefined {
  for (const m of text.matchAll(/\\(.?)/g)) {
    if (m[1] !== '\\' && m[1] !== 'n') return m[0];
  }
  return undefined;
}

class LineReader {
  pos = 0;
  /** Set by `quoted()` (strict readers only) at the first escape the format 0.0.4 forbids. */
  badEscape: string | undefined;
  constructor(
    readonly text: string,
    readonly strict = false,
  ) {}

  skipSpaces(): void {
    while (this.text[this.pos] === ' ' || this.text[this.pos] === '\t') this.pos++;
  }

  match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m === null) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  token(): string {
    const start = this.pos;
    while (
      this.pos < this.text.length &&
      this.text[this.pos] !== ' ' &&
      this.text[this.pos] !== '\t'
    )
      this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A double-quoted label value with `\\`, `\"` and `\n` escapes; `undefined` when unterminated. */
  quoted(): string | undefined {
    if (this.text[this.pos] !== '"') return undefined;
    this.pos++;
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++]!;
      if (c === '"') return out;
      if (c === '\\') {
        const next = this.text[this.pos++];
        if (next === undefined) return undefined;
        if (this.strict && next !== 'n' && next !== '\\' && next !== '"') {
          this.badEscape ??= `\\${next}`;
        }
        out += next === 'n' ? '\n' : next === '\\' || next === '"' ? next : `\\${next}`;
      } else {
        out += c;
      }
    }
    return undefined;
  }
}

function parseLabels(reader: LineReader): Record<string, string> | string {
  const labels: Record<string, string> = {};
  reader.pos++; // the `{`
  for (;;) {
    reader.skipSpaces();
    if (reader.text[reader.pos] === '}') {
      reader.pos++;
      return labels;
    }
    const name = reader.match(LABEL_NAME);
    if (name === undefined) return 'expected a label name';
    reader.skipSpaces();
    if (reader.text[reader.pos] !== '=') return `expected \`=\` after the label \`${name}\``;
    reader.pos++;
    reader.skipSpaces();
    const value = reader.quoted();
    if (value === undefined) return `the value of the label \`${name}\` is not a closed "string"`;
    if (reader.badEscape !== undefined) {
      return `the value of the label \`${name}\` has the escape \`${reader.badEscape}\`: only \`\\\\\`, \`\\"\` and \`\\n\` are allowed`;
    }
    if (Object.hasOwn(labels, name)) return `the label \`${name}\` appears twice`;
    labels[name] = value;
    reader.skipSpaces();
    if (reader.text[reader.pos] === ',') reader.pos++;
    else if (reader.text[reader.pos] !== '}') return 'expected `,` or `}` after a label';
  }
}

/** OpenMetrics: the label names and values of an exemplar hold at most this many code points. */
const EXEMPLAR_LABELS_MAX = 128;

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The exemplar after `#` (the reader is on the `#`), or what is wrong with it. */
function parseExemplar(reader: LineReader, openMetrics: boolean): PrometheusExemplar | string {
  reader.pos++; // the `#`
  reader.skipSpaces();
  if (reader.text[reader.pos] !== '{') {
    return 'expected an exemplar `{labels} value [timestamp]` after `#`';
  }
  const labels = parseLabels(reader);
  if (typeof labels === 'string') return `the exemplar: ${labels}`;
  if (openMetrics) {
    const size = Object.entries(labels).reduce((n, [k, v]) => n + codePoints(k) + codePoints(v), 0);
    if (size > EXEMPLAR_LABELS_MAX) {
      return `the exemplar's label names and values have ${size} characters: OpenMetrics allows ${EXEMPLAR_LABELS_MAX}`;
    }
  }
  reader.skipSpaces();
  const valueToken = reader.token();
  if (valueToken === '') return 'the exemplar has no value';
  const value = parseFloatToken(valueToken);
  if (value === undefined)
    return `the exemplar value \`${valueToken.slice(0, 40)}\` is not a number`;
  reader.skipSpaces();
  if (reader.pos >= reader.text.length) return { labels, value };
  const stamp = reader.token();
  const timestamp = parseFloatToken(stamp);
  if (timestamp === undefined || !Number.isFinite(timestamp)) {
    return `the exemplar timestamp \`${stamp.slice(0, 40)}\` is not a number`;
  }
  reader.skipSpaces();
  if (reader.pos < reader.text.length) return 'unexpected text after the exemplar';
  return { labels, value, timestamp };
}

function parseSample(
  line: string,
  strict: boolean,
  openMetrics: boolean,
): PrometheusSample | string {
  const reader = new LineReader(line, strict);
  const name = reader.match(METRIC_NAME);
  if (name === undefined) return 'expected a metric name';
  reader.skipSpaces();
  let labels: Record<string, string> = {};
  if (line[reader.pos] === '{') {
    const parsed = parseLabels(reader);
    if (typeof parsed === 'string') return parsed;
    labels = parsed;
    reader.skipSpaces();
  }
  const valueToken = reader.token();
  if (valueToken === '') return `\`${name}\` has no value`;
  const value = parseFloatToken(valueToken);
  if (value === undefined) return `\`${valueToken.slice(0, 40)}\` is not a number`;
  reader.skipSpaces();
  let timestampMs: number | undefined;
  if (reader.pos < line.length && line[reader.pos] !== '#') {
    const stamp = reader.token();
    const parsed = parseFloatToken(stamp);
    if (parsed === undefined || !Number.isFinite(parsed)) {
      return `\`${stamp.slice(0, 40)}\` is not a timestamp`;
    }
    timestampMs = parsed;
    reader.skipSpaces();
  }
  let exemplar: PrometheusExemplar | undefined;
  if (line[reader.pos] === '#') {
    const parsed = parseExemplar(reader, openMetrics);
    if (typeof parsed === 'string') return parsed;
    exemplar = parsed;
  } else if (reader.pos < line.length) {
    return 'unexpected text after the value';
  }
  return {
    name,
    labels,
    value,
    ...(timestampMs === undefined ? {} : { timestampMs }),
    ...(exemplar === undefined ? {} : { exemplar }),
  };
}

function seriesKey(sample: PrometheusSample): string {
  const keys = Object.keys(sample.labels).sort();
  return `${sample.name}{${keys.map((k) => `${k}=${JSON.stringify(sample.labels[k])}`).join(',')}}`;
}

/**
 * Strict mode: the buckets of each series of a histogram (grouped by their labels but `le`) have
 * `le`, ascending bounds, counts that never go down, and a `+Inf` bucket equal to `_count`.
 */
function checkHistogram(
  family: MutableFamily,
  error: (line: number, reason: string) => void,
): void {
  interface Series {
    readonly line: number;
    buckets: Array<{ bound: number; count: number; line: number }>;
    count: number | undefined;
  }
  const series = new Map<string, Series>();
  family.samples.forEach((sample, i) => {
    const line = family.sampleLines[i]!;
    const { le, ...rest } = sample.labels;
    const key = seriesKey({ name: family.name, labels: rest, value: 0 });
    let found = series.get(key);
    if (found === undefined) {
      found = { line, buckets: [], count: undefined };
      series.set(key, found);
    }
    if (sample.name === `${family.name}_count`) found.count = sample.value;
    if (sample.name !== `${family.name}_bucket`) return;
    const bound = le === undefined ? undefined : parseFloatToken(le);
    if (bound === undefined) {
      error(line, `a bucket of \`${family.name}\` has no \`le\` label with a number`);
      return;
    }
    found.buckets.push({ bound, count: sample.value, line });
  });
  for (const [key, { line, buckets, count }] of series) {
    const shown = key.slice(0, 120);
    for (let i = 1; i < buckets.length; i++) {
      const [before, after] = [buckets[i - 1]!, buckets[i]!];
      if (!(after.bound > before.bound)) {
        error(after.line, `the buckets of \`${shown}\` are not in ascending \`le\` order`);
      } else if (after.count < before.count) {
        error(after.line, `the bucket counts of \`${shown}\` go down`);
      }
    }
    const inf = buckets.find((b) => b.bound === Number.POSITIVE_INFINITY);
    if (inf === undefined) error(line, `\`${shown}\` has no \`le="+Inf"\` bucket`);
    if (count === undefined) error(line, `\`${shown}\` has no \`_count\``);
    if (inf !== undefined && count !== undefined && inf.count !== count) {
      error(
        inf.line,
        `the \`+Inf\` bucket of \`${shown}\` is ${inf.count}, not its \`_count\` ${count}`,
      );
    }
  }
}

/**
 * Parses a Prometheus text exposition (format 0.0.4) or OpenMetrics text, exemplars included (with
 * `{ openMetrics: true }`, what OpenMetrics 1.0 forbids is listed too). Never throws: lines it
 * cannot read are listed in `errors` (at most 100) and skipped, so one bad line does not hide the
 * rest of the endpoint. With `{ strict: true }`, what the format 0.0.4 forbids is listed too (see
 * {@link PrometheusParseOptions.strict}), and samples join families by the suffixes of that format
 * only (`_bucket`, `_sum`, `_count`; a counter's samples carry its own name).
 */
export function parsePrometheusText(
  text: string,
  options: PrometheusParseOptions = {},
): PrometheusExposition {
  const strict = options.strict === true;
  const openMetrics = options.openMetrics === true;
  const suffixes = strict && !openMetrics ? SUFFIXES_0_0_4 : SUFFIXES;
  const families = new Map<string, MutableFamily>();
  const errors: PrometheusParseError[] = [];
  const seen = new Set<string>();
  const error = (line: number, reason: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ line, reason });
  };
  const family = (name: string, line: number): MutableFamily => {
    let found = families.get(name);
    if (found === undefined) {
      found = {
        name,
        type: 'untyped',
        typed: false,
        samples: [],
        sampleLines: [],
        firstLine: line,
      };
      families.set(name, found);
    }
    return found;
  };
  const familyOf = (sampleName: string, line: number): MutableFamily => {
    const exact = families.get(sampleName);
    if (exact !== undefined) return exact;
    for (const suffix of ALL_SUFFIXES) {
      if (!sampleName.endsWith(suffix)) continue;
      const base = families.get(sampleName.slice(0, -suffix.length));
      if (base !== undefined && suffixes[base.type]?.includes(suffix)) return base;
    }
    return family(sampleName, line);
  };
  // Strict mode: the family the last lines were about, and those whose lines have ended.
  let current: MutableFamily | undefined;
  const ended = new Set<MutableFamily>();
  const together = (target: MutableFamily, lineNo: number) => {
    if (!strict || target === current) return;
    if (ended.has(target)) {
      error(
        lineNo,
        `the lines of \`${target.name}\` are not together: another family comes between`,
      );
    }
    if (current !== undefined) ended.add(current);
    current = target;
  };

  const lines = String(text).split(/\r?\n/);
  if (strict && text !== '' && !String(text).endsWith('\n')) {
    error(lines.length, 'the exposition does not end in a newline');
  }
  // OpenMetrics: the line of `# EOF`, the last one but the final newline's empty remainder.
  let eof: number | undefined;
  const lastLine = lines.length - (lines[lines.length - 1] === '' ? 1 : 0);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (openMetrics && eof !== undefined && lineNo <= lastLine) {
      if (lineNo === eof + 1)
        error(lineNo, 'text after `# EOF`: it ends an OpenMetrics exposition');
      return;
    }
    const line = raw.trim();
    if (line === '') {
      if (openMetrics && lineNo < lastLine) error(lineNo, 'a blank line: OpenMetrics has none');
      return;
    }
    if (line.startsWith('#')) {
      if (line === '# EOF') eof = lineNo;
      const m = /^#\s+(HELP|TYPE|UNIT)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (m === null) {
        // A plain comment, or `# EOF`; OpenMetrics has no plain comments.
        if (openMetrics && eof !== lineNo) {
          error(lineNo, 'a comment: OpenMetrics has only `# HELP`, `# TYPE`, `# UNIT` and `# EOF`');
        }
        return;
      }
      const [, keyword, name, rest = ''] = m;
      METRIC_NAME.lastIndex = 0;
      const nameMatch = METRIC_NAME.exec(name!);
      if (nameMatch === null || nameMatch[0] !== name) {
        error(lineNo, `\`${name!.slice(0, 60)}\` is not a valid metric name`);
        return;
      }
      const target = family(name!, lineNo);
      together(target, lineNo);
      if (keyword === 'HELP') {
        if (strict) {
          const bad = badHelpEscape(rest);
          if (bad !== undefined) {
            error(
              lineNo,
              `the HELP text of \`${name}\` has the escape \`${bad}\`: only \`\\\\\` and \`\\n\` are allowed`,
            );
          }
          if (target.help !== undefined) error(lineNo, `a second HELP line for \`${name}\``);
        }
        target.help = unescapeHelp(rest);
      } else if (keyword === 'UNIT') target.unit = rest.trim();
      else {
        const type = rest.trim().toLowerCase() as PrometheusType;
        if (!TYPES.has(type)) {
          error(lineNo, `\`${rest.slice(0, 40)}\` is not a metric type`);
        } else if (target.typed) {
          error(lineNo, `a second TYPE line for \`${name}\``);
        } else {
          if (target.samples.length > 0) {
            error(lineNo, `the TYPE line for \`${name}\` comes after its samples`);
          } else if (strict && !openMetrics && !TYPES_0_0_4.has(type)) {
            error(lineNo, `\`${type}\` is an OpenMetrics type, not one of the text format 0.0.4`);
          }
          target.type = type;
          target.typed = true;
        }
      }
      return;
    }
    const sample = parseSample(line, strict, openMetrics);
    if (typeof sample === 'string') {
      error(lineNo, sample);
      return;
    }
    const key = seriesKey(sample);
    if (seen.has(key)) error(lineNo, `the series \`${key.slice(0, 120)}\` appears twice`);
    seen.add(key);
    const target = familyOf(sample.name, lineNo);
    together(target, lineNo);
    if (strict && !target.typed && target.samples.length === 0) {
      error(lineNo, `\`${sample.name}\` has no TYPE line before it`);
    }
    target.samples.push(sample);
    target.sampleLines.push(lineNo);
  });

  if (openMetrics && eof === undefined) {
    error(lastLine, 'the exposition does not end with `# EOF`, as OpenMetrics requires');
  }
  const out: PrometheusFamily[] = [];
  for (const f of families.values()) {
    if (strict && !f.typed && f.samples.length === 0) {
      error(f.firstLine, `\`${f.name}\` has a HELP or UNIT line but no TYPE line`);
    }
    if (strict && f.type === 'histogram') checkHistogram(f, error);
    // A HELP or UNIT line alone, with no TYPE and no samples, describes nothing that exists.
    if (!f.typed && f.samples.length === 0) continue;
    out.push({
      name: f.name,
      type: f.type,
      ...(f.help === undefined ? {} : { help: f.help }),
      ...(f.unit === undefined ? {} : { unit: f.unit }),
      samples: f.samples,
    });
  }
  if (strict) errors.sort((a, b) => a.line - b.line);
  return { families: out, errors };
}
