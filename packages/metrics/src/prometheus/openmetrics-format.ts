// OpenMetrics 1.0 (https://github.com/prometheus/OpenMetrics/blob/main/specification/OpenMetrics.md):
// the same series as the text format 0.0.4, with counter families named without `_total`, UNIT lines,
// exemplars on `_bucket` and `_total` lines, and `# EOF`. What the format forbids (a NaN or negative
// counter, `_sum` beside negative buckets) is left out rather than written invalid.
import type { InstrumentKind } from '@datum-telemetry/conventions';
import { UNIT_WORDS } from '@datum-telemetry/conventions';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { exemplarsByBucket, exemplarsOf, latestExemplar } from '../exemplars/select.js';
import type { MetricExemplar } from '../exemplars/types.js';
import type { ExpositionPoint, ExpositionWriter, FamilyHead, FamilyType } from './format.js';
import type { Label } from './labels.js';
import { escapeLabelValue, formatNumber, labelText, sample, toLabels } from './labels.js';

/** The content type of OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE =
  'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** The most UTF-8 characters (code points) the names and values of an exemplar's labels may have. */
export const EXEMPLAR_LABELS_MAX = 128;

const EXEMPLAR_RESERVED: ReadonlySet<string> = new Set(['trace_id', 'span_id']);

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function labelsLength(labels: readonly Label[]): number {
  let n = 0;
  for (const [name, value] of labels) n += codePoints(name) + codePoints(value);
  return n;
}

/**
 * Whether an exemplar label can be written for every parser in use: the format allows `}` in a
 * quoted value, but prometheus_client's OpenMetrics parser (Debian 12's 0.16, and the validators
 * built on it) ends an exemplar's label set at its first `}`, even inside quotes, and rejects the
 * whole exposition. An attribute whose name or value has one (an Express 5 route such as
 * `/vms{/:id}` on an overflow series) is left off the exemplar; its ids and value stay.
 */
function readableByEveryParser([name, value]: Label): boolean {
  return !name.includes('}') && !value.includes('}');
}

/** An exemplar's time in seconds, exact to the nanosecond (`1700000000.25`). */
function seconds([s, ns]: MetricExemplar['time']): string {
  if (ns === 0) return String(s);
  return `${s}.${String(ns).padStart(9, '0').replace(/0+$/, '')}`;
}

/**
 * ` # {trace_id="…",span_id="…",…} value timestamp`, or `''` without an exemplar. The filtered
 * attributes become labels only when the whole label set keeps within the format's 128 characters
 * (the OpenTelemetry Prometheus compatibility rule); an exemplar whose ids alone would not fit is
 * left out.
 */
export function exemplarText(exemplar: MetricExemplar | undefined): string {
  if (exemplar === undefined) return '';
  const ids: Label[] = [
    ['trace_id', exemplar.traceId.toLowerCase()],
    ['span_id', exemplar.spanId.toLowerCase()],
  ];
  const attributes = toLabels(exemplar.filteredAttributes, EXEMPLAR_RESERVED).filter(
    readableByEveryParser,
  );
  let labels = ids;
  if (attributes.length > 0) {
    const all = [...ids, ...attributes];
    if (labelsLength(all) <= EXEMPLAR_LABELS_MAX) labels = all;
  }
  if (labelsLength(labels) > EXEMPLAR_LABELS_MAX) return '';
  return ` # {${labelText(labels)}} ${formatNumber(exemplar.value)} ${seconds(exemplar.time)}`;
}

/** A bucket count as the format wants it: a non-negative integer. */
function bucketCount(count: number | undefined): number {
  return count !== undefined && Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
}

function ascending(boundaries: readonly number[]): boolean {
  for (let i = 0; i < boundaries.length; i++) {
    if (!Number.isFinite(boundaries[i]!)) return false;
    if (i > 0 && !(boundaries[i]! > boundaries[i - 1]!)) return false;
  }
  return true;
}

