// The Prometheus rule file of a service, from its telemetry definition: recording rules for the
// per-operation request rate, error ratio and latency quantiles of every declared resource, and for
// each SLO the error ratios over the windows of the multi-window, multi-burn-rate alerts of the
// Google SRE workbook ("Alerting on SLOs"), with the alerts themselves.
import type { SloDeclaration } from '@datum-telemetry/config';
import type { QueryScope, RequestSeries } from '../dashboard/queries.js';
import {
  errorRatio,
  LATENCY_QUANTILES,
  latencyQuantile,
  leMatcher,
  requestRate,
  requestSeries,
  SERVER_ERROR,
  selector,
} from '../dashboard/queries.js';
import { CliError } from '../errors.js';
import type { DeclaredResource, TelemetryDefinition } from '../types.js';

// Type aliases, not interfaces: plain data that toYaml() writes as it is.

/** A recording rule. */
export type RecordingRule = {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
};

/** An alerting rule. */
export type AlertingRule = {
  readonly alert: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
};

/** A rule group. */
export type RuleGroup = {
  readonly name: string;
  readonly rules: readonly (RecordingRule | AlertingRule)[];
};

/** A Prometheus rule file (`rule_files`). */
export type RuleFile = {
  readonly groups: readonly RuleGroup[];
};

/** One pair of windows of a burn-rate alert: both error ratios above `factor` times the budget. */
export interface BurnWindow {
  readonly long: string;
  readonly short: string;
  readonly factor: number;
}

/** The two alerts of an objective: page on a fast burn, ticket on a slow one (SRE workbook). */
export const BURN_RATE_ALERTS: readonly {
  readonly severity: 'page' | 'ticket';
  readonly suffix: string;
  readonly windows: readonly BurnWindow[];
}[] = Object.freeze([
  {
    severity: 'page',
    suffix: 'FastBurn',
    windows: [
      { long: '1h', short: '5m', factor: 14.4 },
      { long: '6h', short: '30m', factor: 6 },
    ],
  },
  {
    severity: 'ticket',
    suffix: 'SlowBurn',
    windows: [
      { long: '1d', short: '2h', factor: 3 },
      { long: '3d', short: '6h', factor: 1 },
    ],
  },
]);

/** Every window an objective's error ratio is recorded over. */
export const SLO_WINDOWS: readonly string[] = Object.freeze([
  ...new Set(BURN_RATE_ALERTS.flatMap((a) => a.windows.flatMap((w) => [w.short, w.long]))),
]);

/** The series the objectives' error ratios are recorded as (one per window). */
export function sloErrorRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/**
 * The lowest target (percent, to 0.01) at which every burn-rate alert can fire: an alert needs its
 * error ratio above its lowest factor times the budget, and no ratio is above 1 (every request
 * failing). 83.34 with the page's 6x.
 */
export function lowestAlertableTarget(): number {
  const factor = Math.max(
    ...BURN_RATE_ALERTS.map((a) => Math.min(...a.windows.map((w) => w.factor))),
  );
  return (Math.floor((100 - 100 / factor) * 100) + 1) / 100;
}

/** Throws when some alert of the SLI could never fire: the budget times its lowest factor is 1 or more. */
function checkAlertable(name: string, sli: 'availability' | 'latency', target: number): void {
  const budget = 1 - target / 100;
  for (const { severity, windows } of BURN_RATE_ALERTS) {
    const factor = Math.min(...windows.map((w) => w.factor));
    if (factor * budget < 1) continue;
    const field = sli === 'availability' ? 'availability' : 'latency.target';
    const left = Number((100 - target).toPrecision(12));
    throw new CliError(
      `slo.${name}.${field}: ${target} leaves an error budget of ${left} %, so the ${severity} alert could never fire: it needs an error ratio above ${factor} x ${left} %, and with every request ${sli === 'availability' ? 'failing' : 'too slow'} it is 100 %; the burn-rate alerts need a target of at least ${lowestAlertableTarget()}`,
    );
  }
}

/** The window of the per-operation recording rules. */
const RECORDING_WINDOW = '5m';
const RULES_SCOPE: QueryScope = Object.freeze({ all: [], requests: [], window: RECORDING_WINDOW });

