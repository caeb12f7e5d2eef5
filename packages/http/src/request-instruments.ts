import type {
  RequestAttributeKeys,
  RequestMetricsRecorder,
  RequestMetricsSpec,
} from '@datum-telemetry/config/request-cells';
import { requestCellStoreOf } from '@datum-telemetry/config/request-cells';
import type {
  Attributes,
  Counter,
  Histogram,
  Meter,
  MeterProvider,
  SpanContext,
} from '@opentelemetry/api';
import { diag } from '@opentelemetry/api';

/** The attribute keys of the request metrics, in the order every series is built with. */
export const REQUEST_ATTRIBUTE_KEYS: RequestAttributeKeys = Object.freeze({
  method: 'http.request.method',
  route: 'http.route',
  status: 'http.response.status_code',
  operation: 'operation',
});

/** The request counter and duration histogram of one resource (or of the HTTP level). */
export interface RequestInstruments {
  /**
   * True when `record` may keep an exemplar: pass the request's span context. Otherwise do not
   * read it (the exemplar filter is `always_off`, or SDK instruments keep none).
   */
  readonly exemplars?: boolean;
  record(
    route: string,
    method: string,
    status: number | undefined,
    operation: string | undefined,
    seconds: number,
    spanContext?: SpanContext,
  ): void;
}

/**
 * SDK instruments (for those the provider's cells did not take): each call builds an attributes
 * object, which the SDK hashes.
 */
class SdkRequestInstruments implements RequestInstruments {
  readonly exemplars: boolean;

  constructor(
    private readonly counter: Counter | undefined,
    private readonly histogram: Histogram | undefined,
    private readonly cells: RequestMetricsRecorder | undefined,
  ) {
    this.exemplars = cells?.exemplars === true;
  }

  record(
    route: string,
    method: string,
    status: number | undefined,
    operation: string | undefined,
    seconds: number,
    spanContext?: SpanContext,
  ): void {
    this.cells?.record(route, method, status, operation, seconds, spanContext);
    const keys = REQUEST_ATTRIBUTE_KEYS;
    const a: Attributes = { [keys.method]: method, [keys.route]: route };
    if (status !== undefined) a[keys.status] = status;
    if (operation !== undefined) a[keys.operation] = operation;
    this.counter?.add(1, a);
    this.histogram?.record(seconds, a);
  }
}

/**
 * The instruments of `spec`: the cells of the provider when it offers them
 * (`@datum-telemetry/config/request-cells`: no attributes object and no hashing per request),
 * else, or for an instrument they leave to the SDK (a View changes it), SDK instruments of `meter`.
 */
export function requestInstruments(
  provider: MeterProvider | undefined,
  meter: Meter,
  spec: RequestMetricsSpec,
): RequestInstruments {
  let cells: RequestMetricsRecorder | undefined;
  const store = requestCellStoreOf(provider);
  if (store !== undefined) {
    try {
      cells = store.requestMetrics(spec);
    } catch (error) {
      diag.error(
        "@datum-telemetry/http: the meter provider's request cells threw; the request metrics go through SDK instruments",
        error,
      );
    }
  }
  if (cells?.counter === true && cells.histogram === true) return cells;
  const counter =
    cells?.counter === true
      ? undefined
      : meter.createCounter(spec.counter.name, {
          description: spec.counter.description,
          unit: spec.counter.unit,
        });
  const histogram =
    cells?.histogram === true
      ? undefined
      : meter.createHistogram(spec.histogram.name, {
          description: spec.histogram.description,
          unit: spec.histogram.unit,
          advice: { explicitBucketBoundaries: [...spec.histogram.boundaries] },
        });
  return new SdkRequestInstruments(counter, histogram, cells);
}
