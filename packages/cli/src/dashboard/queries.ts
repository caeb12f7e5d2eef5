// The PromQL of the dashboard and of the rule file, in one place. Every metric name comes from the
// conventions (the functions the middleware and the signal packages name their metrics with, and
// the one Prometheus mapping, toPrometheusName), so the queries follow a rename.
import type { DroppedItems, InstrumentKind } from '@datum-telemetry/conventions';
import {
  activeRequestsMetricName,
  droppedItemsMetricName,
  requestMetricNames,
  toPrometheusLabelName,
  toPrometheusName,
} from '@datum-telemetry/conventions';
import type { DeclaredMetric } from '../types.js';

/** The latency quantiles every view shows. */
export const LATENCY_QUANTILES: readonly number[] = Object.freeze([0.5, 0.95, 0.99]);

/** The Prometheus names of a resource's request metrics. */
export interface RequestSeries {
  /** `compute_vm_requests_total` */
  readonly requests: string;
  /** `compute_vm_request_duration_seconds` (add `_bucket`, `_count`, `_sum`). */
  readonly duration: string;
}

/** The request metrics of the resource `short` of `service`, as Prometheus names them. */
export function requestSeries(service: string, short: string): RequestSeries {
  const names = requestMetricNames(service, short);
  return {
    requests: toPrometheusName(names.requests, 'counter'),
    duration: toPrometheusName(names.duration, 'histogram'),
  };
}

/** `{service}_http_requests_active` */
export function activeRequestsSeries(service: string): string {
  return toPrometheusName(activeRequestsMetricName(service), 'updowncounter');
}

/** `{service}_telemetry_{items}_dropped_total` */
export function droppedSeries(service: string, items: DroppedItems): string {
  return toPrometheusName(droppedItemsMetricName(service, items), 'counter');
}

/** A declared metric's Prometheus name: the definition's, else the conventions' mapping. */
export function metricSeries(metric: DeclaredMetric): string {
  return metric.prometheusName ?? toPrometheusName(metric.name, metric.kind);
}

/** An attribute key as a label name, as the exposition writes it (`http.route` is `http_route`). */
export function labelName(key: string): string {
  return toPrometheusLabelName(key);
}

/** Label matchers that narrow every query: `instance=~"$instance"` on the dashboard, none in rules. */
export interface QueryScope {
  /** Matchers for every series (`instance=~"$instance"`). */
  readonly all: readonly string[];
  /** Matchers for the request series only (`operation=~"$operation"`). */
  readonly requests: readonly string[];
  /** The range of `rate()`: `$__rate_interval` on the dashboard, `5m` in rules. */
  readonly window: string;
}

/** `name{a, b}` (or `name` without matchers). */
export function selector(name: string, matchers: readonly string[]): string {
  return matchers.length === 0 ? name : `${name}{${matchers.join(', ')}}`;
}

/** The 5xx status codes, as a matcher. */
export const SERVER_ERROR = 'http_response_status_code=~"5.."';

/** `by (a, b)`, or nothing when there is no label to keep. */
function by(labels: readonly string[]): string {
  return labels.length === 0 ? '' : ` by (${labels.join(', ')})`;
}

/** Requests per second, by `labels`. */
export function requestRate(
  series: RequestSeries,
  scope: QueryScope,
  labels: readonly string[],
): string {
  return `sum${by(labels)} (rate(${selector(series.requests, [...scope.all, ...scope.requests])}[${scope.window}]))`;
}

/**
 * The share of requests answered with a 5xx status, by `labels`; 0 (not nothing) for labels with
 * requests but no error, so a healthy operation shows a line at zero instead of no line.
 */
export function errorRatio(
  series: RequestSeries,
  scope: QueryScope,
  labels: readonly string[],
): string {
  const matchers = [...scope.all, ...scope.requests];
  const total = `sum${by(labels)} (rate(${selector(series.requests, matchers)}[${scope.window}]))`;
  const errors = `sum${by(labels)} (rate(${selector(series.requests, [...matchers, SERVER_ERROR])}[${scope.window}]))`;
  return `(${errors} or ${total} * 0) / ${total}`;
}

/** The `q` quantile of the request durations in seconds, by `labels`. */
export function latencyQuantile(
  series: RequestSeries,
  scope: QueryScope,
  q: number,
  labels: readonly string[],
): string {
  return histogramQuantile(
    `${series.duration}_bucket`,
    [...scope.all, ...scope.requests],
    scope.window,
    q,
    labels,
  );
}

/** `histogram_quantile(q, sum by (le, ...) (rate(bucket{...}[window])))` */
export function histogramQuantile(
  bucket: string,
  matchers: readonly string[],
  window: string,
  q: number,
  labels: readonly string[],
): string {
  return `histogram_quantile(${q}, sum${by([...labels, 'le'])} (rate(${selector(bucket, matchers)}[${window}])))`;
}

/** The query of a declared metric's panel: a counter's rate, the value of the others. */
export function metricValue(metric: DeclaredMetric, scope: QueryScope): string {
  const labels = (metric.attributes ?? []).map(labelName);
  const name = metricSeries(metric);
  const kind: InstrumentKind = metric.kind;
  if (kind === 'counter') {
    return `sum${by(labels)} (rate(${selector(name, scope.all)}[${scope.window}]))`;
  }
  if (kind === 'histogram') {
    return histogramQuantile(`${name}_bucket`, scope.all, scope.window, 0.95, labels);
  }
  return `sum${by(labels)} (${selector(name, scope.all)})`;
}

/** A Prometheus `le` matcher for a bucket boundary, whichever way the exposition wrote it (`1`, `1.0`). */
export function leMatcher(boundary: number): string {
  const text = String(boundary);
  return Number.isInteger(boundary) ? `le=~"${text}(\\\\.0)?"` : `le="${text}"`;
}