/** One alert of the file, with what its test needs to know. */
export interface SloAlert {
  readonly alert: string;
  readonly severity: 'page' | 'ticket';
  readonly slo: string;
  readonly sli: 'availability' | 'latency';
  /** Percent. */
  readonly target: number;
  /** Seconds, for latency. */
  readonly threshold?: number;
  readonly operation?: string;
  readonly series: RequestSeries;
  /** The burn-rate windows of the alert: it fires when both of a pair burn above factor x budget. */
  readonly windows: readonly BurnWindow[];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The rule file and the alerts in it. */
export interface GeneratedRules {
  readonly file: RuleFile;
  readonly alerts: readonly SloAlert[];
}

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** The words of a camelCase or PascalCase name, as written (`vmCreateLatency`: vm, Create, Latency). */
function words(text: string): string[] {
  return text.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z0-9])/g) ?? [];
}

/** `words` without the leading `prefix` words (compared lower-cased), when some are left. */
function withoutPrefix(text: string, prefix: readonly string[]): string {
  const all = words(text);
  const lower = all.map((w) => w.toLowerCase());
  const starts = prefix.length > 0 && prefix.every((w, i) => lower[i] === w.toLowerCase());
  return starts && all.length > prefix.length
    ? pascal(all.slice(prefix.length).join('-'))
    : pascal(text);
}

/**
 * The alert name of each SLI of the objectives, without its burn suffix: `{Service}{Slo}{Sli}`, each
 * word once: the objective's name without the service's words it starts with, and the SLI's word
 * left out when the objective's name already has it (`vmAvailability`: `ComputeVmAvailability`, not
 * `ComputeVmAvailabilityAvailability`). Two SLIs that would then share a name (objectives `vm` and
 * `vmAvailability`) keep every word.
 */
function sliAlertNames(
  service: string,
  slis: readonly { readonly slo: string; readonly sli: string }[],
): Map<string, string> {
  const key = (slo: string, sli: string) => `${slo}\u0000${sli}`;
  const full = (slo: string, sli: string) => `${pascal(service)}${pascal(slo)}${pascal(sli)}`;
  const short = (slo: string, sli: string) => {
    const name = withoutPrefix(slo, words(pascal(service)));
    const has = words(slo).some((w) => w.toLowerCase() === sli);
    return `${pascal(service)}${name}${has ? '' : pascal(sli)}`;
  };
  const uses = new Map<string, number>();
  for (const { slo, sli } of slis) {
    for (const name of new Set([short(slo, sli), full(slo, sli)])) {
      uses.set(name, (uses.get(name) ?? 0) + 1);
    }
  }
  return new Map(
    slis.map(({ slo, sli }) => {
      const name = short(slo, sli);
      return [key(slo, sli), uses.get(name) === 1 ? name : full(slo, sli)] as const;
    }),
  );
}

/** A ratio such as 0.999 written as PromQL reads it back (no binary rounding noise). */
function fraction(percent: number): string {
  return String(Number((percent / 100).toPrecision(12)));
}

function sliErrorExpr(
  sli: 'availability' | 'latency',
  series: RequestSeries,
  slo: SloDeclaration,
  window: string,
): string {
  const scope = slo.operation === undefined ? [] : [`operation="${slo.operation}"`];
  if (sli === 'availability') {
    const errors = `sum(rate(${selector(series.requests, [...scope, SERVER_ERROR])}[${window}]))`;
    const total = `sum(rate(${selector(series.requests, scope)}[${window}]))`;
    return `(${errors} or vector(0)) / ${total}`;
  }
  const fast = `sum(rate(${selector(`${series.duration}_bucket`, [...scope, leMatcher(slo.latency!.threshold)])}[${window}]))`;
  const total = `sum(rate(${selector(`${series.duration}_count`, scope)}[${window}]))`;
  return `1 - (${fast} / ${total})`;
}

function recordingRules(series: RequestSeries): RecordingRule[] {
  const labels = ['namespace', 'operation'];
  return [
    {
      record: `operation:${series.requests}:rate${RECORDING_WINDOW}`,
      expr: requestRate(series, RULES_SCOPE, labels),
    },
    {
      record: `operation:${series.requests}:error_ratio_rate${RECORDING_WINDOW}`,
      expr: errorRatio(series, RULES_SCOPE, labels),
    },
    ...LATENCY_QUANTILES.map((q) => ({
      record: `operation:${series.duration}:p${q * 100}_rate${RECORDING_WINDOW}`,
      expr: latencyQuantile(series, RULES_SCOPE, q, labels),
    })),
  ];
}

