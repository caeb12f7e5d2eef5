import { checkAttributeKey, checkSpanName } from '@datum-telemetry/conventions';
import type { SinkSpan } from '@datum-telemetry/otlp-sink';
import type { FindingLevel } from '../types.js';
import type { NewFinding } from './collector.js';
import { q } from './collector.js';
import type { CheckInput } from './input.js';

/**
 * Spans from OpenTelemetry's own instrumentation libraries follow the semantic conventions, not
 * `{Operation}{Resource}`: their findings are warnings.
 */
function isLibraryScope(scope: string): boolean {
  return scope.startsWith('@opentelemetry/instrumentation') || scope.startsWith('io.opentelemetry');
}

/** The HTTP status of a span, from the current or the old semantic-convention attribute. */
export function httpStatusOf(span: SinkSpan): number | undefined {
  const raw = span.attributes['http.response.status_code'] ?? span.attributes['http.status_code'];
  const status = typeof raw === 'string' ? Number(raw) : raw;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

function checkExpected(input: CheckInput, spans: readonly SinkSpan[]): void {
  const names = new Set(spans.map((s) => s.name));
  for (const expected of input.expectedSpans) {
    if (names.has(expected)) continue;
    const near = [...names].find((n) => n.toLowerCase() === expected.toLowerCase());
    input.out.add({
      check: 'traces.expected',
      signal: 'traces',
      rule: 'span.expected.missing',
      level: 'violation',
      name: expected,
      message: `no span named ${q(expected)} was received${near === undefined ? '' : ` (there is ${q(near)})`}: run the operation inside its span helper (createSpanHelper({ operation, kind }) of @datum-telemetry/tracing) and make the scenario exercise it`,
    });
  }
}

function checkNames(input: CheckInput, spans: readonly SinkSpan[]): void {
  // Many spans share a name: check each name once, count every span.
  const byKey = new Map<string, NewFinding[]>();
  const { verbs, kinds } = input.definition;
  for (const span of spans) {
    const key = `${span.name}\u0000${span.kind}\u0000${span.scope.name}`;
    const findings = byKey.get(key) ?? checkSpanNameFor(span, verbs, kinds);
    byKey.set(key, findings);
    for (const f of findings) input.out.add(f);
  }
}

function checkSpanNameFor(
  span: SinkSpan,
  verbs: readonly string[],
  kinds: readonly string[],
): NewFinding[] {
  const library = isLibraryScope(span.scope.name);
  const findings = checkSpanName(span.name, {
    allowHttpFormat: span.kind === 'SERVER' || span.kind === 'CLIENT',
    verbs,
    kinds,
  });
  return findings.map((f) => ({
    check: 'traces.names' as const,
    signal: 'traces' as const,
    rule: f.rule,
    level: (library ? 'warning' : f.level) as FindingLevel,
    name: f.name,
    message: f.message,
    ...(f.suggestion === undefined ? {} : { suggestion: f.suggestion }),
  }));
}

function checkStatus(input: CheckInput, spans: readonly SinkSpan[]): void {
  for (const span of spans) {
    if (span.kind !== 'SERVER') continue;
    const status = httpStatusOf(span);
    if (status === undefined) continue;
    if (status >= 400 && status < 500 && span.status.code === 'ERROR') {
      input.out.add({
        check: 'traces.status',
        signal: 'traces',
        rule: 'span.status.4xx-error',
        level: 'violation',
        name: span.name,
        message: `the SERVER span ${q(span.name)} answered ${status} and has status ERROR: a 4xx is the caller's mistake, so leave the span status unset (OpenTelemetry HTTP conventions); set ERROR only for 5xx and thrown errors`,
      });
    } else if (status >= 500 && span.status.code !== 'ERROR') {
      input.out.add({
        check: 'traces.status',
        signal: 'traces',
        rule: 'span.status.5xx-unset',
        level: 'violation',
        name: span.name,
        message: `the SERVER span ${q(span.name)} answered ${status} but its status is ${span.status.code}: a 5xx is a server error, so set the status to ERROR (and record the exception, with error.type)`,
      });
    }
  }
}

function checkAttributes(input: CheckInput, spans: readonly SinkSpan[]): void {
  for (const span of spans) {
    const library = isLibraryScope(span.scope.name);
    for (const key of Object.keys(span.attributes)) {
      for (const f of checkAttributeKey(key)) {
        // Secret keys are judged by their values, in the `secrets` check.
        if (f.rule !== 'attribute.key.format') continue;
        input.out.add({
          check: 'traces.attributes',
          signal: 'traces',
          rule: f.rule,
          level: library ? 'warning' : f.level,
          name: key,
          message: `${f.message} (on the span ${q(span.name)})`,
          ...(f.suggestion === undefined ? {} : { suggestion: f.suggestion }),
        });
      }
    }
  }
}

/** `traces.expected`, `traces.names`, `traces.status` and `traces.attributes`. */
export function checkSpans(input: CheckInput): void {
  const spans = input.collected.spans ?? [];
  checkExpected(input, spans);
  checkNames(input, spans);
  checkStatus(input, spans);
  checkAttributes(input, spans);
}
