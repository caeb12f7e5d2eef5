import type { PrometheusFamily, PrometheusSample } from '@datum-telemetry/conventions/prometheus';
import { q } from './collector.js';
import type { CheckInput } from './input.js';

/** Family types whose series may carry exemplars, and which series (OpenMetrics 1.0). */
const EXEMPLAR_SUFFIX: Readonly<Partial<Record<PrometheusFamily['type'], string>>> = {
  counter: '_total',
  histogram: '_bucket',
  gaugehistogram: '_bucket',
};

/** True when OpenMetrics allows an exemplar on this sample of this family. */
export function mayCarryExemplar(family: PrometheusFamily, sample: PrometheusSample): boolean {
  const suffix = EXEMPLAR_SUFFIX[family.type];
  return suffix !== undefined && sample.name === `${family.name}${suffix}`;
}

/** Every scraped exemplar, with its family, sample and the URL it came from. */
export function scrapedExemplars(input: CheckInput) {
  return input.families.flatMap(({ url, family, format }) =>
    family.samples.flatMap((sample) =>
      sample.exemplar === undefined
        ? []
        : [{ url, family, format, sample, exemplar: sample.exemplar }],
    ),
  );
}

/**
 * `metrics.exemplars`: each exemplar scraped was served in OpenMetrics (`exemplar.format`: the
 * text format 0.0.4 has none), sits on a counter `_total` or histogram `_bucket`
 * line (`exemplar.kind`), and names, in `trace_id`, a trace whose spans the service exported
 * (`exemplar.trace.unknown`, `exemplar.trace.missing`; `exemplar.trace.unchecked` when no span
 * was received to compare with, or, for a service started elsewhere, the exemplar is older than
 * the first span received).
 */
export function checkExemplars(input: CheckInput): void {
  const { out } = input;
  const exemplars = scrapedExemplars(input);
  if (exemplars.length === 0) return;
  const spans = input.collected.spans ?? [];
  const traceIds = new Set(spans.map((s) => s.traceId));
  // A service started elsewhere may hold exemplars of requests from before the receiver ran, whose
  // spans went elsewhere: those older than the first span received are not judged.
  let firstSpanSeconds: number | undefined;
  if (input.collected.service === undefined) {
    for (const s of spans) {
      const seconds = Number(s.startTimeUnixNano) / 1e9;
      if (firstSpanSeconds === undefined || seconds < firstSpanSeconds) firstSpanSeconds = seconds;
    }
  }
  for (const { url, family, format, sample, exemplar } of exemplars) {
    if (format === 'text') {
      out.add({
        check: 'metrics.exemplars',
        signal: 'metrics',
        rule: 'exemplar.format',
        level: 'violation',
        name: sample.name,
        message: `${q(sample.name)} (${url}) carries an exemplar in the text format 0.0.4, but the text format 0.0.4 has no exemplars: Prometheus refuses the whole scrape (\`expected integer as timestamp, got "#"\`); write exemplars only in OpenMetrics 1.0, to a scraper whose \`Accept\` asks for \`application/openmetrics-text\``,
      });
      continue;
    }
    if (!mayCarryExemplar(family, sample)) {
      const what =
        family.type === 'untyped' || family.type === 'unknown'
          ? 'has no type'
          : `is a ${family.type}`;
      out.add({
        check: 'metrics.exemplars',
        signal: 'metrics',
        rule: 'exemplar.kind',
        level: 'violation',
        name: sample.name,
        message: `${q(sample.name)} (${url}) carries an exemplar, but ${q(family.name)} ${what}: OpenMetrics allows exemplars on counter \`_total\` and histogram \`_bucket\` lines only, and strict parsers refuse the whole exposition; record exemplars on a counter or a histogram (a request-duration histogram, say) and none on ${family.type === 'untyped' || family.type === 'unknown' ? 'it' : `a ${family.type}`}`,
      });
      continue;
    }
    const traceId = exemplar.labels.trace_id;
    if (traceId === undefined || traceId === '') {
      out.add({
        check: 'metrics.exemplars',
        signal: 'metrics',
        rule: 'exemplar.trace.missing',
        level: 'warning',
        name: sample.name,
        message: `${q(sample.name)} (${url}) carries an exemplar without a \`trace_id\` label: an exemplar is there to lead from a metric to a trace; give it the \`trace_id\` and \`span_id\` of the span current when the value was recorded`,
      });
      continue;
    }
    if (spans.length === 0) {
      out.add({
        check: 'metrics.exemplars',
        signal: 'metrics',
        rule: 'exemplar.trace.unchecked',
        level: 'info',
        name: sample.name,
        message: `${q(sample.name)} (${url}) carries exemplars, but no span was received, so their trace ids cannot be matched: export the service's spans to the validator's OTLP receiver (OTEL_EXPORTER_OTLP_ENDPOINT)`,
      });
      continue;
    }
    const before =
      firstSpanSeconds !== undefined &&
      exemplar.timestamp !== undefined &&
      exemplar.timestamp < firstSpanSeconds - 1;
    if (!traceIds.has(traceId) && before) {
      out.add({
        check: 'metrics.exemplars',
        signal: 'metrics',
        rule: 'exemplar.trace.unchecked',
        level: 'info',
        name: sample.name,
        message: `${q(sample.name)} (${url}) carries an exemplar recorded before the first span the validator received, so its trace may have been exported elsewhere: start the service with the validator (after \`--\`) to check every exemplar`,
      });
    } else if (!traceIds.has(traceId)) {
      out.add({
        check: 'metrics.exemplars',
        signal: 'metrics',
        rule: 'exemplar.trace.unknown',
        level: 'violation',
        name: sample.name,
        message: `${q(sample.name)} (${url}) carries an exemplar with the trace_id ${q(traceId)}, but no span of that trace was exported: an exemplar must point at a trace that exists; take it from the span current when the value is recorded, only when that span is sampled (the trace_based exemplar filter), and export that span (OTEL_EXPORTER_OTLP_ENDPOINT)`,
      });
    }
  }
}
