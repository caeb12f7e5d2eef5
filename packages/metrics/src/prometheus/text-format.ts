// The Prometheus text format 0.0.4, byte for byte what the endpoint has always served (pinned by
// test/prometheus-text-pin.test.ts). It has no place for exemplars: they are left out.
import type { InstrumentKind } from '@datum-telemetry/conventions';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import type { ExpositionPoint, ExpositionWriter, FamilyHead, FamilyType } from './format.js';
import { escapeHelp, formatNumber, sample } from './labels.js';

/** The content type of the text format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

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

/** The text format 0.0.4: families named as `toPrometheusName` says, counters included. */
export const textFormat: ExpositionWriter = {
  familyName: (name: string, _kind: InstrumentKind) => name,
  reservedNames: (family: string, type: FamilyType) =>
    type === 'histogram' ? [`${family}_bucket`, `${family}_sum`, `${family}_count`] : [family],
  head: (family: string, head: FamilyHead) =>
    `# HELP ${family} ${escapeHelp(head.help)}\n# TYPE ${family} ${head.type}\n`,
  targetInfo: { family: 'target_info', type: 'gauge' },
  targetInfoLine: (family: string, labels: string) => sample(family, labels, 1),
  cannotShow: () => undefined,
  counter: (family: string, labels: string, point: ExpositionPoint<number>) =>
    sample(family, labels, point.value),
  gauge: (family: string, labels: string, point: ExpositionPoint<number>) =>
    sample(family, labels, point.value),
  histogram: (family: string, labels: string, point: ExpositionPoint<Histogram>) =>
    histogramLines(family, labels, point.value),
  end: '',
};
