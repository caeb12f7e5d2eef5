import type { SloSection } from '@datum-telemetry/config';
import type { PrometheusExposition } from '@datum-telemetry/conventions/prometheus';
// Type only: the definition format is @datum-telemetry/metrics' own (an optional peer; never loaded).
import type {
  MetricDefinitionJson,
  MetricsDefinitionJson,
  ResourceDefinitionJson,
} from '@datum-telemetry/metrics';
import type { SinkLogRecord, SinkMetric, SinkSpan } from '@datum-telemetry/otlp-sink';

/** How serious a finding is: a `violation` fails the run (exit 1), the others are reported only. */
export type FindingLevel = 'violation' | 'warning' | 'info';

/** Where a finding was seen. `service` is about the run itself (start, scenario, exports). */
export type FindingSignal = 'metrics' | 'traces' | 'logs' | 'service';

/** The ids of the checks `validateTelemetry` runs; see {@link CHECKS}. */
export type CheckId =
  | 'metrics.declared'
  | 'metrics.names'
  | 'metrics.units'
  | 'metrics.attributes'
  | 'metrics.cardinality'
  | 'metrics.exemplars'
  | 'traces.expected'
  | 'traces.names'
  | 'traces.status'
  | 'traces.attributes'
  | 'logs.fields'
  | 'logs.trace-context'
  | 'secrets'
  | 'service.run'
  | 'service.export';

/** One check: what it makes sure of, and the signal its findings are usually about. */
export interface CheckDescription {
  readonly id: CheckId;
  readonly signal: FindingSignal | 'all';
  readonly title: string;
}

/**
 * One problem found. The same problem seen many times (on every span of a route) is one finding
 * whose `count` says how often.
 */
export interface ValidationFinding {
  /** The check that found it. */
  readonly check: CheckId;
  /** Stable rule id, for example `metric.name.counter-suffix`. */
  readonly rule: string;
  readonly level: FindingLevel;
  readonly signal: FindingSignal;
  /** The metric, span, attribute or log message it is about. */
  readonly name: string;
  /** What is wrong and how to fix it; safe to show as it is (secrets are never quoted). */
  readonly message: string;
  /** A corrected name, when one can be derived. */
  readonly suggestion?: string;
  /** How many times it was seen. */
  readonly count: number;
}

/** One check and how it came out: `failed` when it found a violation. */
export interface CheckResult extends CheckDescription {
  readonly status: 'passed' | 'failed' | 'skipped';
  /** Why it was skipped (nothing to check). */
  readonly skipped?: string;
  readonly findings: readonly ValidationFinding[];
}

/** The findings of a run, and every check with its outcome. */
export interface ValidationResult {
  readonly findings: readonly ValidationFinding[];
  readonly checks: readonly CheckResult[];
  /** The service name metric names were held to, when known. */
  readonly service?: string;
}

/**
 * One declared metric: the fields the checks read of a metric in the definition format of
 * `@datum-telemetry/metrics` (`MetricDefinitionJson`, an item of `defineMetrics(...).toJSON()
 * .metrics`); its other fields are ignored. When `unit` is absent the exported unit is not
 * compared; `prometheusName` defaults to `toPrometheusName(name, kind)`.
 */
export type DeclaredMetric = Pick<MetricDefinitionJson, 'name' | 'kind'> &
  Partial<
    Pick<MetricDefinitionJson, 'unit' | 'prometheusName' | 'description' | 'attributes' | 'buckets'>
  >;

/**
 * One declared resource (`ResourceDefinitionJson` of `@datum-telemetry/metrics`): its metric
 * segment and the buckets of its request duration histogram (the middleware's default when absent).
 */
export type DeclaredResource = Pick<ResourceDefinitionJson, 'kind' | 'short'> &
  Partial<Pick<ResourceDefinitionJson, 'group' | 'plural' | 'durationBuckets'>>;

