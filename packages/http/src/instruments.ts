import type {
  Attributes,
  Counter,
  Histogram,
  Meter,
  MeterProvider,
  ObservableResult,
} from '@opentelemetry/api';
import { metrics } from '@opentelemetry/api';
import { SCOPE_NAME, SCOPE_VERSION } from './scope.js';

/** Counter and duration histogram of one resource (or of the HTTP level). */
export interface RequestInstruments {
  readonly requests: Counter;
  readonly duration: Histogram;
}

/**
 * The middleware's instruments, created through the global API the first time they are needed and
 * again whenever the application registers another meter provider (set-up order does not matter).
 */
export class Instruments {
  private provider: MeterProvider | undefined;
  private meter: Meter | undefined;
  private byShort = new Map<string, RequestInstruments>();
  private http: RequestInstruments | undefined;
  private activeObserved = false;
  /**
   * In-flight requests per method, counted here and read by the SDK only when it collects (an
   * observable up-down counter): two plain additions per request instead of two SDK
   * `add()` calls, each of which would hash its attributes. Methods are normalised, so the map
   * holds at most ten keys.
   */
  private readonly active = new Map<string, { count: number; readonly attributes: Attributes }>();
  private readonly observeActive = (result: ObservableResult): void => {
    for (const entry of this.active.values()) result.observe(entry.count, entry.attributes);
  };

  constructor(
    private readonly service: string,
    private readonly buckets: readonly number[],
  ) {}

  private current(): Meter {
    const provider = metrics.getMeterProvider();
    if (provider !== this.provider || this.meter === undefined) {
      this.provider = provider;
      this.meter = provider.getMeter(SCOPE_NAME, SCOPE_VERSION);
      this.byShort.clear();
      this.http = undefined;
      this.activeObserved = false;
    }
    if (!this.activeObserved) {
      this.meter
        .createObservableUpDownCounter(`${this.service}.http.requests.active`, {
          description: 'Requests being served',
          unit: '{request}',
        })
        .addCallback(this.observeActive);
      this.activeObserved = true;
    }
    return this.meter;
  }

  private build(segment: string, description: string): RequestInstruments {
    const meter = this.current();
    return {
      requests: meter.createCounter(`${this.service}.${segment}.requests.total`, {
        description: `Requests ${description}`,
        unit: '{request}',
      }),
      duration: meter.createHistogram(`${this.service}.${segment}.request.duration.seconds`, {
        description: `Duration of requests ${description}`,
        unit: 's',
        advice: { explicitBucketBoundaries: [...this.buckets] },
      }),
    };
  }

  /** Instruments for a declared resource (`{service}.{short}.*`). */
  forResource(short: string): RequestInstruments {
    this.current();
    let set = this.byShort.get(short);
    if (set === undefined) {
      set = this.build(short, `on the ${short} resource`);
      this.byShort.set(short, set);
    }
    return set;
  }

  /** Instruments for requests that are not a declared resource (`{service}.http.*`). */
  forHttp(): RequestInstruments {
    this.current();
    if (this.http === undefined) this.http = this.build('http', 'that are not a declared resource');
    return this.http;
  }

  /** Counts a request in `{service}.http.requests.active` until {@link requestEnded}. */
  requestStarted(method: string): void {
    const entry = this.active.get(method);
    if (entry === undefined) {
      this.active.set(method, {
        count: 1,
        attributes: Object.freeze({ 'http.request.method': method }),
      });
    } else {
      entry.count++;
    }
    // Counted first, so that a failing meter provider cannot unbalance the count.
    this.current();
  }

  /** The request counted by {@link requestStarted} is done. */
  requestEnded(method: string): void {
    const entry = this.active.get(method);
    if (entry !== undefined) entry.count--;
  }
}

export type { Attributes };
