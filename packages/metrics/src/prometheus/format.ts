// What differs between the exposition formats, as one interface the serializer writes through: the
// text format 0.0.4 (text-format.ts) and OpenMetrics 1.0 (openmetrics-format.ts).
import type { InstrumentKind } from '@datum-telemetry/conventions';
import type { DataPoint, Histogram } from '@opentelemetry/sdk-metrics';
import type { WithExemplars } from '../exemplars/types.js';

/** The metric types the expositions write. */
export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'info';

/** A collected data point; exemplars on it when a producer gave some. */
export type ExpositionPoint<T> = DataPoint<T> & WithExemplars;

/** What a family's comment lines say. */
export interface FamilyHead {
  readonly type: FamilyType;
  readonly help: string;
  /** The instrument's UCUM unit (`s`, `By`, `{request}`), `''` for none. */
  readonly unit: string;
}

/** One exposition format. */
export interface ExpositionWriter {
  /**
   * The family name of a metric whose Prometheus name (`toPrometheusName`) is `name`. A counter's
   * `_total` belongs to the family name in the text format, to the sample name in OpenMetrics.
   */
  familyName(name: string, kind: InstrumentKind): string;
  /** Every sample name a family writes or reserves: no other family may write one of them. */
  reservedNames(family: string, type: FamilyType): string[];
  /** The comment lines before the family's samples. */
  head(family: string, head: FamilyHead): string;
  /** The family, type and sample name of the target info metric. */
  readonly targetInfo: { readonly family: string; readonly type: FamilyType };
  /** The target info sample line. */
  targetInfoLine(family: string, labels: string): string;
  /** Why this format cannot show the point, or `undefined` when it can. */
  cannotShow(kind: InstrumentKind, point: ExpositionPoint<number | Histogram>): string | undefined;
  /** The sample line of a counter. */
  counter(family: string, labels: string, point: ExpositionPoint<number>): string;
  /** The sample line of a gauge or an up-down counter. */
  gauge(family: string, labels: string, point: ExpositionPoint<number>): string;
  /** The sample lines of one histogram series. */
  histogram(family: string, labels: string, point: ExpositionPoint<Histogram>): string;
  /** What ends the exposition. */
  readonly end: string;
}