/**
 * Builds the rule file of a service. Throws a `CliError` when the definition names no service or
 * an objective names a resource it does not declare (the definition reader checks this first).
 */
export function buildRules(definition: TelemetryDefinition): GeneratedRules {
  const service = definition.service;
  if (service === undefined) {
    throw new CliError(
      'the definition names no service, so the metric names are unknown; give it a `service`',
    );
  }
  const resources = new Map<string, DeclaredResource>(
    (definition.resources ?? []).map((r) => [r.short, r]),
  );
  const groups: RuleGroup[] = [...resources.values()].map((resource) => ({
    name: `${service}.${resource.short}.requests`,
    rules: recordingRules(requestSeries(service, resource.short)),
  }));
  const alerts: SloAlert[] = [];
  const alertNames = sliAlertNames(
    service,
    Object.entries(definition.slo ?? {}).flatMap(([slo, d]) => [
      ...(d.availability === undefined ? [] : [{ slo, sli: 'availability' }]),
      ...(d.latency === undefined ? [] : [{ slo, sli: 'latency' }]),
    ]),
  );
  for (const [name, slo] of Object.entries(definition.slo ?? {})) {
    const resource = resources.get(slo.resource);
    if (resource === undefined) {
      throw new CliError(`slo.${name}.resource: ${JSON.stringify(slo.resource)} is not declared`);
    }
    const series = requestSeries(service, resource.short);
    const rules: (RecordingRule | AlertingRule)[] = [];
    const slis: ['availability' | 'latency', number][] = [];
    if (slo.availability !== undefined) slis.push(['availability', slo.availability]);
    if (slo.latency !== undefined) slis.push(['latency', slo.latency.target]);
    for (const [sli, target] of slis) checkAlertable(name, sli, target);
    for (const [sli, target] of slis) {
      const labels = { service, slo: name, sli };
      for (const window of SLO_WINDOWS) {
        rules.push({
          record: sloErrorRecord(window),
          expr: sliErrorExpr(sli, series, slo, window),
          labels,
        });
      }
      const matchers = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
      const budget = `(1 - ${fraction(target)})`;
      const subject = `${resource.kind}${slo.operation === undefined ? '' : ` ${slo.operation}`} requests`;
      const objective =
        sli === 'availability'
          ? `${target}% of ${subject} succeed (no 5xx)`
          : `${target}% of ${subject} finish within ${slo.latency!.threshold} s`;
      for (const { severity, suffix, windows } of BURN_RATE_ALERTS) {
        const alert = `${alertNames.get(`${name}\u0000${sli}`)}${suffix}`;
        const expr = windows
          .map(
            (w) =>
              `(${selector(sloErrorRecord(w.long), matchers)} > (${w.factor} * ${budget}) and ${selector(sloErrorRecord(w.short), matchers)} > (${w.factor} * ${budget}))`,
          )
          .join(' or ');
        const burn = windows.map((w) => `${w.factor}x over ${w.long} and ${w.short}`).join(', or ');
        const annotations = {
          summary: `${service} ${name}: the ${sli} error budget burns too fast (${burn}); objective: ${objective}`,
          ...(slo.description === undefined ? {} : { description: slo.description }),
          runbook_url: slo.runbookUrl,
        };
        const alertLabels = { severity, ...labels };
        rules.push({ alert, expr, labels: { severity }, annotations });
        alerts.push({
          alert,
          severity,
          slo: name,
          sli,
          target,
          ...(sli === 'latency' ? { threshold: slo.latency!.threshold } : {}),
          ...(slo.operation === undefined ? {} : { operation: slo.operation }),
          series,
          windows,
          labels: alertLabels,
          annotations,
        });
      }
    }
    groups.push({ name: `${service}.slo.${name}`, rules });
  }
  if (groups.length === 0) {
    throw new CliError(
      'the definition declares no resource and no SLO, so there is no rule to write; add `resources` (and `slo`)',
    );
  }
  return { file: { groups }, alerts };
}