/** One declared operation, turned into the span name `{operation}{kind}`. */
export interface DeclaredOperation {
  readonly operation: string;
  readonly kind: string;
}

/**
 * What a service declares it emits: the data form of `defineMetrics` (`MetricsDefinitionJson` of
 * `@datum-telemetry/metrics`, whose `toJSON()` output is always one), optionally with the span
 * names its operations produce (then `format` may be `"datum-telemetry.definition/v1"`).
 */
export interface TelemetryDefinitionInput {
  readonly format?: MetricsDefinitionJson['format'] | 'datum-telemetry.definition/v1';
  /** The service name: the first segment of its metric names. */
  readonly service?: string;
  readonly metrics?: readonly DeclaredMetric[];
  /** Span names that must be seen (`CreateVirtualMachine`). */
  readonly spans?: readonly string[];
  /** Operations that must produce a span, as names or `{ operation, kind }`. */
  readonly operations?: readonly (string | DeclaredOperation)[];
  /** Verbs accepted in span names beside the default ones (PascalCase). */
  readonly verbs?: readonly string[];
  /** The resource kinds of the service; a span about another kind gets a warning. */
  readonly kinds?: readonly string[];
  /** The resources the middleware serves (rows of the dashboard, subjects of the SLOs). */
  readonly resources?: readonly DeclaredResource[];
  /** Service level objectives, by name (see `SloDeclaration` of `@datum-telemetry/config`). */
  readonly slo?: SloSection;
}

/** A definition after checking and merging: every list present. */
export interface TelemetryDefinition {
  readonly service?: string;
  readonly metrics: readonly DeclaredMetric[];
  readonly spans: readonly string[];
  readonly verbs: readonly string[];
  readonly kinds: readonly string[];
  /** The declared resources; absent when none. */
  readonly resources?: readonly DeclaredResource[];
  /** The checked service level objectives; absent when none. */
  readonly slo?: SloSection;
}

/** A parsed exposition and where it came from. */
export interface PrometheusScrape extends PrometheusExposition {
  readonly url: string;
  /** How the endpoint answered: OpenMetrics (exemplars are checked) or the text format 0.0.4. */
  readonly format?: 'openmetrics' | 'text';
}

/** One line the service wrote on stdout or stderr. */
export interface CapturedLine {
  readonly stream: 'stdout' | 'stderr';
  /** The object on a JSON line (bunyan format and the like); absent for other lines. */
  readonly fields?: Readonly<Record<string, unknown>>;
  /** The line as written (cut at 64 KiB). */
  readonly text: string;
}

/** One scenario request as it was sent, and what came back. */
export interface DrivenRequest {
  /** 1-based position in the scenario. */
  readonly index: number;
  readonly method: string;
  /** The path as written in the scenario (before `${PORT}` substitution). */
  readonly path: string;
  readonly expectStatus?: number;
  /** The answer's status; absent when the request failed. */
  readonly status?: number;
  /** Why the request failed (connection refused, timeout). */
  readonly error?: string;
  /** When it was sent and when the answer was read, in ms since the epoch. */
  readonly startMs: number;
  readonly endMs: number;
}

/** How the service the validator started ended. */
export interface ServiceRun {
  /** The command line, for messages. */
  readonly command: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** It exited before it was asked to stop. */
  readonly exitedEarly: boolean;
  /** It did not exit within the deadline after SIGTERM and was killed. */
  readonly killed: boolean;
}

/** An OTLP export the receiver refused or could not decode. */
export interface ExportProblem {
  /** `/v1/metrics`, ... */
  readonly path: string;
  readonly status: number;
  /** Why: the decode error, or the content type that was refused. */
  readonly reason: string;
}

/** Everything collected from a run. Every field is optional: pass what you have. */
export interface CollectedTelemetry {
  readonly spans?: readonly SinkSpan[];
  readonly metrics?: readonly SinkMetric[];
  readonly logs?: readonly SinkLogRecord[];
  /** The service's stdout and stderr, line by line. */
  readonly lines?: readonly CapturedLine[];
  readonly prometheus?: readonly PrometheusScrape[];
  readonly requests?: readonly DrivenRequest[];
  readonly service?: ServiceRun;
  readonly exportProblems?: readonly ExportProblem[];
}

