import type { MetricDefinitionJson, MetricsDefinitionJson } from './types.js';

/** The API group and version of the YAML documents. */
export const METRIC_DEFINITION_API_VERSION = 'telemetry.datumapis.com/v1alpha1';

const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

/** A YAML scalar: plain when that is unambiguous, else double-quoted (JSON escapes are valid YAML). */
function scalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

/**
 * A Kubernetes object name for a metric: the metric name with `_` as `-`, which is a valid DNS
 * subdomain because metric names hold only `[a-z0-9_.]`, and stays one-to-one.
 */
export function metricObjectName(name: string): string {
  return name.replace(/_/g, '-');
}

function document(service: string, metric: MetricDefinitionJson): string {
  const lines = [
    `apiVersion: ${METRIC_DEFINITION_API_VERSION}`,
    'kind: MetricDefinition',
    'metadata:',
    `  name: ${scalar(metricObjectName(metric.name))}`,
    '  labels:',
    `    telemetry.datumapis.com/service: ${scalar(service)}`,
    'spec:',
    `  name: ${scalar(metric.name)}`,
    `  type: ${scalar(metric.kind)}`,
    `  observable: ${metric.observable}`,
    `  valueType: ${scalar(metric.valueType)}`,
    `  unit: ${scalar(metric.unit)}`,
    `  description: ${scalar(metric.description)}`,
    `  prometheusName: ${scalar(metric.prometheusName)}`,
  ];
  if (metric.attributes.length === 0) {
    lines.push('  labels: []');
  } else {
    lines.push('  labels:');
    for (const key of metric.attributes) lines.push(`    - name: ${scalar(key)}`);
  }
  if (metric.buckets !== null) {
    lines.push('  buckets:');
    for (const bound of metric.buckets) lines.push(`    - ${scalar(bound)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** One `MetricDefinition` document per metric, `---` separated, in declaration order. */
export function definitionToYaml(definition: MetricsDefinitionJson): string {
  return definition.metrics.map((metric) => document(definition.service, metric)).join('---\n');
}
