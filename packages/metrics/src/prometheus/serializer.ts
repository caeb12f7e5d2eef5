import type { InstrumentKind } from '@datum-telemetry/conventions';
import { prometheusSeriesNames, toPrometheusName } from '@datum-telemetry/conventions';
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { diag } from '@opentelemetry/api';
import type { Histogram, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { DataPointType } from '@opentelemetry/sdk-metrics';

/** The content type of the text exposition format this serializer writes. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Settings of the exposition. */
export interface ExpositionSettings {
  readonly withTargetInfo: boolean;
  readonly withScopeLabels: boolean;
}

type PrometheusType = 'counter' | 'gauge' | 'histogram';

interface Family {
  readonly type: PrometheusType;
  readonly help: string;
  readonly lines: string[];
  /** Label sets already written, so that two scopes cannot write the same series twice. */
  readonly series: Set<string>;
}

type Label = readonly [name: string, value: string];

/** The conventions' instrument kind of collected data; `undefined` for what text cannot show. */
export function kindOfMetric(metric: MetricData): InstrumentKind | undefined {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      return metric.isMonotonic ? 'counter' : 'updowncounter';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return undefined;
  }
}

const PROMETHEUS_TYPE: Readonly<Record<InstrumentKind, PrometheusType>> = {
  counter: 'counter',
  updowncounter: 'gauge',
  gauge: 'gauge',
  histogram: 'histogram',
};

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelName(key: string): string {
  const name = key.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(name)) return `key_${name}`;
  if (name.startsWith('__')) return `key${name}`;
  return name;
}

