import type { PrometheusFamily } from '@datum-telemetry/conventions/prometheus';
import type { CollectedTelemetry, TelemetryDefinition } from '../types.js';
import type { FindingCollector } from './collector.js';
import type { AggregatedMetric } from './metric-data.js';

/** What every check reads, worked out once by `validateTelemetry`. */
export interface CheckInput {
  readonly collected: CollectedTelemetry;
  readonly definition: TelemetryDefinition;
  /** The service metric names must start with, when known. */
  readonly service: string | undefined;
  readonly maxSeries: number;
  /** The definition's span names and `expectSpans`, without repeats. */
  readonly expectedSpans: readonly string[];
  readonly canaries: readonly string[];
  /** OTLP metrics, every export of one name folded together. */
  readonly metrics: readonly AggregatedMetric[];
  /** Every family of every scrape, with the URL it came from and the format it was served in. */
  readonly families: readonly {
    readonly url: string;
    readonly family: PrometheusFamily;
    readonly format?: 'openmetrics' | 'text';
  }[];
  readonly declaredNames: ReadonlySet<string>;
  readonly out: FindingCollector;
}
