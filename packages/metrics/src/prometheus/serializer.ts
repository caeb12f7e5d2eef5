import type { InstrumentKind } from '@datum-telemetry/conventions';
import { toPrometheusName } from '@datum-telemetry/conventions';
import type { Attributes } from '@opentelemetry/api';
import { diag } from '@opentelemetry/api';
import type { Histogram, MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { DataPointType } from '@opentelemetry/sdk-metrics';
import type { ExpositionFormat } from '../types.js';
import type { ExpositionPoint, ExpositionWriter, FamilyType } from './format.js';
import { HISTOGRAM_RESERVED, labelText, NO_RESERVED, toLabels } from './labels.js';
import { openMetricsFormat } from './openmetrics-format.js';
import { textFormat } from './text-format.js';

export { OPENMETRICS_CONTENT_TYPE } from './openmetrics-format.js';
export { PROMETHEUS_CONTENT_TYPE } from './text-format.js';

/** Settings of the exposition. */
export interface ExpositionSettings {
  readonly withTargetInfo: boolean;
  readonly withScopeLabels: boolean;
}

interface Family {
  readonly type: FamilyType;
  readonly help: string;
  readonly unit: string;
  readonly lines: string[];
  /** Label sets already written, so that two scopes cannot write the same series twice. */
  readonly series: Set<string>;
}

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

const FAMILY_TYPE: Readonly<Record<InstrumentKind, FamilyType>> = {
  counter: 'counter',
  updowncounter: 'gauge',
  gauge: 'gauge',
  histogram: 'histogram',
};

const WRITERS: Readonly<Record<ExpositionFormat, ExpositionWriter>> = {
  prometheus: textFormat,
  openmetrics: openMetricsFormat,
};

const FORMAT_NAMES: Readonly<Record<ExpositionFormat, string>> = {
  prometheus: 'the text format',
  openmetrics: 'OpenMetrics',
};

/**
 * Writes collected metrics in the Prometheus text format 0.0.4 or in OpenMetrics 1.0. Every metric
 * is named by `toPrometheusName` from @datum-telemetry/conventions, so both formats hold exactly the
 * series names the conventions promise: no unit suffix is added and `_total` is never doubled.
 * Metrics of the same name from different meters share one family. What a format cannot hold
 * (exponential histograms, a name used with two types, a series written twice, a NaN counter in
 * OpenMetrics) is left out and reported once through `diag`. Exemplars on the data points appear in
 * OpenMetrics only, on `_bucket` and `_total` lines.
 */
export class PrometheusSerializer {
  private readonly warned = new Set<string>();

  constructor(private readonly settings: ExpositionSettings) {}

  /** The exposition of `resourceMetrics` in `format` (the text format 0.0.4 by default). */
  serialize(resourceMetrics: ResourceMetrics, format: ExpositionFormat = 'prometheus'): string {
    const writer = WRITERS[format];
    const families = new Map<string, Family>();
    // Every sample name in use (`x_bucket` of a histogram `x`), so a family cannot shadow another.
    const sampleNames = new Map<string, string>();

    if (this.settings.withTargetInfo) {
      const labels = labelText(toLabels(resourceMetrics.resource.attributes, NO_RESERVED));
      if (labels !== '') {
        const { family, type } = writer.targetInfo;
        families.set(family, {
          type,
          help: 'Target metadata',
          unit: '',
          lines: [writer.targetInfoLine(family, labels)],
          series: new Set([labels]),
        });
        for (const name of writer.reservedNames(family, type)) sampleNames.set(name, 'target_info');
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
        this.addMetric(writer, format, families, sampleNames, metric, scopeLabels);
      }
    }

    let out = '';
    for (const [name, family] of families) {
      if (family.lines.length === 0) continue;
      out += writer.head(name, family);
      out += family.lines.join('');
    }
    return out + writer.end;
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    diag.warn(`@datum-telemetry/metrics Prometheus exposition: ${message}`);
  }

  private addMetric(
    writer: ExpositionWriter,
    format: ExpositionFormat,
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
    const name = writer.familyName(toPrometheusName(otelName, kind), kind);
    const type = FAMILY_TYPE[kind];
    let family = families.get(name);
    if (family === undefined) {
      const series = writer.reservedNames(name, type);
      const taken = series.find((s) => sampleNames.has(s));
      if (taken !== undefined) {
        this.warnOnce(
          `clash:${format}:${otelName}`,
          `${otelName} would write ${taken}, which ${sampleNames.get(taken)} already writes; it is left out${format === 'openmetrics' ? ' of OpenMetrics' : ''}`,
        );
        return;
      }
      for (const s of series) sampleNames.set(s, otelName);
      family = {
        type,
        help: metric.descriptor.description || otelName,
        unit: metric.descriptor.unit,
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
    for (const point of metric.dataPoints as ExpositionPoint<number | Histogram>[]) {
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
      const reason = writer.cannotShow(kind, point);
      if (reason !== undefined) {
        this.warnOnce(
          `show:${format}:${name}`,
          `${name}{${labels}} is left out of ${FORMAT_NAMES[format]}: ${reason}`,
        );
        continue;
      }
      family.series.add(labels);
      if (kind === 'histogram') {
        family.lines.push(writer.histogram(name, labels, point as ExpositionPoint<Histogram>));
      } else if (kind === 'counter') {
        family.lines.push(writer.counter(name, labels, point as ExpositionPoint<number>));
      } else {
        family.lines.push(writer.gauge(name, labels, point as ExpositionPoint<number>));
      }
    }
  }
}
