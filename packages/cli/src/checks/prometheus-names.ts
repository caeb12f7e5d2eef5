import {
  NON_BASE_UNIT_WORDS,
  prometheusSeriesNames,
  toPrometheusName,
  UNIT_WORDS,
} from '@datum-telemetry/conventions';
import type { PrometheusFamily } from '@datum-telemetry/conventions/prometheus';
import type { FindingLevel } from '../types.js';
import { q } from './collector.js';
import type { CheckInput } from './input.js';
import { SEMCONV_NAMESPACES } from './metric-data.js';

/** Series every exporter adds that are not metrics of the service. */
const IGNORED_FAMILIES = new Set(['target_info', 'otel_scope_info']);

/**
 * Unit words whose short forms (`ms`, `ns`, `mb`) are too ambiguous to judge in a `_`-joined name
 * (`_ns` may be a namespace): only the spelled-out ones are reported.
 */
const LONG_NON_BASE_WORDS = new Set(
  Object.keys(NON_BASE_UNIT_WORDS).filter((w) => w.length >= 5 && w !== 'second'),
);
const DOUBLED = new RegExp(`_(total|${Object.keys(UNIT_WORDS).join('|')})_\\1$`);

/** Prometheus names of the metrics received over OTLP. */
export function otlpPrometheusNames(input: CheckInput): Set<string> {
  const covered = new Set<string>();
  for (const m of input.metrics) {
    if (m.kind === undefined) covered.add(toPrometheusName(m.name));
    else
      for (const s of [toPrometheusName(m.name, m.kind), ...prometheusSeriesNames(m.name, m.kind)])
        covered.add(s);
  }
  return covered;
}

/** Prometheus names that an OTLP metric or a declaration already accounts for. */
export function coveredPrometheusNames(input: CheckInput): Set<string> {
  const covered = otlpPrometheusNames(input);
  for (const d of input.definition.metrics) {
    covered.add(d.prometheusName ?? toPrometheusName(d.name, d.kind));
    for (const s of prometheusSeriesNames(d.name, d.kind)) covered.add(s);
  }
  return covered;
}

/** True when the family is accounted for, or is not a metric of the service at all. */
export function isCoveredFamily(family: PrometheusFamily, covered: ReadonlySet<string>): boolean {
  return (
    IGNORED_FAMILIES.has(family.name) ||
    // In OpenMetrics, `target_info` is the family `target` of type `info`.
    (family.type === 'info' && IGNORED_FAMILIES.has(`${family.name}_info`)) ||
    family.name.endsWith('_created') ||
    covered.has(family.name) ||
    family.samples.some((s) => covered.has(s.name))
  );
}

/** Whose rules a Prometheus family is held to, as for OTLP names. */
export function familyOwner(
  name: string,
  service: string | undefined,
): 'own' | 'semconv' | 'foreign' {
  if (service !== undefined && name.startsWith(`${service}_`)) return 'own';
  if (SEMCONV_NAMESPACES.has(name.split('_')[0] ?? '')) return 'semconv';
  return service === undefined ? 'own' : 'foreign';
}