function labelValue(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function formatNumber(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * Attributes as labels, sorted by name. Keys that become the same label name (`http.method` and
 * `http_method`) are joined with `;` in the order of their original keys, as the OpenTelemetry
 * Prometheus compatibility rules say.
 */
function toLabels(attributes: Attributes, reserved: ReadonlySet<string>): Label[] {
  const grouped = new Map<string, [key: string, value: string][]>();
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (value === undefined || value === null) continue;
    let name = labelName(key);
    if (reserved.has(name)) name = `exported_${name}`;
    const group = grouped.get(name);
    if (group === undefined) grouped.set(name, [[key, labelValue(value)]]);
    else group.push([key, labelValue(value)]);
  }
  const labels: Label[] = [];
  for (const [name, group] of grouped) {
    group.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    labels.push([name, group.map((entry) => entry[1]).join(';')]);
  }
  return labels.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function labelText(labels: readonly Label[]): string {
  let out = '';
  for (const [name, value] of labels) {
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return out;
}

function sample(name: string, labels: string, value: number): string {
  return `${name}${labels === '' ? '' : `{${labels}}`} ${formatNumber(value)}\n`;
}

const NO_RESERVED: ReadonlySet<string> = new Set();
const HISTOGRAM_RESERVED: ReadonlySet<string> = new Set(['le']);

/**
 * Writes collected metrics in the Prometheus text format 0.0.4. Every metric is named by
 * `toPrometheusName` from @datum-telemetry/conventions, so the exposition holds exactly the names the
 * conventions promise: no unit suffix is added and `_total` is never doubled. Metrics of the same
 * name from different meters share one family. What the format cannot hold (exponential histograms,
 * a name used with two types, a series written twice) is left out and reported once through `diag`.
 */
export class PrometheusSerializer {
  private readonly warned = new Set<string>();

  constructor(private readonly settings: ExpositionSettings) {}

  serialize(resourceMetrics: ResourceMetrics): string {
    const families = new Map<string, Family>();
    // Every sample name in use (`x_bucket` of a histogram `x`), so a family cannot shadow another.
    const sampleNames = new Map<string, string>();

    if (this.settings.withTargetInfo) {
      const labels = labelText(toLabels(resourceMetrics.resource.attributes, NO_RESERVED));
      if (labels !== '') {
        families.set('target_info', {
          type: 'gauge',
          help: 'Target metadata',
          lines: [sample('target_info', labels, 1)],
          series: new Set([labels]),
        });
        sampleNames.set('target_info', 'target_info');
      }
    }

    for (const scopeMetrics of resourceMetrics.scopeMetrics) {
      const scope = scopeMetrics.scope;
      const scopeLabels: Attributes = {};
      if (this.settings.withScopeLabels) {
        scopeLabels['otel.scope.name'] = scope.name;
        if (scope.version) scopeLabels['otel.scope.version'] = scope.version;
      }
      for (const metric of scopeMetrics.metrics) {
        this.addMetric(families, sampleNames, metric, scopeLabels);
      }
    }

    let out = '';
    for (const [name, family] of families) {
      if (family.lines.length === 0) continue;
      out += `# HELP ${name} ${escapeHelp(family.help)}\n# TYPE ${name} ${family.type}\n`;
      out += family.lines.join('');
    }
    return out;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    diag.warn(`@datum-telemetry/metrics Prometheus exposition: ${message}`);
  }

  private addMetric(
    families: Map<string, Family>,
    sampleNames: Map<string, string>,
    metric: MetricData,
    scopeLabels: Attributes,
  ): void {
    const otelName = metric.descriptor.name;
    const kind = kindOfMetric(metric);
    if (kind === undefined) {
      this.warnOnce(
        `type:${otelName}`,
        `${otelName} is an exponential histogram, which the text format cannot show; it is left out (use explicit buckets for Prometheus)`,
      );
      return;
    }
    const name = toPrometheusName(otelName, kind);
    const type = PROMETHEUS_TYPE[kind];
    let family = families.get(name);
    if (family === undefined) {
      const series = prometheusSeriesNames(otelName, kind);
      const taken = series.find((s) => sampleNames.has(s));
      if (taken !== undefined) {
        this.warnOnce(
          `clash:${otelName}`,
          `${otelName} would write ${taken}, which ${sampleNames.get(taken)} already writes; it is left out`,
        );
        return;
      }
      for (const s of series) sampleNames.set(s, otelName);
      family = {
        type,
        help: metric.descriptor.description || otelName,
        lines: [],
        series: new Set(),
      };
      families.set(name, family);
    } else if (family.type !== type) {
      this.warnOnce(
        `type:${otelName}`,
        `${otelName} is a ${type} but ${name} is already a ${family.type}; it is left out`,
      );
      return;
    }

    const reserved = kind === 'histogram' ? HISTOGRAM_RESERVED : NO_RESERVED;
    for (const point of metric.dataPoints) {
      const attributes = this.settings.withScopeLabels
        ? { ...point.attributes, ...scopeLabels }
        : point.attributes;
      const labels = labelText(toLabels(attributes, reserved));
      if (family.series.has(labels)) {
        this.warnOnce(
          `dup:${name}{${labels}}`,
          `${name}{${labels}} comes from two meters; only the first is shown (set prometheus.withScopeLabels to keep both)`,
        );
        continue;
      }
      family.series.add(labels);
      if (kind === 'histogram') {
        family.lines.push(histogramLines(name, labels, point.value as Histogram));
      } else {
        family.lines.push(sample(name, labels, point.value as number));
      }
    }
  }
}

function histogramLines(name: string, labels: string, histogram: Histogram): string {
  const prefix = labels === '' ? '' : `${labels},`;
  const { boundaries, counts } = histogram.buckets;
  let out = '';
  let cumulative = 0;
  for (let i = 0; i < boundaries.length; i++) {
    cumulative += counts[i] ?? 0;
    out += `${name}_bucket{${prefix}le="${formatNumber(boundaries[i]!)}"} ${cumulative}\n`;
  }
  out += `${name}_bucket{${prefix}le="+Inf"} ${histogram.count}\n`;
  if (histogram.sum !== undefined) out += sample(`${name}_sum`, labels, histogram.sum);
  out += sample(`${name}_count`, labels, histogram.count);
  return out;
}
