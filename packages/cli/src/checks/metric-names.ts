import { checkMetricName } from '@datum-telemetry/conventions';
import type { CheckId } from '../types.js';
import { q } from './collector.js';
import type { CheckInput } from './input.js';
import { metricOwner } from './metric-data.js';

/** Rules about units; the rest of the name rules belong to `metrics.names`. */
const UNIT_RULES: ReadonlySet<string> = new Set([
  'metric.name.unit-mismatch',
  'metric.name.unit-missing',
  'metric.unit.non-base',
  'metric.name.non-base-unit',
]);

/** Which check a conventions rule about a metric name belongs to. */
export function metricNameCheck(rule: string): CheckId {
  return UNIT_RULES.has(rule) ? 'metrics.units' : 'metrics.names';
}

/**
 * `metrics.names` and `metrics.units` for OTLP metrics: every name against the conventions, with
 * its exported kind and unit. The service's own metrics get the rules' levels; names with another
 * prefix are warnings (a shared library's); OpenTelemetry semantic-convention names get one info.
 */
export function checkMetricNames(input: CheckInput): void {
  const { out, service } = input;
  for (const metric of input.metrics) {
    const first = metric.name.split('.')[0] ?? '';
    const owner = metricOwner(first, service, input.declaredNames.has(metric.name));
    if (owner === 'semconv') {
      out.add({
        check: 'metrics.names',
        signal: 'metrics',
        rule: 'metric.name.semconv',
        level: 'info',
        name: metric.name,
        message: `${q(metric.name)} is an OpenTelemetry semantic-convention metric (scope ${[...metric.scopes].map(q).join(', ')}): it keeps its standard name, and Datum's \`{service}.{resource}.{measurement}\` rules are not applied`,
      });
      continue;
    }
    out.addConventions(
      checkMetricName(metric.name, {
        ...(metric.kind === undefined ? {} : { kind: metric.kind }),
        unit: metric.unit,
        ...(service === undefined ? {} : { service }),
      }),
      {
        check: metricNameCheck,
        signal: 'metrics',
        ...(owner === 'foreign' ? { level: 'warning' as const } : {}),
      },
    );
    if (metric.variants.size > 1) {
      out.add({
        check: 'metrics.names',
        signal: 'metrics',
        rule: 'metric.identity.conflict',
        level: owner === 'foreign' ? 'warning' : 'violation',
        name: metric.name,
        message: `${q(metric.name)} was exported as ${[...metric.variants].join(' and as ')}: one name has one kind and one unit; two instruments share the name, so rename one`,
      });
    }
  }
  // Declarations that were not received over OTLP are still checked as declared.
  for (const declared of input.definition.metrics) {
    if (input.metrics.some((m) => m.name === declared.name)) continue;
    out.addConventions(
      checkMetricName(declared.name, {
        kind: declared.kind,
        ...(declared.unit === undefined ? {} : { unit: declared.unit }),
        ...(service === undefined ? {} : { service }),
      }),
      { check: metricNameCheck, signal: 'metrics' },
    );
  }
}
