import type { ResourceMatch } from '@datum-telemetry/conventions';
import { errorType, httpSpanName } from '@datum-telemetry/conventions';
import {
  CONTEXT_AWARE_LOGGER,
  errorLogField,
  TRACE_FLAGS,
} from '@datum-telemetry/conventions/log-line';
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import {
  context,
  diag,
  INVALID_SPAN_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { bounded, normalizeMethod, redactQuery } from './attributes.js';
import { incomingContext } from './incoming-context.js';
import type { Instruments } from './instruments.js';
import type { ResolvedOptions } from './options.js';
import type { AccessLogEntry, RequestInfo, RequestLogger, ResourceOverride } from './types.js';

/** The `http.route` metric label of requests whose route is unknown (404s, early responses). */
export const UNMATCHED_ROUTE = 'unmatched';

/** How a request ended, as the adapter saw it. */
export interface RequestEnd {
  /** The status sent; undefined when nothing was sent (the client went away). */
  readonly statusCode: number | undefined;
  /** The route template the framework matched, if any. */
  readonly route?: string | undefined;
  /** True when the connection closed before the response finished. */
  readonly aborted?: boolean;
  /** Response headers, for `captureResponseHeaders`. */
  readonly responseHeaders?: Readonly<Record<string, unknown>>;
}

/** The resource identity a request is about, once matched or overridden. */
interface Identity {
  readonly kind: string;
  readonly operation: string;
  readonly short: string | undefined;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  readonly apiVersion: string | undefined;
  readonly spanName: string;
  readonly route: string | undefined;
}

function identityOf(match: ResourceMatch): Identity {
  return {
    kind: match.kind,
    operation: match.operation,
    short: match.short,
    name: match.name,
    namespace: match.namespace,
    apiVersion: match.apiVersion,
    spanName: match.spanName,
    route: match.route,
  };
}

function reportFailure(what: string, error: unknown): void {
  diag.error(`@datum-telemetry/http: ${what} threw; the request goes on without it`, error);
}

function guard<T>(what: string, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (error) {
    reportFailure(what, error);
    return undefined;
  }
}

/**
 * Telemetry of one request: its server span, the context handlers run in, its request-scoped
 * logger; `end()` records the metrics and the access log line. Created by `HttpTelemetry.start`.
 */
export class RequestTelemetry {
  /** The server span (a non-recording span when no tracer provider is registered). */
  readonly span: Span;
  /** The context to run the rest of the request in: the server span is active in it. */
  readonly context: Context;
  /** The parsed request. */
  readonly request: RequestInfo;
  private identity: Identity | undefined;
  private explicitRoute: string | undefined;
  private error: unknown;
  private hasError = false;
  private ended = false;
  private readonly startedAt = performance.now();
  private readonly method: string;
  private logCache: RequestLogger | undefined;

  constructor(
    request: RequestInfo,
    private readonly options: ResolvedOptions,
    tracer: Tracer,
    private readonly instruments: Instruments | undefined,
    native?: unknown,
  ) {
    this.request = request;
    this.method = normalizeMethod(request.method);
    const match = options.registry?.match(request.method, request.path, request.query);
    this.identity = match === undefined ? undefined : identityOf(match);

    const policy =
      typeof options.policy === 'function'
        ? (guard('incomingContext', () =>
            (options.policy as (r: RequestInfo) => 'continue')(request),
          ) ?? 'continue')
        : options.policy;
    const { parent, links } = incomingContext(request.headers, policy);
    if (options.traces) {
      const name =
        this.identity?.spanName ?? httpSpanName(this.method === '_OTHER' ? 'HTTP' : this.method);
      // The request's attributes go in at the start, so that samplers see them (to drop health
      // checks by `url.path`, say), as the semantic conventions ask.
      this.span = tracer.startSpan(
        name,
        { kind: SpanKind.SERVER, links, attributes: this.startAttributes() },
        parent,
      );
      if (options.requestHook !== undefined) {
        const hook = options.requestHook;
        guard('requestHook', () => hook(this.span, request, native));
      }
    } else {
      this.span = trace.wrapSpanContext(trace.getSpanContext(parent) ?? INVALID_SPAN_CONTEXT);
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

  private startAttributes(): Attributes {
    const r = this.request;
    const a: Attributes = {
      'http.request.method': this.method,
      'url.path': bounded(r.path, 2048),
      'url.scheme': r.scheme,
    };
    if (this.method === '_OTHER') a['http.request.method_original'] = bounded(r.method, 64);
    if (r.query !== undefined && r.query !== '') a['url.query'] = redactQuery(r.query);
    if (r.serverAddress !== undefined) a['server.address'] = bounded(r.serverAddress, 255);
    if (r.serverPort !== undefined) a['server.port'] = r.serverPort;
    if (r.clientAddress !== undefined) a['client.address'] = r.clientAddress;
    const ua = r.headers['user-agent'];
    if (typeof ua === 'string') a['user_agent.original'] = bounded(ua);
    if (r.httpVersion !== undefined) a['network.protocol.version'] = r.httpVersion;
    for (const name of this.options.requestHeaders) {
      const value = r.headers[name];
      if (value !== undefined)
        a[`http.request.header.${name}`] =
          typeof value === 'string' ? [bounded(value)] : value.map((v) => bounded(v));
    }
    this.addIdentity(a);
    return a;
  }

  private addIdentity(a: Attributes): void {
    const id = this.identity;
    if (id === undefined) return;
    a['resource.kind'] = id.kind;
    a.operation = id.operation;
    if (id.name !== undefined) a['resource.name'] = bounded(id.name, 253);
    if (id.namespace !== undefined) a['resource.namespace'] = id.namespace;
    if (id.apiVersion !== undefined) a['resource.apiVersion'] = id.apiVersion;
  }

  /** True when `captureResponseHeaders` lists headers: adapters then pass the response headers to `end()`. */
  get wantsResponseHeaders(): boolean {
    return this.options.responseHeaders.length > 0;
  }

  /** The matched (or overridden) resource, if the request is about one. */
  get resource(): Readonly<Omit<Identity, 'spanName' | 'route'>> | undefined {
    return this.identity;
  }

  /**
   * Sets the route template for this request (`/users/:id`), overriding what the framework
   * matched. Never pass a raw path: the route is a metric label.
   */
  setRoute(route: string): void {
    if (typeof route !== 'string' || route.length === 0 || route.length > 512) {
      diag.warn('@datum-telemetry/http: setRoute() wants a non-empty route template; ignored');
      return;
    }
    this.explicitRoute = route;
  }

  /**
   * Sets the resource this request is about: the span becomes `{operation}{kind}`, and metrics use
   * `{service}.{short}.*` when `short` is given. For routes the registry cannot know, or to add the
   * name of a created object.
   */
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
    const previous = this.identity;
    this.identity = {
      kind: resource.kind,
      operation: resource.operation,
      short: resource.short ?? (previous?.kind === resource.kind ? previous.short : undefined),
      name: resource.name ?? previous?.name,
      namespace: resource.namespace ?? previous?.namespace,
      apiVersion: resource.apiVersion ?? previous?.apiVersion,
      spanName: `${resource.operation}${resource.kind}`,
      route: previous?.route,
    };
    this.logCache = undefined;
    if (this.span.isRecording()) {
      this.span.updateName(this.identity.spanName);
      const a: Attributes = {};
      this.addIdentity(a);
      this.span.setAttributes(a);
    }
  }

  /** Keeps an error the handlers raised; it is recorded on the span if the response is a 5xx. */
  recordError(error: unknown): void {
    if (!this.hasError) {
      this.error = error;
      this.hasError = true;
    }
  }

  private addTraceFields(f: Record<string, unknown>): void {
    // A logger that reads the active context itself adds the ids; giving them twice would clash.
    if (
      (this.options.logger as { [CONTEXT_AWARE_LOGGER]?: unknown } | undefined)?.[
        CONTEXT_AWARE_LOGGER
      ] === true
    )
      return;
    const sc = this.span.spanContext();
    if (!trace.isSpanContextValid(sc)) return;
    f.trace_id = sc.traceId;
    f.span_id = sc.spanId;
    f.trace_flags = TRACE_FLAGS[sc.traceFlags & 0xff];
  }

  private addIdentityFields(f: Record<string, unknown>): void {
    const id = this.identity;
    if (id === undefined) return;
    f['resource.kind'] = id.kind;
    f.operation = id.operation;
    if (id.name !== undefined) f['resource.name'] = id.name;
    if (id.namespace !== undefined) f['resource.namespace'] = id.namespace;
    if (id.apiVersion !== undefined) f['resource.apiVersion'] = id.apiVersion;
  }

  /**
   * The request-scoped logger: carries the trace ids and the resource fields. Created on first
   * use; a no-op logger when logging is off.
   */
  get log(): RequestLogger {
    if (this.logCache === undefined) {
      const logger = this.options.logger;
      this.logCache =
        logger === undefined
          ? NOOP_LOGGER
          : (guard('logger.child', () => {
              const fields: Record<string, unknown> = {};
              this.addTraceFields(fields);
              this.addIdentityFields(fields);
              return logger.child(fields);
            }) ?? NOOP_LOGGER);
    }
    return this.logCache;
  }

  /** Ends the request: span attributes and status, metrics, access log. Runs once; later calls do nothing. */
  end(result: RequestEnd): void {
    if (this.ended) return;
    this.ended = true;
    const durationSeconds = (performance.now() - this.startedAt) / 1000;
    const status =
      typeof result.statusCode === 'number' && result.statusCode >= 100 && result.statusCode < 1000
        ? result.statusCode
        : undefined;
    const aborted = result.aborted === true;
    const route =
      this.explicitRoute ??
      this.identity?.route ??
      (result.route === undefined || result.route === '' ? undefined : result.route);
    const failed =
      (status !== undefined && status >= 500) ||
      (status === undefined && !aborted && this.hasError);

    // Each step is guarded inline (no closure per request): a failing one is reported and the
    // others still run.
    if (this.span.isRecording()) {
      try {
        this.endSpan(status, route, aborted, failed, result);
      } catch (error) {
        reportFailure('span end', error);
      }
    }
    if (this.instruments !== undefined) {
      try {
        this.recordMetrics(status, route, durationSeconds);
      } catch (error) {
        reportFailure('metrics', error);
      }
    }
    if (this.options.accessLog !== false) {
      try {
        // Inside the request's context, so that a context-aware logger finds the server span.
        context.with(
          this.context,
          this.writeAccessLog,
          this,
          status,
          route,
          aborted,
          durationSeconds,
        );
      } catch (error) {
        reportFailure('access log', error);
      }
    }
  }

  private endSpan(
    status: number | undefined,
    route: string | undefined,
    aborted: boolean,
    failed: boolean,
    result: RequestEnd,
  ): void {
    const span = this.span;
    const a: Attributes = {};
    if (status !== undefined) a['http.response.status_code'] = status;
    if (route !== undefined) a['http.route'] = route;
    for (const name of this.options.responseHeaders) {
      const value = result.responseHeaders?.[name];
      if (typeof value === 'string' || typeof value === 'number')
        a[`http.response.header.${name}`] = [bounded(String(value))];
    }
    let name =
      this.identity?.spanName ??
      httpSpanName(this.method === '_OTHER' ? 'HTTP' : this.method, route);
    if (this.options.spanName !== undefined) {
      const hook = this.options.spanName;
      const chosen = guard('spanName', () => hook(this.request, name));
      if (typeof chosen === 'string' && chosen.length > 0) name = bounded(chosen, 256);
    }
    span.updateName(name);
    if (failed) {
      if (this.hasError) {
        const error = this.error;
        // A thrown value that is not an Error has no type to record: its text is the message.
        span.recordException(error instanceof Error ? error : String(error));
        a['error.type'] = errorType(error);
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? bounded(error.message, 256) : undefined,
        });
      } else {
        a['error.type'] = String(status);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    } else if (aborted) {
      a['error.type'] = 'aborted';
    }
    span.setAttributes(a);
    span.end();
  }

  private recordMetrics(
    status: number | undefined,
    route: string | undefined,
    durationSeconds: number,
  ): void {
    const instruments = this.instruments!;
    instruments.requestEnded(this.method);
    const a: Attributes = {
      'http.request.method': this.method,
      'http.route': route ?? UNMATCHED_ROUTE,
    };
    if (status !== undefined) a['http.response.status_code'] = status;
    const short = this.identity?.short;
    if (this.identity !== undefined) a.operation = this.identity.operation;
    const set = short === undefined ? instruments.forHttp() : instruments.forResource(short);
    set.requests.add(1, a);
    set.duration.record(durationSeconds, a);
  }

  private writeAccessLog(
    status: number | undefined,
    route: string | undefined,
    aborted: boolean,
    durationSeconds: number,
  ): void {
    const logger = this.options.logger!;
    const filter = this.options.accessLog;
    if (typeof filter === 'function') {
      const entry: AccessLogEntry = {
        method: this.request.method,
        path: this.request.path,
        route,
        statusCode: status,
        durationSeconds,
        aborted,
      };
      if (!filter(entry)) return;
    }
    const fields: Record<string, unknown> = {};
    this.addTraceFields(fields);
    this.addIdentityFields(fields);
    fields['http.request.method'] = this.method;
    fields['url.path'] = bounded(this.request.path, 2048);
    if (this.request.query !== undefined && this.request.query !== '')
      fields['url.query'] = redactQuery(this.request.query);
    if (route !== undefined) fields['http.route'] = route;
    if (status !== undefined) fields['http.response.status_code'] = status;
    fields['http.server.request.duration'] = Math.round(durationSeconds * 1e6) / 1e6;
    if (this.request.clientAddress !== undefined)
      fields['client.address'] = this.request.clientAddress;
    // The shape `log.error(err, msg)` writes: one shape for the `error` field in the whole stream.
    if (this.hasError && (status === undefined || status >= 500))
      fields.error = errorLogField(this.error);
    if (aborted) {
      logger.warn(fields, 'request aborted by the client');
    } else if (status !== undefined && status >= 500) {
      logger.error(fields, 'request failed');
    } else if (status !== undefined && status >= 400) {
      logger.warn(fields, 'request rejected');
    } else {
      logger.info(fields, 'request completed');
    }
  }
}

const noop = () => undefined;
/** The logger of requests when logging is off. */
export const NOOP_LOGGER: RequestLogger = {
  child: () => NOOP_LOGGER,
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
};