function histogramLines(name: string, labels: string, point: ExpositionPoint<Histogram>): string {
  const histogram = point.value;
  const prefix = labels === '' ? '' : `${labels},`;
  const { boundaries, counts } = histogram.buckets;
  const exemplars = exemplarsByBucket(boundaries, exemplarsOf(point));
  let out = '';
  let cumulative = 0;
  for (let i = 0; i < boundaries.length; i++) {
    cumulative += bucketCount(counts[i]);
    out += `${name}_bucket{${prefix}le="${formatNumber(boundaries[i]!)}"} ${cumulative}${exemplarText(exemplars[i])}\n`;
  }
  for (let i = boundaries.length; i < counts.length; i++) cumulative += bucketCount(counts[i]);
  // `_count` must equal the `+Inf` bucket, and no bucket may hold less than the one before it.
  const total = Math.max(cumulative, bucketCount(histogram.count));
  out += `${name}_bucket{${prefix}le="+Inf"} ${total}${exemplarText(exemplars[boundaries.length])}\n`;
  // `_sum` is a counter: it is shown only when it is one (not NaN, not negative, no negative bucket),
  // and `_count` goes with it.
  const sum = histogram.sum;
  if (sum !== undefined && sum >= 0 && (boundaries.length === 0 || boundaries[0]! >= 0)) {
    out += sample(`${name}_sum`, labels, sum);
    out += sample(`${name}_count`, labels, total);
  }
  return out;
}

/** The unit word the family name ends in, when it is the word of the instrument's unit. */
function unitWord(family: string, unit: string): string | undefined {
  const word = family.slice(family.lastIndexOf('_') + 1);
  return word !== family && UNIT_WORDS[word] === unit ? word : undefined;
}

/** OpenMetrics 1.0. */
export const openMetricsFormat: ExpositionWriter = {
  familyName: (name: string, kind: InstrumentKind) =>
    kind === 'counter' && name.endsWith('_total') ? name.slice(0, -'_total'.length) : name,
  reservedNames(family: string, type: FamilyType): string[] {
    switch (type) {
      case 'counter':
        return [family, `${family}_total`, `${family}_created`];
      case 'histogram':
        return [
          family,
          `${family}_bucket`,
          `${family}_count`,
          `${family}_sum`,
          `${family}_created`,
        ];
      case 'info':
        return [family, `${family}_info`];
      default:
        return [family];
    }
  },
  head(family: string, head: FamilyHead): string {
    let out = `# HELP ${family} ${escapeLabelValue(head.help)}\n# TYPE ${family} ${head.type}\n`;
    const word = head.type === 'info' ? undefined : unitWord(family, head.unit);
    if (word !== undefined) out += `# UNIT ${family} ${word}\n`;
    return out;
  },
  targetInfo: { family: 'target', type: 'info' },
  targetInfoLine: (family: string, labels: string) => sample(`${family}_info`, labels, 1),
  cannotShow(kind: InstrumentKind, point: ExpositionPoint<number | Histogram>): string | undefined {
    if (kind === 'counter') {
      const value = point.value as number;
      if (Number.isNaN(value) || value < 0) {
        return `a counter's value must be a number of at least 0, not ${value}`;
      }
    }
    if (kind === 'histogram' && !ascending((point.value as Histogram).buckets.boundaries)) {
      return 'bucket boundaries must be finite and strictly ascending';
    }
    return undefined;
  },
  counter: (family: string, labels: string, point: ExpositionPoint<number>) =>
    `${family}_total${labels === '' ? '' : `{${labels}}`} ${formatNumber(point.value)}${exemplarText(latestExemplar(exemplarsOf(point)))}\n`,
  gauge: (family: string, labels: string, point: ExpositionPoint<number>) =>
    sample(family, labels, point.value),
  histogram: histogramLines,
  end: '# EOF\n',
};
