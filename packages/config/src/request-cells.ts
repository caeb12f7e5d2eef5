// The handoff of the HTTP middleware's request metrics to a metrics set-up, without either package
// depending on the other. A MeterProvider that can aggregate the request counter and duration
// histogram itself carries a `RequestCellStore` under the well-known symbol `REQUEST_CELLS`; the
// middleware, finding one on the global provider, records each request there (a few Map lookups
// keyed by the strings it already has) instead of through SDK instruments, whose every call hashes
// an attributes object. Without a store (a user's own MeterProvider) the middleware uses the SDK
// instruments. Types and a reader only: no dependency, no state.

import type { SpanContext } from '@opentelemetry/api';

/**
 * The property key under which a MeterProvider offers its {@link RequestCellStore}. `Symbol.for`,
 * so that two copies of a package in one process meet at the same key; the version in its name
 * changes when the shape of the protocol does.
 */
export const REQUEST_CELLS: unique symbol = Symbol.for('@datum-telemetry/request-cells.v1');

/** Name, description and unit of one instrument, as given to `meter.createCounter()`. */
export interface RequestInstrumentDescription {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
}

/** The attribute keys of a request's series, in the order the attributes are built. */
export interface RequestAttributeKeys {
  /** `http.request.method` */
  readonly method: string;
  /** `http.route` */
  readonly route: string;
  /** `http.response.status_code`; absent from a series recorded without a status. */
  readonly status: string;
  /** `operation`; absent from a series recorded without an operation. */
  readonly operation: string;
}

/** A request counter and duration histogram, as the middleware would create them on a meter. */
export interface RequestMetricsSpec {
  /** The instrumentation scope: the middleware's package name and version. */
  readonly scope: { readonly name: string; readonly version: string };
  readonly keys: RequestAttributeKeys;
  /** A counter that adds 1 per request. */
  readonly counter: RequestInstrumentDescription;
  /**
   * A histogram of the request's duration; `boundaries` is the advice the middleware would give the
   * SDK (`advice.explicitBucketBoundaries`).
   */
  readonly histogram: RequestInstrumentDescription & { readonly boundaries: readonly number[] };
}

/** Where one spec's requests are recorded. */
export interface RequestMetricsRecorder {
  /** True when the store aggregates the counter; false: record it through an SDK counter. */
  readonly counter: boolean;
  /** True when the store aggregates the histogram; false: record it through an SDK histogram. */
  readonly histogram: boolean;
  /**
   * True when `record` may keep an exemplar of the request: pass it the span context of the
   * request's span. False or absent (the exemplar filter is `always_off`, or a store that predates
   * exemplars): pass none, and do not read it.
   */
  readonly exemplars?: boolean;
  /**
   * Records one request into the instruments the store took. Never throws for any input the
   * middleware gives (strings, a status from 100 to 999 or `undefined`, a finite duration, any
   * span context or none). `spanContext` is the request's span (the active span of the request's
   * context): under the exemplar filter, a measurement made in a sampled span may become an
   * exemplar that carries its trace and span ids.
   */
  record(
    route: string,
    method: string,
    status: number | undefined,
    operation: string | undefined,
    seconds: number,
    spanContext?: SpanContext,
  ): void;
}

/** What a MeterProvider carries under {@link REQUEST_CELLS}. */
export interface RequestCellStore {
  /**
   * The recorder of a spec, or `undefined` when the SDK instruments must be used for both (the
   * provider is shut down). The same instrument names (and scope) give the same recorder, as the SDK
   * gives one stream per instrument name.
   */
  requestMetrics(spec: RequestMetricsSpec): RequestMetricsRecorder | undefined;
}

/** The store `provider` carries, or `undefined`. Never throws (a Proxy provider may). */
export function requestCellStoreOf(provider: unknown): RequestCellStore | undefined {
  if ((typeof provider !== 'object' && typeof provider !== 'function') || provider === null) {
    return undefined;
  }
  try {
    const store = (provider as { readonly [REQUEST_CELLS]?: unknown })[REQUEST_CELLS];
    return typeof store === 'object' &&
      store !== null &&
      typeof (store as RequestCellStore).requestMetrics === 'function'
      ? (store as RequestCellStore)
      : undefined;
  } catch {
    return undefined;
  }
}
