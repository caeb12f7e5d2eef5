import type {
  PrometheusExposition,
  PrometheusFamily,
  PrometheusParseError,
  PrometheusSample,
  PrometheusType,
} from '../types.js';

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

/** The series a family of each type writes beside (or instead of) its own name. */
const SUFFIXES: Readonly<Partial<Record<PrometheusType, readonly string[]>>> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  gaugehistogram: ['_bucket', '_gsum', '_gcount'],
  summary: ['_sum', '_count', '_created'],
  info: ['_info'],
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

class LineReader {
  pos = 0;
  constructor(readonly text: string) {}

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
    if (Object.hasOwn(labels, name)) return `the label \`${name}\` appears twice`;
    labels[name] = value;
    reader.skipSpaces();
    if (reader.text[reader.pos] === ',') reader.pos++;
    else if (reader.text[reader.pos] !== '}') return 'expected `,` or `}` after a label';
  }
}

function parseSample(line: string): PrometheusSample | string {
  const reader = new LineReader(line);
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
  // What follows `#` is an OpenMetrics exemplar: not needed for any check.
  if (reader.pos < line.length && line[reader.pos] !== '#') {
    return 'unexpected text after the value';
  }
  return timestampMs === undefined ? { name, labels, value } : { name, labels, value, timestampMs };
}

function seriesKey(sample: PrometheusSample): string {
  const keys = Object.keys(sample.labels).sort();
  return `${sample.name}{${keys.map((k) => `${k}=${JSON.stringify(sample.labels[k])}`).join(',')}}`;
}

/**
 * Parses a Prometheus text exposition (format 0.0.4) or OpenMetrics text. Never throws: lines it
 * cannot read are listed in `errors` (at most 100) and skipped, so one bad line does not hide the
 * rest of the endpoint.
 */
export function parsePrometheusText(text: string): PrometheusExposition {
  const families = new Map<string, MutableFamily>();
  const errors: PrometheusParseError[] = [];
  const seen = new Set<string>();
  const error = (line: number, reason: string) => {
    if (errors.length < MAX_ERRORS) errors.push({ line, reason });
  };
  const family = (name: string): MutableFamily => {
    let found = families.get(name);
    if (found === undefined) {
      found = { name, type: 'untyped', typed: false, samples: [] };
      families.set(name, found);
    }
    return found;
  };
  const familyOf = (sampleName: string): MutableFamily => {
    const exact = families.get(sampleName);
    if (exact !== undefined) return exact;
    for (const suffix of ALL_SUFFIXES) {
      if (!sampleName.endsWith(suffix)) continue;
      const base = families.get(sampleName.slice(0, -suffix.length));
      if (base !== undefined && SUFFIXES[base.type]?.includes(suffix)) return base;
    }
    return family(sampleName);
  };

  const lines = String(text).split(/\r?\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = raw.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE|UNIT)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (m === null) return; // a plain comment, or `# EOF`
      const [, keyword, name, rest = ''] = m;
      METRIC_NAME.lastIndex = 0;
      const nameMatch = METRIC_NAME.exec(name!);
      if (nameMatch === null || nameMatch[0] !== name) {
        error(lineNo, `\`${name!.slice(0, 60)}\` is not a valid metric name`);
        return;
      }
      const target = family(name!);
      if (keyword === 'HELP') target.help = unescapeHelp(rest);
      else if (keyword === 'UNIT') target.unit = rest.trim();
      else {
        const type = rest.trim().toLowerCase() as PrometheusType;
        if (!TYPES.has(type)) {
          error(lineNo, `\`${rest.slice(0, 40)}\` is not a metric type`);
        } else if (target.typed) {
          error(lineNo, `a second TYPE line for \`${name}\``);
        } else if (target.samples.length > 0) {
          error(lineNo, `the TYPE line for \`${name}\` comes after its samples`);
          target.type = type;
          target.typed = true;
        } else {
          target.type = type;
          target.typed = true;
        }
      }
      return;
    }
    const sample = parseSample(line);
    if (typeof sample === 'string') {
      error(lineNo, sample);
      return;
    }
    const key = seriesKey(sample);
    if (seen.has(key)) error(lineNo, `the series \`${key.slice(0, 120)}\` appears twice`);
    seen.add(key);
    familyOf(sample.name).samples.push(sample);
  });

  const out: PrometheusFamily[] = [];
  for (const f of families.values()) {
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
  return { families: out, errors };
}