/** Options of {@link validateTelemetry}. */
export interface ValidateOptions {
  /**
   * The service name metric names must start with. The default value is the definition's service,
   * then the most common `service.name` resource attribute (made a metric segment).
   */
  readonly service?: string;
  /** Series (attribute sets) one metric may have. The default value is 1000. */
  readonly maxSeries?: number;
  /** Span names that must be seen, beside the definition's. The default value is none. */
  readonly expectSpans?: readonly string[];
  /**
   * Secret values the scenario sent that must appear in no signal and no output line. The default
   * value is none.
   */
  readonly canaries?: readonly string[];
}

/** Which level fails the run: `violation` (the default) or also `warning`. */
export type FailOn = 'violation' | 'warning';

/** How much of each signal was received, for the report's first line. */
export interface ReceivedCounts {
  readonly spans: number;
  /** Distinct OTLP metric names. */
  readonly metrics: number;
  readonly logRecords: number;
  /** JSON lines on the service's stdout/stderr. */
  readonly logLines: number;
  readonly prometheusFamilies: number;
  readonly requests: number;
}

/** Everything a report shows. */
export interface ReportData {
  readonly result: ValidationResult;
  readonly received: ReceivedCounts;
  readonly failOn: FailOn;
}

/** Options of the readable report. */
export interface TextReportOptions {
  /**
   * ANSI colours. The default value is `false`; the command turns them on only when stdout is a
   * terminal and NO_COLOR is unset.
   */
  readonly colour?: boolean;
}

/** One scenario request. */
export interface ScenarioRequest {
  /** The default value is `GET`. */
  readonly method?: string;
  /** Appended to `baseUrl`; `${PORT}` is substituted. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as it is; anything else as JSON (with `content-type: application/json`). */
  readonly body?: unknown;
  /** The status the answer must have; another one is a `scenario.status` violation. */
  readonly expectStatus?: number;
}

/** The scenario file: requests to drive through the service. */
export interface Scenario {
  /** The default value is `http://127.0.0.1:${PORT}`. */
  readonly baseUrl?: string;
  /** A path (or URL) polled until it answers 2xx before the requests run. */
  readonly readyPath?: string;
  /** Secret values sent in the requests that must never show up in telemetry. */
  readonly canaries?: readonly string[];
  /** Per-request timeout in milliseconds. The default value is 10000. */
  readonly timeoutMs?: number;
  readonly requests: readonly ScenarioRequest[];
}

/** Where the command-line functions write, and what they read. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative paths are resolved from here. */
  readonly cwd: string;
}

/** The web frameworks `scaffold` writes the middleware hook-up for. */
export type ScaffoldFramework = 'express' | 'koa';

/** Options of {@link scaffoldTelemetry}. */
export interface ScaffoldOptions {
  /** The service name, the first metric segment (`compute`). */
  readonly service: string;
  /** The resource kind, PascalCase (`VirtualMachine`). */
  readonly resource: string;
  /** The resource's metric segment (`vm`). */
  readonly short: string;
  readonly framework: ScaffoldFramework;
  /** The API group. The default value is `{service}.datumapis.com`. */
  readonly group?: string;
  /** The resource's plural. The default value is the lower-cased kind plus `s`. */
  readonly plural?: string;
}

/** One file `scaffold` writes. */
export interface ScaffoldFile {
  /** Relative to the target directory, `/`-separated. */
  readonly path: string;
  readonly content: string;
  /**
   * A project file given as a starting point (package.json, tsconfig.json, the server, the
   * scenario): written only when absent, never changed once there. The default value is `false`:
   * the telemetry modules, which scaffold updates while they are as it wrote them.
   */
  readonly starter?: boolean;
}
