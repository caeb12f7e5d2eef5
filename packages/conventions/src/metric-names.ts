import type { Finding } from './findings.js';
import { ConventionError, finding, quote } from './findings.js';
import { NON_BASE_UNIT_WORDS, NON_BASE_UNITS, UNIT_NAME_WORDS, UNIT_WORDS } from './units.js';

/**
 * The instrument kinds the naming rules know. Observable instruments have the kind of their
 * synchronous twin (an observable counter is a `counter`).
 */
export type InstrumentKind = 'counter' | 'updowncounter' | 'gauge' | 'histogram';

export const INSTRUMENT_KINDS: readonly InstrumentKind[] = Object.freeze([
  'counter',
  'updowncounter',
  'gauge',
  'histogram',
]);

/** What else is known about a metric when its name is checked. */
export interface MetricNameCheckOptions {
  /** The instrument kind. When omitted, the kind rules (`.total` for counters only) are skipped. */
  readonly kind?: InstrumentKind;
  /**
   * The instrument's UCUM unit (`s`, `By`, `%`, `1`, `{request}`). When omitted, the rules that tie
   * the unit to the name are skipped; pass `''` for "no unit".
   */
  readonly unit?: string;
  /** The service name the first segment must equal. When omitted, any valid segment is accepted. */
  readonly service?: string;
}

/** Longest metric name accepted (OpenTelemetry's instrument name limit). */
export const MAX_METRIC_NAME_LENGTH = 255;

const SEGMENT = /^[a-z][a-z0-9_]*$/;
const GLUED_SUFFIX = new RegExp(
  `^(.+?)_(total|${[...Object.keys(UNIT_WORDS), ...Object.keys(NON_BASE_UNIT_WORDS)].join('|')})$`,
);
const RESERVED_LAST_SEGMENTS = new Set(['bucket', 'created']);

const KIND_LABEL: Readonly<Record<InstrumentKind, string>> = {
  counter: 'a counter',
  updowncounter: 'an up-down counter',
  gauge: 'a gauge',
  histogram: 'a histogram',
};

/** True when `segment` is a valid metric name segment (`[a-z][a-z0-9_]*`). */
export function isMetricSegment(segment: string): boolean {
  return SEGMENT.test(segment);
}

/**
 * Checks a metric name against `{service}.{resource}.{measurement}[.{unit}]`, aware of the instrument
 * kind and unit. Returns every broken rule; an empty array means the name is valid.
 */