function checkFamily(input: CheckInput, family: PrometheusFamily, url: string): void {
  const { out, service } = input;
  const name = family.name;
  const owner = familyOwner(name, service);
  const add = (
    rule: string,
    level: FindingLevel,
    message: string,
    suggestion?: string,
    check: 'metrics.names' | 'metrics.units' = 'metrics.names',
  ) =>
    out.add({
      check,
      signal: 'metrics',
      rule,
      level,
      name,
      message,
      ...(suggestion === undefined ? {} : { suggestion }),
    });
  if (owner === 'semconv') {
    add(
      'metric.name.semconv',
      'info',
      `${q(name)} (${url}) looks like an OpenTelemetry semantic-convention or runtime metric: it keeps its standard name, and Datum's rules are not applied`,
    );
    return;
  }
  const level: FindingLevel = owner === 'own' ? 'violation' : 'warning';

  if (/[A-Z:]/.test(name)) {
    const fixed = name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/:/g, '_');
    add(
      'prometheus.name.format',
      level,
      `${q(name)} is not lower-case snake case: Prometheus names of Datum metrics are the dotted name with \`_\` (\`:\` is for recording rules); use ${q(fixed)}`,
      fixed,
    );
  }
  if (family.type === 'untyped' || family.type === 'unknown') {
    add(
      'prometheus.type.missing',
      'warning',
      `${q(name)} has no \`# TYPE\` line at ${url}: Prometheus treats it as untyped; expose it through an OpenTelemetry exporter (or write the TYPE line)`,
    );
  }
  const base = name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
  if (family.type === 'counter') {
    const bad = family.samples.find(
      (s) => !s.name.endsWith('_total') && !s.name.endsWith('_created'),
    );
    if (bad !== undefined) {
      add(
        'metric.name.counter-suffix',
        level,
        `${q(name)} is a counter: counter series end in \`_total\` (the dotted name ends in \`.total\`); use ${q(`${base}_total`)}`,
        `${base}_total`,
      );
    }
  } else if (family.type !== 'untyped' && family.type !== 'unknown' && name.endsWith('_total')) {
    add(
      'metric.name.total-suffix',
      level,
      `${q(name)} is a ${family.type}: only counter names end in \`_total\`; use ${q(base)}`,
      base,
    );
  }
  const doubled = DOUBLED.exec(name);
  if (doubled !== null) {
    const fixed = name.slice(0, -(doubled[1]!.length + 1));
    add(
      'prometheus.name.doubled-suffix',
      level,
      `${q(name)} repeats \`_${doubled[1]}\`: the exporter appended a unit or \`_total\` the name already carries; use ${q(fixed)} (@datum-telemetry/metrics never doubles a suffix)`,
      fixed,
    );
  }
  const words = base.split('_');
  const last = words[words.length - 1] ?? '';
  if (LONG_NON_BASE_WORDS.has(last)) {
    const baseWord = NON_BASE_UNIT_WORDS[last]!;
    const fixed = [...words.slice(0, -1), baseWord].join('_') + (base === name ? '' : '_total');
    add(
      'metric.name.non-base-unit',
      level,
      `${q(name)} ends in the unit ${q(last)}: use the base unit ${q(baseWord)} (and record values in it); use ${q(fixed)}`,
      fixed,
      'metrics.units',
    );
  }
  if (owner === 'foreign') {
    add(
      'metric.name.service',
      'warning',
      `${q(name)} does not start with the service name \`${service}_\`: Datum metric names are \`{service}.{resource}.{measurement}\`; if it is the service's own, rename it; if a library's, ignore this`,
    );
  } else if (service !== undefined && words.length < 3) {
    add(
      'metric.name.segments',
      level,
      `${q(name)} has too few words: metric names are \`{service}.{resource}.{measurement}[.{unit}]\`, for example \`${service}_vm_active\``,
    );
  }
}

/**
 * `metrics.names` for Prometheus families that no OTLP metric or declaration accounts for: only
 * the `_`-joined name is known, so the checks are those that need no dots (case, `_total`, doubled
 * suffixes, non-base units, the service prefix, a TYPE line).
 */
export function checkPrometheusNames(input: CheckInput): void {
  const covered = coveredPrometheusNames(input);
  for (const scrape of input.collected.prometheus ?? []) {
    const [first] = scrape.errors;
    if (first === undefined) continue;
    const more = scrape.errors.length > 1 ? ` (and ${scrape.errors.length - 1} more)` : '';
    input.out.add({
      check: 'metrics.names',
      signal: 'metrics',
      rule: 'prometheus.exposition.invalid',
      level: 'violation',
      name: scrape.url,
      message: `${scrape.url} serves lines Prometheus cannot read: line ${first.line}: ${first.reason}${more}; Prometheus fails the whole scrape on them`,
    });
  }
  for (const { url, family } of input.families) {
    if (!isCoveredFamily(family, covered)) checkFamily(input, family, url);
  }
}
