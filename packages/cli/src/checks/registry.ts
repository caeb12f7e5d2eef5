import type { CheckDescription, CheckId } from '../types.js';
import type { CheckInput } from './input.js';

/** Every check `validateTelemetry` runs, in report order. One JUnit testcase each. */
export const CHECKS: readonly CheckDescription[] = Object.freeze([
  {
    id: 'metrics.declared',
    signal: 'metrics',
    title: 'every declared metric is exported with its kind, unit and Prometheus name',
  },
  {
    id: 'metrics.names',
    signal: 'metrics',
    title: 'metric names follow {service}.{resource}.{measurement}[.{unit}]',
  },
  {
    id: 'metrics.units',
    signal: 'metrics',
    title: 'units agree with metric names and are base units',
  },
  {
    id: 'metrics.attributes',
    signal: 'metrics',
    title: 'metric attribute keys are lower-case dot-separated words',
  },
  { id: 'metrics.cardinality', signal: 'metrics', title: 'no metric exceeds the series budget' },
  {
    id: 'metrics.exemplars',
    signal: 'metrics',
    title:
      'exemplars sit on counter _total and histogram _bucket lines and point at exported traces',
  },
  { id: 'traces.expected', signal: 'traces', title: 'every declared operation produced a span' },
  {
    id: 'traces.names',
    signal: 'traces',
    title: 'span names are {Operation}{Resource} (HTTP: {METHOD} {route})',
  },
  {
    id: 'traces.status',
    signal: 'traces',
    title: '4xx server spans are not errors, 5xx server spans are',
  },
  {
    id: 'traces.attributes',
    signal: 'traces',
    title: 'span attribute keys are lower-case dot-separated words',
  },
  {
    id: 'logs.fields',
    signal: 'logs',
    title: 'log lines are JSON and use the standard field names',
  },
  {
    id: 'logs.trace-context',
    signal: 'logs',
    title: 'logs written inside requests carry trace ids',
  },
  {
    id: 'secrets',
    signal: 'all',
    title: 'no secret header, secret field, query value, credential or canary in any signal',
  },
  {
    id: 'service.run',
    signal: 'service',
    title: 'the scenario gets its statuses, and the service stops cleanly',
  },
  {
    id: 'service.export',
    signal: 'service',
    title: 'telemetry is received, and every export is readable',
  },
] satisfies CheckDescription[]);

/** Why a check had nothing to look at, or `undefined` when it ran on something. */
export function skipReason(id: CheckId, input: CheckInput): string | undefined {
  const { collected } = input;
  const metrics = input.metrics.length > 0 || input.families.length > 0;
  const spans = (collected.spans?.length ?? 0) > 0;
  const logs = (collected.logs?.length ?? 0) > 0 || (collected.lines?.length ?? 0) > 0;
  switch (id) {
    case 'metrics.declared':
      return input.definition.metrics.length > 0
        ? undefined
        : 'no metric is declared (--definition)';
    case 'metrics.names':
    case 'metrics.units':
      return metrics || input.definition.metrics.length > 0 ? undefined : 'no metric was received';
    case 'metrics.attributes':
    case 'metrics.cardinality':
      return metrics ? undefined : 'no metric was received';
    case 'metrics.exemplars':
      return input.families.some(({ family }) =>
        family.samples.some((s) => s.exemplar !== undefined),
      )
        ? undefined
        : 'no exemplar was scraped (no --prometheus endpoint served one)';
    case 'traces.expected':
      return input.expectedSpans.length > 0
        ? undefined
        : 'no span is declared (--expect-span or the definition)';
    case 'traces.names':
    case 'traces.status':
    case 'traces.attributes':
      return spans ? undefined : 'no span was received';
    case 'logs.fields':
    case 'logs.trace-context':
      return logs ? undefined : 'no log record or output line was received';
    case 'service.run':
      return collected.service !== undefined || (collected.requests?.length ?? 0) > 0
        ? undefined
        : 'no service was started and no scenario was driven';
    default:
      return undefined;
  }
}