export function checkMetricName(name: string, options: MetricNameCheckOptions = {}): Finding[] {
  const out: Finding[] = [];
  const add = (rule: string, message: string, suggestion?: string) =>
    out.push(finding(rule, 'metric', name, message, suggestion));

  if (typeof name !== 'string' || name.length === 0) {
    add('metric.name.empty', 'a metric name is required: use `{service}.{resource}.{measurement}`');
    return out;
  }
  if (name.length > MAX_METRIC_NAME_LENGTH) {
    add(
      'metric.name.length',
      `${quote(name)} is ${name.length} characters long: metric names are at most ${MAX_METRIC_NAME_LENGTH}`,
    );
    return out;
  }

  // Shape rules first; each proposes a repaired name so later rules can build on it.
  let fixed = name;
  if (/[A-Z]/.test(name)) {
    fixed = fixed.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    add(
      'metric.name.lowercase',
      `${quote(name)} has upper-case letters: metric names are lower case; use ${quote(fixed)}`,
      fixed,
    );
  }
  if (/[^A-Za-z0-9_.]/.test(name)) {
    fixed = fixed.replace(/[^a-z0-9_.]+/g, '_');
    add(
      'metric.name.charset',
      `${quote(name)} has characters other than letters, digits, \`_\` and \`.\`: separate segments with \`.\` and words with \`_\`; use ${quote(fixed)}`,
      fixed,
    );
  }
  if (/^\.|\.$|\.\./.test(fixed)) {
    fixed = fixed.replace(/\.{2,}/g, '.').replace(/^\.|\.$/g, '');
    add(
      'metric.name.empty-segment',
      `${quote(name)} has an empty segment (a leading, trailing or doubled \`.\`); use ${quote(fixed)}`,
      fixed,
    );
  }
  const badStart = fixed.split('.').filter((s) => s.length > 0 && !/^[a-z]/.test(s));
  if (badStart.length > 0) {
    add(
      'metric.name.segment-start',
      `${quote(name)}: every segment starts with a lower-case letter, and ${badStart.map(quote).join(', ')} does not`,
    );
  }

  // Units and `total` are segments of their own: `duration_seconds` is `duration.seconds`.
  const unglued = fixed
    .split('.')
    .map((s) => s.replace(GLUED_SUFFIX, '$1.$2'))
    .join('.');
  if (unglued !== fixed) {
    fixed = unglued;
    add(
      'metric.name.unit-segment',
      `${quote(name)} glues a unit or \`total\` to a word with \`_\`: units and \`total\` are segments of their own; use ${quote(fixed)}`,
      fixed,
    );
  }

  // A suffix written twice (`.total.total`, `.seconds.seconds`) is a slip, and it would map to a
  // doubled Prometheus suffix (`_total_total`).
  const { segments: once, repeated } = withoutRepeatedSuffix(fixed.split('.'));
  if (repeated.length > 0) {
    fixed = once.join('.');
    add(
      'metric.name.repeated-suffix',
      `${quote(name)} repeats ${repeated.map((word) => `\`.${word}\``).join(' and ')} at its end: write each suffix once; use ${quote(fixed)}`,
      fixed,
    );
  }

  let segments = fixed.split('.');
  const { kind, unit, service } = options;

  if (service !== undefined && segments[0] !== service) {
    // Too short to hold a service segment: it was left out. Otherwise it is the wrong one.
    const minimum = kind === 'counter' || segments[segments.length - 1] === 'total' ? 4 : 3;
    segments = segments.length < minimum ? [service, ...segments] : [service, ...segments.slice(1)];
    fixed = segments.join('.');
    add(
      'metric.name.service',
      `${quote(name)} does not start with the service name ${quote(service)}: metric names are \`{service}.{resource}.{measurement}\`; use ${quote(fixed)}`,
      fixed,
    );
  }

  // A non-base unit word is replaced by its base word, in the last place or just before `total`.
  const unitIndex =
    segments[segments.length - 1] === 'total' ? segments.length - 2 : segments.length - 1;
  const unitWord = segments[unitIndex];
  const baseWord = unitWord === undefined ? undefined : NON_BASE_UNIT_WORDS[unitWord];
  if (unitWord !== undefined && baseWord !== undefined) {
    segments = segments.map((s, i) => (i === unitIndex ? baseWord : s));
    fixed = segments.join('.');
    add(
      'metric.name.non-base-unit',
      `${quote(name)} ends in the unit ${quote(unitWord)}: use the base unit ${quote(baseWord)} (and record values in it); use ${quote(fixed)}`,
      fixed,
    );
  }

  const last = segments[segments.length - 1];
  if (kind === 'counter' && last !== 'total') {
    fixed = `${fixed}.total`;
    segments = [...segments, 'total'];
    add(
      'metric.name.counter-suffix',
      `${quote(name)} is a counter: counter names end in \`.total\`; use ${quote(fixed)}`,
      fixed,
    );
  } else if (kind !== undefined && kind !== 'counter' && last === 'total') {
    segments = segments.slice(0, -1);
    fixed = segments.join('.');
    add(
      'metric.name.total-suffix',
      `${quote(name)} is ${KIND_LABEL[kind]}: only counter names end in \`.total\`; use ${quote(fixed)}`,
      fixed,
    );
  }

  const minimum = segments[segments.length - 1] === 'total' ? 4 : 3;
  if (segments.length < minimum) {
    add(
      'metric.name.segments',
      minimum === 4
        ? `${quote(name)} has too few segments: counter names are \`{service}.{resource}.{measurement}.total\`, for example \`compute.vm.requests.total\``
        : `${quote(name)} has too few segments: metric names are \`{service}.{resource}.{measurement}[.{unit}]\`, for example \`compute.vm.active\``,
    );
  }

  const finalLast = segments[segments.length - 1];
  if (finalLast !== undefined && RESERVED_LAST_SEGMENTS.has(finalLast)) {
    add(
      'metric.name.reserved-suffix',
      `${quote(name)} ends in \`.${finalLast}\`, which Prometheus reserves for histogram and counter series: choose another final word`,
    );
  }

  if (unit !== undefined) checkUnit(name, segments, unit, kind, add);
  return out;
}

/**
 * `segments` with a last segment that repeats the one before it written once, and the same for the
 * segment before a final `total` (`a.b.seconds.seconds.total` is `a.b.seconds.total`).
 */
function withoutRepeatedSuffix(segments: readonly string[]): {
  segments: string[];
  repeated: string[];
} {
  const kept = [...segments];
  const repeated: string[] = [];
  const collapse = (index: number): void => {
    let at = index;
    while (at >= 1 && kept[at] === kept[at - 1]) {
      if (!repeated.includes(kept[at]!)) repeated.push(kept[at]!);
      kept.splice(at, 1);
      at--;
    }
  };
  collapse(kept.length - 1);
  if (kept[kept.length - 1] === 'total') collapse(kept.length - 2);
  return { segments: kept, repeated };
}

