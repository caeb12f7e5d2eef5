import { activeRequestsMetricName, requestMetricNames } from '@datum-telemetry/conventions';
import type { Attributes, Meter, MeterProvider, ObservableResult } from '@opentelemetry/api';
import { metrics } from '@opentelemetry/api';
import type { RequestInstruments } from './request-instruments.js';
import { REQUEST_ATTRIBUTE_KEYS, requestInstruments } from './request-instruments.js';
import { SCOPE_NAME, SCOPE_VERSION } from './scope.js';

/** In-flight requests of one method. */
interface ActiveCount {
  count: number;
  readonly attributes: Attributes;
}

/**
 * What every middleware of the process shares: several apps with the same service, or this
 * package loaded twice. The SDK keeps one stream per instrument name and meter, so the counts
 * behind an observable instrument must be kept once too: two callbacks observing their own counts
 * under the same name would each overwrite the other's.
 */
interface SharedState {
  /** In-flight requests per service, then per method. */
  readonly active: Map<string, Map<string, ActiveCount>>;
  /** Per meter provider: the services whose in-flight counter is registered. */
  readonly providers: WeakMap<MeterProvider, Set<string>>;
}

const SHARED = Symbol.for('@datum-telemetry/http.instruments.v1');

function sharedState(): SharedState {
  const holder = globalThis as { [SHARED]?: SharedState };
  holder[SHARED] ??= { active: new Map(), providers: new WeakMap() };
  return holder[SHARED];
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
  /**
   * In-flight requests per method, counted here and read by the SDK only when it collects (an
   * observable up-down counter): two plain additions per request instead of two SDK
   * `add()` calls, each of which would hash its attributes. Methods are normalised, so the map
   * holds at most ten keys.
   */
  private readonly active: Map<string, ActiveCount>;

  constructor(
    private readonly service: string,
    private readonly buckets: readonly number[],
  ) {
    const shared = sharedState();
    let active = shared.active.get(service);
    if (active === undefined) {
      active = new Map();
      shared.active.set(service, active);
    }
    this.active = active;
  }

  private current(): Meter {
    const provider = metrics.getMeterProvider();
    if (provider !== this.provider || this.meter === undefined) {
      this.meter = provider.getMeter(SCOPE_NAME, SCOPE_VERSION);
      this.provider = provider;
      this.byShort.clear();
      this.http = undefined;
      const providers = sharedState().providers;
      let observed = providers.get(provider);
      if (observed === undefined) {
        observed = new Set();
        providers.set(provider, observed);
      }
      if (!observed.has(this.service)) {
        const active = this.active;
        this.meter
          .createObservableUpDownCounter(activeRequestsMetricName(this.service), {
            description: 'Requests being served',
            unit: '{request}',
          })
          .addCallback((result: ObservableResult) => {
            for (const entry of active.values()) result.observe(entry.count, entry.attributes);
          });
        observed.add(this.service);
      }
    }
    return this.meter;
  }

  private build(segment: string, description: string): RequestInstruments {
    const meter = this.current();
    const names = requestMetricNames(this.service, segment);
    return requestInstruments(this.provider, meter, {
      scope: { name: SCOPE_NAME, version: SCOPE_VERSION },
      keys: REQUEST_ATTRIBUTE_KEYS,
      counter: {
        name: names.requests,
        description: `Requests ${description}`,
        unit: '{request}',
      },
      histogram: {
        name: names.duration,
        description: `Duration of requests ${description}`,
        unit: 's',
        boundaries: this.buckets,
      },
    });
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
