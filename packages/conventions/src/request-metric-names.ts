// The names of the request metrics the HTTP middleware records, in one place: the middleware
// creates its instruments with them, and the dashboards and alerts that query them are built from
// the same functions, so a rename cannot leave a panel or an alert looking at nothing.

/** The two metrics recorded per request to a resource (or to no declared resource: `http`). */
export interface RequestMetricNames {
  /** `{service}.{segment}.requests.total`, a counter of requests. */
  readonly requests: string;
  /** `{service}.{segment}.request.duration.seconds`, a histogram of request durations. */
  readonly duration: string;
}

/**
 * The request metrics of a resource (`segment` is its `short`, such as `vm`) or, with `http`, of
 * the requests that match no declared resource: `compute.vm.requests.total` and
 * `compute.vm.request.duration.seconds`.
 */
export function requestMetricNames(service: string, segment: string): RequestMetricNames {
  return {
    requests: `${service}.${segment}.requests.total`,
    duration: `${service}.${segment}.request.duration.seconds`,
  };
}

/** The up-down counter of requests being served, by method: `{service}.http.requests.active`. */
export function activeRequestsMetricName(service: string): string {
  return `${service}.http.requests.active`;
}

/**
 * The bucket boundaries of the request duration histograms unless the middleware is given others:
 * 5 ms to 10 s, the Prometheus client default, which suits request latencies.
 */
export const DEFAULT_REQUEST_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);