function checkUnit(
  name: string,
  segments: readonly string[],
  unit: string,
  kind: InstrumentKind | undefined,
  add: (rule: string, message: string, suggestion?: string) => void,
): void {
  const baseUnit = NON_BASE_UNITS[unit];
  if (baseUnit !== undefined) {
    add(
      'metric.unit.non-base',
      `${quote(name)} has the unit ${quote(unit)}: record in the base unit ${quote(baseUnit)} and name it \`.${UNIT_NAME_WORDS[baseUnit]}\``,
    );
    return;
  }
  const hasTotal = segments[segments.length - 1] === 'total';
  const unitIndex = hasTotal ? segments.length - 2 : segments.length - 1;
  const word = segments[unitIndex] ?? '';
  const wanted = UNIT_WORDS[word];
  if (wanted !== undefined) {
    if (wanted !== unit) {
      add(
        'metric.name.unit-mismatch',
        `${quote(name)} ends in the unit word \`${word}\`: its instrument unit must be \`${wanted}\`, not ${unit === '' ? 'empty' : quote(unit)}`,
      );
    }
    return;
  }
  const needed = UNIT_NAME_WORDS[unit];
  if (needed !== undefined) {
    const withWord = [...segments.slice(0, unitIndex + 1), needed, ...(hasTotal ? ['total'] : [])];
    const suggestion = withWord.join('.');
    add(
      'metric.name.unit-missing',
      `${quote(name)} has the unit \`${unit}\`: ${kind === 'counter' || hasTotal ? 'put' : 'end the name in'} \`.${needed}\`${hasTotal ? ' before `.total`' : ''}; use ${quote(suggestion)}`,
      suggestion,
    );
  }
}

/** Throws a {@link ConventionError} with every violation when the metric name breaks a rule. */
export function assertMetricName(name: string, options: MetricNameCheckOptions = {}): void {
  const findings = checkMetricName(name, options).filter((f) => f.level === 'violation');
  if (findings.length > 0) throw new ConventionError(findings);
}

/**
 * The one Prometheus name of a metric: dots become `_`, a counter gets `_total` only when its name
 * does not already end in it, and no unit suffix is added because valid names already carry their
 * unit word. `compute.vm.request.duration.seconds` is `compute_vm_request_duration_seconds`.
 */
export function toPrometheusName(name: string, kind?: InstrumentKind): string {
  let out = name.replace(/[^A-Za-z0-9_:]/g, '_').replace(/_{2,}/g, '_');
  if (/^[0-9]/.test(out)) out = `_${out}`;
  if (kind === 'counter' && !out.endsWith('_total')) out = `${out}_total`;
  return out;
}

/**
 * The one Prometheus label name of an attribute key, as the metrics package's exposition writes it:
 * characters other than letters, digits and `_` become `_` (`http.route` is `http_route`), a name
 * that would start with a digit gets `key_` before it and one that would start with `__` (reserved
 * by Prometheus) gets `key`. Unlike metric names, repeated `_` are kept, so that two keys that
 * differ only there stay two labels.
 */
export function toPrometheusLabelName(key: string): string {
  const name = key.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(name)) return `key_${name}`;
  if (name.startsWith('__')) return `key${name}`;
  return name;
}

/**
 * Every series name a metric produces in the Prometheus exposition: a histogram's `_bucket`, `_sum`
 * and `_count`; the single name for the others.
 */
export function prometheusSeriesNames(name: string, kind: InstrumentKind): string[] {
  const base = toPrometheusName(name, kind);
  return kind === 'histogram' ? [`${base}_bucket`, `${base}_sum`, `${base}_count`] : [base];
}

/**
 * Checks a service name for use as the first metric segment and in resource attributes.
 * Returns findings like the other checks.
 */
export function checkServiceName(service: string): Finding[] {
  if (typeof service === 'string' && SEGMENT.test(service) && service.length <= 63) return [];
  const shown = typeof service === 'string' ? service : String(service);
  const suggestion =
    typeof service === 'string'
      ? service
          .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
          .toLowerCase()
          .replace(/[^a-z0-9_]+/g, '_')
          .replace(/^[^a-z]+/, '')
      : undefined;
  return [
    finding(
      'metric.service.invalid',
      'metric',
      shown,
      `${quote(shown)} cannot be a service name: it is the first metric segment, so it is lower case, starts with a letter and has only letters, digits and \`_\` (at most 63)${suggestion ? `; use ${quote(suggestion)}` : ''}`,
      suggestion || undefined,
    ),
  ];
}

/**
 * The service name as the first metric segment: the name itself when it is one, its repaired form
 * (`compute-api` is `compute_api`) when that is, and `unknown_service` for an empty name, for
 * OpenTelemetry's `unknown_service:…` and for anything that cannot be repaired.
 */
export function toServiceSegment(serviceName: string): string {
  if (
    typeof serviceName !== 'string' ||
    serviceName === '' ||
    serviceName.startsWith('unknown_service')
  ) {
    return 'unknown_service';
  }
  const [problem] = checkServiceName(serviceName);
  if (problem === undefined) return serviceName;
  const fixed = problem.suggestion;
  return fixed !== undefined && checkServiceName(fixed).length === 0 ? fixed : 'unknown_service';
}
