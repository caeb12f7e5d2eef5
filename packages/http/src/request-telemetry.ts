import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { context, diag, INVALID_SPAN_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { writeAccessLog } from './access-log.js';
import { normalizeMethod } from './attributes.js';
import type { Identity } from './identity.js';
import { addIdentityFields, identityOf, overriddenIdentity } from './identity.js';
import { incomingContext } from './incoming-context.js';
import type { Instruments } from './instruments.js';
import type { ResolvedOptions } from './options.js';
import { reportFailure } from './report-failure.js';
import { requestLogger } from './request-logger.js';
import { recordRequestMetrics } from './request-metrics.js';
import { incomingContextPolicy } from './request-policy.js';
import { endServerSpan, startAttributes, startSpanName } from './server-span.js';
import type {
  RequestEnd,
  RequestInfo,
  RequestLogger,
  RequestTelemetry,
  ResourceOverride,
} from './types.js';

/** The span of a request with no span and no caller: non-recording and stateless, so shared. */
const NO_SPAN: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * The `RequestTelemetry` of one request, from `start` to `end()`. Internal: applications and
 * adapters see the `RequestTelemetry` interface; its state is public here only for the modules that
 * do each part of the work (server-span, request-metrics, request-logger, access-log).
 */
export class ActiveRequest implements RequestTelemetry {
  readonly span: Span;
  readonly context: Context;
  readonly request: RequestInfo;
  /** The normalized method (`_OTHER` for non-standard ones). */
  readonly method: string;
  /** Set by `recordError()`: the first error the handlers raised. */
  error: unknown;
  hasError = false;
  private explicitRoute: string | undefined;
  private ended = false;
  private readonly startedAt = performance.now();
  private logCache: RequestLogger | undefined;
  /** The registry's match, found on first read: a request with no span may never need it. */
  private matched = false;
  private identityValue: Identity | undefined;

  constructor(
    request: RequestInfo,
    readonly options: ResolvedOptions,
    tracer: Tracer,
    private readonly instruments: Instruments | undefined,
    native?: unknown,
  ) {
    this.request = request;
    this.method = normalizeMethod(request.method);

    const { parent, links } = incomingContext(
      request.headers,
      incomingContextPolicy(options.policy, request),
    );
    if (options.traces) {
      this.span = tracer.startSpan(
        startSpanName(this.identity, this.method),
        {
          kind: SpanKind.SERVER,
          links,
          attributes: startAttributes(request, this.method, this.identity, options),
        },
        parent,
      );
      const hook = options.requestHook;
      if (hook !== undefined) {
        try {
          hook(this.span, request, native);
        } catch (error) {
          reportFailure('requestHook', error);
        }
      }
    } else {
      const caller = trace.getSpanContext(parent);
      this.span = caller === undefined ? NO_SPAN : trace.wrapSpanContext(caller);
    }
    this.context = options.traces ? trace.setSpan(parent, this.span) : parent;
    if (instruments !== undefined) {
      try {
        instruments.requestStarted(this.method);
      } catch (error) {
        reportFailure('in-flight counter', error);
      }
    }
  }

  /** The resource the request is about: matched against the registry on first read. */
  get identity(): Identity | undefined {
    if (!this.matched) {
      this.matched = true;
      const request = this.request;
      try {
        const match = this.options.registry?.match(request.method, request.path, request.query);
        this.identityValue = match === undefined ? undefined : identityOf(match);
      } catch (error) {
        reportFailure('resource matching', error);
      }
    }
    return this.identityValue;
  }

  set identity(value: Identity | undefined) {
    this.matched = true;
    this.identityValue = value;
  }

  /**
   * False when ending the request records nothing (no recording span, no metrics, no access log):
   * `startNode` then does not wait for the response.
   */
  get recordsEnd(): boolean {
    return (
      this.span.isRecording() || this.instruments !== undefined || this.options.accessLog !== false
    );
  }

  get wantsResponseHeaders(): boolean {
    return this.options.responseHeaders.length > 0;
  }

  get resource(): RequestTelemetry['resource'] {
    return this.identity;
  }

  setRoute(route: string): void {
    if (typeof route !== 'string' || route.length === 0 || route.length > 512) {
      diag.warn('@datum-telemetry/http: setRoute() wants a non-empty route template; ignored');
      return;
    }
    this.explicitRoute = route;
  }

  setResource(resource: ResourceOverride): void {
    if (
      resource === null ||
      typeof resource !== 'object' ||
      typeof resource.kind !== 'string' ||
      typeof resource.operation !== 'string'
    ) {
      diag.warn('@datum-telemetry/http: setResource() wants { kind, operation }; ignored');
      return;
    }
    this.identity = overriddenIdentity(this.identity, resource);
    this.logCache = undefined;
    if (this.span.isRecording()) {
      this.span.updateName(this.identity.spanName);
      const a: Attributes = {};
      addIdentityFields(a, this.identity);
      this.span.setAttributes(a);
    }
  }

  recordError(error: unknown): void {
    if (!this.hasError) {
      this.error = error;
      this.hasError = true;
    }
  }

  get log(): RequestLogger {
    if (this.logCache === undefined) this.logCache = requestLogger(this);
    return this.logCache;
  }

  end(result: RequestEnd): void {
    if (this.ended) return;
    this.ended = true;
    const durationSeconds = (performance.now() - this.startedAt) / 1000;
    const status =
      typeof result.statusCode === 'number' && result.statusCode >= 100 && result.statusCode < 1000
        ? result.statusCode
        : undefined;
    const aborted = result.aborted === true;
    // `http.route` is the framework's template (or `setRoute`'s), in the framework's syntax, as the
    // semantic conventions ask; the registry's `{namespace}` template never stands in for it.
    const route =
      this.explicitRoute ??
      (result.route === undefined || result.route === '' ? undefined : result.route);
    const failed =
      (status !== undefined && status >= 500) ||
      (status === undefined && !aborted && this.hasError);

    // Each step is guarded inline (no closure per request): a failing one is reported and the
    // others still run.
    if (this.span.isRecording()) {
      try {
        endServerSpan(this, status, route, aborted, failed, result);
      } catch (error) {
        reportFailure('span end', error);
      }
    }
    if (this.instruments !== undefined) {
      try {
        recordRequestMetrics(
          this.instruments,
          this.method,
          this.identity,
          status,
          route,
          durationSeconds,
          this.span,
        );
      } catch (error) {
        reportFailure('metrics', error);
      }
    }
    if (this.options.accessLog !== false) {
      try {
        // Inside the request's context, so that a context-aware logger finds the server span
        // (already the active one when the request has no span and no caller).
        if (this.context === context.active()) {
          writeAccessLog(this, status, route, aborted, durationSeconds);
        } else {
          context.with(
            this.context,
            writeAccessLog,
            undefined,
            this,
            status,
            route,
            aborted,
            durationSeconds,
          );
        }
      } catch (error) {
        reportFailure('access log', error);
      }
    }
  }
}
