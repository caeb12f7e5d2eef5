import { toPrometheusName, UNIT_WORDS } from '@datum-telemetry/conventions';
import type { PrometheusFamily } from '@datum-telemetry/conventions/prometheus';
import type { DeclaredMetric } from '../types.js';
import { q } from './collector.js';
import type { CheckInput } from './input.js';
import { KIND_WORDS, PROMETHEUS_TYPE_OF_KIND } from './metric-data.js';

const OTLP_TYPE_WORDS: Readonly<Record<string, string>> = {
  counter: 'a monotonic sum (counter)',
  updowncounter: 'a non-monotonic sum (up-down counter)',
  gauge: 'a gauge',
  histogram: 'a histogram',
};

/** What an exporter may wrongly append to a Prometheus name: a unit word, `_total`, or both. */
const APPENDED = new Set([
  'total',
  ...Object.keys(UNIT_WORDS),
  ...Object.keys(UNIT_WORDS).map((w) => `${w}_total`),
]);

function findFamily(
  input: CheckInput,
  prometheusName: string,
): { url: string; family: PrometheusFamily } | undefined {
  return (
    input.families.find((f) => f.family.name === prometheusName) ??
    input.families.find((f) => f.family.samples.some((s) => s.name === prometheusName))
  );
}

function nearMiss(input: CheckInput, prometheusName: string): PrometheusFamily | undefined {
  return input.families.find(({ family }) => {
    if (!family.name.startsWith(`${prometheusName}_`)) return false;
    return APPENDED.has(family.name.slice(prometheusName.length + 1));
  })?.family;
}

function checkOne(input: CheckInput, metric: DeclaredMetric): void {
  const { out } = input;
  const signal = 'metrics';
  const check = 'metrics.declared';
  const prometheusName = metric.prometheusName ?? toPrometheusName(metric.name, metric.kind);
  const otlp = input.metrics.find((m) => m.name === metric.name);
  const found = findFamily(input, prometheusName);

  if (otlp === undefined && found === undefined) {
    const near = nearMiss(input, prometheusName);
    if (near !== undefined) {
      out.add({
        check,
        signal,
        rule: 'metric.declared.prometheus-name',
        level: 'violation',
        name: metric.name,
        message: `${q(metric.name)} is exposed to Prometheus as ${q(near.name)}, not as its one name ${q(prometheusName)}: the exporter appends a unit or \`_total\` the name already carries; serve it through @datum-telemetry/metrics (or turn off the exporter's suffixes)`,
        suggestion: prometheusName,
      });
      return;
    }
    const where =
      input.families.length > 0
        ? ` (not received over OTLP, and ${q(prometheusName)} is not on the Prometheus endpoint)`
        : '';
    out.add({
      check,
      signal,
      rule: 'metric.declared.missing',
      level: 'violation',
      name: metric.name,
      message: `${q(metric.name)} is declared (${KIND_WORDS[metric.kind]}) but was never exported${where}: make the instrument from the definition (definition.create(meter)) and record a value while the scenario runs; an instrument with no recordings exports nothing`,
    });
    return;
  }

  if (otlp !== undefined) {
    if (otlp.kind !== metric.kind) {
      out.add({
        check,
        signal,
        rule: 'metric.declared.kind',
        level: 'violation',
        name: metric.name,
        message: `${q(metric.name)} is declared as ${KIND_WORDS[metric.kind]} but was exported as ${otlp.kind === undefined ? `an OTLP ${otlp.type}` : OTLP_TYPE_WORDS[otlp.kind]}: make it with the declared kind (definition.create(meter) does)`,
      });
    }
    if (metric.unit !== undefined && otlp.unit !== metric.unit) {
      out.add({
        check,
        signal,
        rule: 'metric.declared.unit',
        level: 'violation',
        name: metric.name,
        message: `${q(metric.name)} is declared with the unit ${metric.unit === '' ? 'none' : q(metric.unit)} but was exported with ${otlp.unit === '' ? 'none' : q(otlp.unit)}: give the instrument the declared unit (and record values in it)`,
      });
    }
  }
  if (found !== undefined) {
    const expected = PROMETHEUS_TYPE_OF_KIND[metric.kind];
    const { family } = found;
    if (family.type !== expected) {
      const actual =
        family.type === 'untyped' || family.type === 'unknown'
          ? 'has no TYPE line'
          : `has \`# TYPE ${family.name} ${family.type}\``;
      out.add({
        check,
        signal,
        rule: 'metric.declared.kind',
        level: 'violation',
        name: metric.name,
        message: `${q(metric.name)} is declared as ${KIND_WORDS[metric.kind]}, so Prometheus should see \`# TYPE ${family.name} ${expected}\`, but ${found.url} ${actual}: make it with the declared kind`,
      });
    }
  }
}

/** `metrics.declared`: every declared metric was exported, with its kind, unit and Prometheus name. */
export function checkDeclaredMetrics(input: CheckInput): void {
  for (const metric of input.definition.metrics) checkOne(input, metric);
}
