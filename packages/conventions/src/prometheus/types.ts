/** Prometheus metric types, as in a `# TYPE` line; `untyped` when there was none. */
export type PrometheusType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'summary'
  | 'untyped'
  | 'unknown'
  | 'info'
  | 'stateset'
  | 'gaugehistogram';

/** The exemplar after `#` on an OpenMetrics sample line: `# {trace_id="…",span_id="…"} 0.07 1700000000.5`. */
export interface PrometheusExemplar {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  /** Seconds since the epoch (OpenMetrics writes exemplar times in seconds), when written. */
  readonly timestamp?: number;
}

/** One sample line of an exposition. */
export interface PrometheusSample {
  /** The series name (`compute_vm_request_duration_seconds_bucket`). */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs?: number;
  /** The exemplar written after `#` on the line (OpenMetrics), when there is one. */
  readonly exemplar?: PrometheusExemplar;
}

/** One metric family: its `# TYPE`, `# HELP`, `# UNIT` lines and samples. */
export interface PrometheusFamily {
  readonly name: string;
  readonly type: PrometheusType;
  readonly help?: string;
  readonly unit?: string;
  readonly samples: readonly PrometheusSample[];
}

/** A line the parser could not read, or (in strict mode) a rule of the text format it breaks. */
export interface PrometheusParseError {
  /** 1-based line number. */
  readonly line: number;
  readonly reason: string;
}

/** A parsed text exposition (Prometheus 0.0.4 or OpenMetrics text). */
export interface PrometheusExposition {
  readonly families: readonly PrometheusFamily[];
  readonly errors: readonly PrometheusParseError[];
}

/** Options of `parsePrometheusText`. */
export interface PrometheusParseOptions {
  /**
   * Also report what the text format 0.0.4 forbids, or what Prometheus client libraries never
   * write, although Prometheus's scraper reads past it: no final newline, a sample or HELP line
   * without a TYPE line, a family whose lines are not together, a second HELP line, an
   * OpenMetrics-only type, escapes other than `\\`, `\"` and `\n`, and a histogram whose buckets
   * lack `le` or `+Inf`, are not in ascending order, go down, or whose `+Inf` bucket is not its
   * `_count`. For checking what a program writes, as the serializer tests of
   * `@datum-telemetry/metrics` do. The default value is `false`: only what makes Prometheus fail
   * the scrape is an error. With `openMetrics`, the OpenMetrics types and suffixes are allowed.
   */
  readonly strict?: boolean;
  /**
   * The text is OpenMetrics 1.0 (the endpoint answered `application/openmetrics-text`): also list
   * what that format forbids and the 0.0.4 format does not: no `# EOF` as the last line, text after
   * it, a blank line, and an exemplar whose label names and values are over 128 characters. The
   * default value is `false`. Exemplars are read in either format; a malformed one is always an
   * error (Prometheus fails the scrape on it).
   */
  readonly openMetrics?: boolean;
}
