import { FindingCollector } from './checks/collector.js';
import { checkDeclaredMetrics } from './checks/declared-metrics.js';
import { checkExemplars } from './checks/exemplars.js';
import type { CheckInput } from './checks/input.js';
import { checkLogs } from './checks/logs.js';
import { aggregateMetrics, resolveServiceName } from './checks/metric-data.js';
import { checkMetricNames } from './checks/metric-names.js';
import { checkMetricSeries } from './checks/metric-series.js';
import { checkPrometheusNames } from './checks/prometheus-names.js';
import { CHECKS, skipReason } from './checks/registry.js';
import { checkExport, checkRun } from './checks/run.js';
import { checkSecrets } from './checks/secrets.js';
import { checkSpans } from './checks/spans.js';
import type {
  CheckResult,
  CollectedTelemetry,
  TelemetryDefinition,
  TelemetryDefinitionInput,
  ValidateOptions,
  ValidationFinding,
  ValidationResult,
} from './types.js';
import { normalizeDefinition } from './validate/definition.js';

/** The default of {@link ValidateOptions.maxSeries}. */
export const DEFAULT_MAX_SERIES = 1000;

function isNormalized(value: unknown): value is TelemetryDefinition {
  const d = value as TelemetryDefinition;
  return (
    Array.isArray(d?.metrics) &&
    Array.isArray(d.spans) &&
    Array.isArray(d.verbs) &&
    Array.isArray(d.kinds)
  );
}

function prepare(
  collected: CollectedTelemetry,
  definition: TelemetryDefinitionInput | TelemetryDefinition | undefined,
  options: ValidateOptions,
): CheckInput {
  const maxSeries = options.maxSeries ?? DEFAULT_MAX_SERIES;
  if (!Number.isInteger(maxSeries) || maxSeries < 1) {
    throw new TypeError(`maxSeries: got ${String(maxSeries)}; expected a positive integer`);
  }
  const resolved =
    definition === undefined
      ? { metrics: [], spans: [], verbs: [], kinds: [] }
      : isNormalized(definition)
        ? definition
        : normalizeDefinition(definition);
  return {
    collected,
    definition: resolved,
    service: resolveServiceName(options.service, resolved.service, collected),
    maxSeries,
    expectedSpans: [...new Set([...resolved.spans, ...(options.expectSpans ?? [])])],
    canaries: [...(options.canaries ?? [])].filter((c) => c.length > 0),
    metrics: aggregateMetrics(collected.metrics ?? []),
    families: (collected.prometheus ?? []).flatMap((scrape) =>
      scrape.families.map((family) => ({ url: scrape.url, family, format: scrape.format })),
    ),
    declaredNames: new Set(resolved.metrics.map((m) => m.name)),
    out: new FindingCollector(),
  };
}

/**
 * Runs every check on what was collected and returns the findings with every check's outcome.
 * The definition is the data form of `defineMetrics` (optionally with `spans` / `operations`);
 * a malformed one throws a `CliError` naming the field.
 */
export function runChecks(
  collected: CollectedTelemetry,
  definition?: TelemetryDefinitionInput | TelemetryDefinition,
  options: ValidateOptions = {},
): ValidationResult {
  const input = prepare(collected, definition, options);
  checkDeclaredMetrics(input);
  checkMetricNames(input);
  checkPrometheusNames(input);
  checkMetricSeries(input);
  checkExemplars(input);
  checkSpans(input);
  checkLogs(input);
  checkSecrets(input);
  checkRun(input);
  checkExport(input);
  const findings = input.out.list(input.canaries);
  const checks = CHECKS.map((check): CheckResult => {
    const own = findings.filter((f) => f.check === check.id);
    const skipped = own.length === 0 ? skipReason(check.id, input) : undefined;
    return {
      ...check,
      status: own.some((f) => f.level === 'violation')
        ? 'failed'
        : skipped === undefined
          ? 'passed'
          : 'skipped',
      ...(skipped === undefined ? {} : { skipped }),
      findings: own,
    };
  });
  return { findings, checks, ...(input.service === undefined ? {} : { service: input.service }) };
}

/**
 * Checks collected telemetry against a definition and the conventions, without a process: what
 * `datum-telemetry validate` does after collecting. Returns the findings, violations first
 * within each signal.
 */
export function validateTelemetry(
  collected: CollectedTelemetry,
  definition?: TelemetryDefinitionInput | TelemetryDefinition,
  options: ValidateOptions = {},
): ValidationFinding[] {
  return [...runChecks(collected, definition, options).findings];
}
