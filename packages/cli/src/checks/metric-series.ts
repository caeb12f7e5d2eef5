import { checkAttributeKey } from '@datum-telemetry/conventions';
import type { SinkAttributes } from '@datum-telemetry/otlp-sink';
import type { FindingLevel } from '../types.js';
import { q } from './collector.js';
import type { CheckInput } from './input.js';
import { attributesKey, metricOwner } from './metric-data.js';
import { familyOwner, isCoveredFamily, otlpPrometheusNames } from './prometheus-names.js';

/** Labels that split one series into buckets or quantiles: not part of its identity. */
const SERIES_LABELS_IGNORED = new Set(['le', 'quantile']);
const LABEL_NAME = /^[a-z_][a-z0-9_]*$/;

/** The attribute with the most distinct values: the likely cause of a cardinality explosion. */
function widestAttribute(
  series: Iterable<Readonly<Record<string, unknown>>>,
): [string, number] | undefined {
  const values = new Map<string, Set<string>>();
  for (const attributes of series) {
    for (const [key, value] of Object.entries(attributes)) {
      const set = values.get(key) ?? new Set<string>();
      set.add(String(value));
      values.set(key, set);
    }
  }
  let widest: [string, number] | undefined;
  for (const [key, set] of values)
    if (widest === undefined || set.size > widest[1]) widest = [key, set.size];
  return widest;
}

function reportCardinality(
  input: CheckInput,
  name: string,
  series: readonly Readonly<Record<string, unknown>>[],
  overflow: boolean,
): void {
  if (series.length > input.maxSeries) {
    const widest = widestAttribute(series);
    const cause =
      widest === undefined ? '' : `; ${q(widest[0])} alone has ${widest[1]} distinct values`;
    input.out.add({
      check: 'metrics.cardinality',
      signal: 'metrics',
      rule: 'metric.cardinality',
      level: 'violation',
      name,
      message: `${q(name)} has ${series.length} series (attribute sets), over the budget of ${input.maxSeries}${cause}: keep ids, raw paths, user names and other unbounded values out of metric attributes (put them on spans or logs)`,
    });
  }
  if (overflow) {
    input.out.add({
      check: 'metrics.cardinality',
      signal: 'metrics',
      rule: 'metric.cardinality.overflow',
      level: 'warning',
      name,
      message: `${q(name)} reached the SDK's cardinality limit: further attribute sets were folded into one \`otel.metric.overflow\` series, so its numbers are no longer split as recorded; remove the unbounded attribute`,
    });
  }
}

function reportKey(
  input: CheckInput,
  key: string,
  metric: string,
  level: FindingLevel | undefined,
): void {
  for (const f of checkAttributeKey(key)) {
    // Secret keys are judged by their values, in the `secrets` check.
    if (f.rule !== 'attribute.key.format') continue;
    input.out.add({
      check: 'metrics.attributes',
      signal: 'metrics',
      rule: f.rule,
      level: level ?? f.level,
      name: key,
      message: `${f.message} (on the metric ${q(metric)})`,
      ...(f.suggestion === undefined ? {} : { suggestion: f.suggestion }),
    });
  }
}

/** `metrics.attributes` and `metrics.cardinality`, for OTLP metrics and Prometheus families. */
export function checkMetricSeries(input: CheckInput): void {
  for (const metric of input.metrics) {
    const owner = metricOwner(
      metric.name.split('.')[0] ?? '',
      input.service,
      input.declaredNames.has(metric.name),
    );
    const series: SinkAttributes[] = [...metric.series.values()];
    if (owner !== 'semconv') {
      const keys = new Set(series.flatMap((s) => Object.keys(s)));
      keys.delete('otel.metric.overflow');
      for (const key of keys)
        reportKey(input, key, metric.name, owner === 'foreign' ? 'warning' : undefined);
    }
    reportCardinality(
      input,
      metric.name,
      series,
      series.some((s) => s['otel.metric.overflow'] === true),
    );
  }

  // Families received over OTLP too are judged by their dotted name above.
  const covered = otlpPrometheusNames(input);
  for (const { family } of input.families) {
    if (isCoveredFamily(family, covered)) continue;
    const owner = familyOwner(family.name, input.service);
    const bySeries = new Map<string, Record<string, string>>();
    let overflow = false;
    for (const sample of family.samples) {
      const labels: Record<string, string> = {};
      for (const [k, v] of Object.entries(sample.labels))
        if (!SERIES_LABELS_IGNORED.has(k)) labels[k] = v;
      if (labels.otel_metric_overflow === 'true') overflow = true;
      bySeries.set(attributesKey(labels), labels);
    }
    if (owner !== 'semconv') {
      const labelNames = new Set([...bySeries.values()].flatMap((l) => Object.keys(l)));
      for (const label of labelNames) {
        if (LABEL_NAME.test(label) && !label.startsWith('__')) continue;
        const fixed = label
          .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
          .toLowerCase()
          .replace(/^_+/, '');
        input.out.add({
          check: 'metrics.attributes',
          signal: 'metrics',
          rule: 'attribute.key.format',
          level: owner === 'foreign' ? 'warning' : 'violation',
          name: label,
          message: `the label ${q(label)} of ${q(family.name)} is not lower-case snake case (\`__\` is reserved for Prometheus); use ${q(fixed)}`,
          suggestion: fixed,
        });
      }
    }
    reportCardinality(input, family.name, [...bySeries.values()], overflow);
  }
}
