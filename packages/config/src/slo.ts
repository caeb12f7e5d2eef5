// The `slo` section of a service's telemetry definition: one schema and one set of checks, used by
// `defineMetrics` (when the definition is written in code) and by `datum-telemetry alerts` (when it
// is read from a JSON file), so that both refuse the same objectives with the same words.
import { ConfigError } from './errors.js';
import type { OptionsSchema } from './validate.js';
import { rules } from './validate.js';

/** A latency objective: `target` percent of requests finish within `threshold` seconds. */
export interface SloLatencyObjective {
  /**
   * Seconds; one of the bucket boundaries of the resource's request duration histogram (a request
   * is "fast enough" when it falls in the bucket `le` this value).
   */
  readonly threshold: number;
  /** Percent of requests, greater than 0 and less than 100 (`99` is 99 %). */
  readonly target: number;
}

/**
 * One service level objective on the requests to a declared resource, or to one of its operations.
 * At least one of `availability` and `latency` is given.
 */
export interface SloDeclaration {
  /** The resource's metric segment (`vm`): its `short` in the definition's `resources`. */
  readonly resource: string;
  /** One operation (`Create`); the default value is every operation of the resource. */
  readonly operation?: string;
  /**
   * Percent of requests that do not fail with a 5xx status, greater than 0 and less than 100
   * (`99.9`).
   */
  readonly availability?: number;
  /** See {@link SloLatencyObjective}. */
  readonly latency?: SloLatencyObjective;
  /** Where the on-call person reads what to do: the alerts' `runbook_url` annotation. */
  readonly runbookUrl: string;
  /** One line on what the objective protects, for the alerts' summary. The default is none. */
  readonly description?: string;
}

/** The `slo` section: objectives by name (`vmAvailability`). */
export type SloSection = Readonly<Record<string, SloDeclaration>>;

/** What the checks of {@link checkSloSection} compare the objectives with. */
export interface SloContext {
  /**
   * The declared resources by metric segment, each with the bucket boundaries of its request
   * duration histogram. When left out, only the section's shape and targets are checked, not the
   * resources and thresholds: for one part of a definition merged from several (check the merged
   * one with them).
   */
  readonly resources?: ReadonlyMap<string, readonly number[]>;
}

const percent = rules.custom(
  'a percentage greater than 0 and less than 100',
  (value) => typeof value === 'number' && Number.isFinite(value) && value > 0 && value < 100,
);

const latencyRules: OptionsSchema<SloLatencyObjective> = {
  threshold: rules.required(
    rules.custom(
      'a positive number of seconds',
      (value) => typeof value === 'number' && Number.isFinite(value) && value > 0,
    ),
  ),
  target: rules.required(percent),
};

/** The rules of one objective, for the schemas of the definition formats. */
export const sloOptionRules: OptionsSchema<SloDeclaration> = Object.freeze({
  resource: rules.required(rules.nonEmptyString),
  operation: rules.custom('a PascalCase operation such as "Create"', (value) =>
    typeof value === 'string' ? /^[A-Z][A-Za-z0-9]*$/.test(value) : false,
  ),
  availability: percent,
  latency: rules.object(latencyRules, '{ threshold, target }'),
  runbookUrl: rules.required(
    rules.custom('an http(s) URL', (value) => {
      if (typeof value !== 'string' || !/^https?:\/\//.test(value)) return false;
      return URL.canParse(value);
    }),
  ),
  description: rules.string,
});

const SLO_NAME = /^[a-z][A-Za-z0-9]*$/;

/**
 * Checks the `slo` section of a definition: its shape (unknown keys get a did-you-mean), each
 * objective's targets and, given `context.resources`, that its resource is declared and that a latency
 * threshold is one of the resource's duration buckets. Returns the section; throws a {@link ConfigError} naming the first
 * bad field (`slo.vmLatency.latency.threshold`) and what it accepts.
 */
export function checkSloSection(value: unknown, context: SloContext, path = 'slo'): SloSection {
  rules
    .record(
      rules.object(sloOptionRules, '{ resource, availability?, latency?, runbookUrl }'),
      'an object of objectives such as { vmAvailability: { resource, availability, runbookUrl } }',
    )
    .check(value, path);
  const section = value as SloSection;
  for (const [name, slo] of Object.entries(section)) {
    // An objective left undefined (a spread of an optional one) is no objective.
    if (slo === undefined) continue;
    const at = `${path}.${name}`;
    if (!SLO_NAME.test(name)) {
      throw new ConfigError(
        at,
        'an objective name is camelCase (a lower-case letter, then letters and digits), such as vmAvailability',
      );
    }
    if (slo.availability === undefined && slo.latency === undefined) {
      throw new ConfigError(at, 'has neither availability nor latency; give at least one');
    }
    if (context.resources === undefined) continue;
    const buckets = context.resources.get(slo.resource);
    if (buckets === undefined) {
      const declared = [...context.resources.keys()];
      throw new ConfigError(
        `${at}.resource`,
        `${JSON.stringify(slo.resource)} is not a declared resource, so the definition declares none of its request metrics; ${
          declared.length === 0
            ? 'the definition declares no resource (add `resources`)'
            : `declared: ${declared.join(', ')}`
        }`,
      );
    }
    if (slo.latency !== undefined && !buckets.includes(slo.latency.threshold)) {
      throw new ConfigError(
        `${at}.latency.threshold`,
        `${slo.latency.threshold} s is not a bucket boundary of the ${slo.resource} request duration histogram, so no series counts the requests below it; use one of ${buckets.join(', ')}`,
      );
    }
  }
  return section;
}
