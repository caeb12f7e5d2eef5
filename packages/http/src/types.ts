import type {
  ResourceDeclaration,
  ResourceOperation,
  ResourceRegistry,
} from '@datum-telemetry/conventions';
import type { LogLevelName, LogLineStream } from '@datum-telemetry/conventions/log-line';
import type { Context, Span } from '@opentelemetry/api';

/** What the middleware does with trace context sent by callers. */
export type IncomingContextPolicy = 'continue' | 'restart' | 'ignore';

/**
 * A logger the middleware can use: bunyan loggers and `@datum-telemetry/logging` loggers fit.
 * Calls are `logger.info(fields, message)`.
 */
export interface RequestLogger {
  child(fields: Record<string, unknown>): RequestLogger;
  trace(...args: unknown[]): unknown;
  debug(...args: unknown[]): unknown;
  info(...args: unknown[]): unknown;
  warn(...args: unknown[]): unknown;
  error(...args: unknown[]): unknown;
  fatal(...args: unknown[]): unknown;
}

/** Where the built-in logger writes: anything with `write(line)`, such as `process.stdout`. */
export type LineSink = LogLineStream;

/** Options of `createJsonLogger`, the built-in logger; every one is optional. */
export interface JsonLoggerOptions {
  /** Where the lines go. The default value is `process.stdout`. */
  readonly stream?: LineSink;
  /**
   * The `name` of every line: the service. The default value is `OTEL_SERVICE_NAME`, then
   * `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, then `unknown_service:node` (what
   * `@datum-telemetry/logging` writes). The middleware passes its `service` option.
   */
  readonly name?: string;
  /**
   * The lowest level written; `silent` writes nothing. The default value is the `LOG_LEVEL`
   * variable (as `@datum-telemetry/logging` reads it; an invalid one is reported and ignored),
   * then `'info'`.
   */
  readonly level?: LogLevelName | 'silent';
  /**
   * More keys whose values are written as `[REDACTED]` (matched without regard to case, at any
   * depth), on top of the built-in ones (`authorization`, `cookie`, `password`, `secret`,
   * `token`, `api_key`, ...). The default value is `[]`.
   */
  readonly redactKeys?: readonly string[];
  /**
   * Longest string value (and message) written, in UTF-16 code units; longer ones are cut and end
   * in `…[truncated N chars]`. The default value is 8192.
   */
  readonly maxStringLength?: number;
}

/** Headers as Node parses them. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** One incoming request, as the framework adapters describe it to the core. */
export interface RequestInfo {
  /** The method as sent (`GET`, `post`, `PROPFIND`). */
  readonly method: string;
  /** The raw path without the query string (`/apis/.../virtualmachines/vm-1`). */
  readonly path: string;
  /** The raw query string without `?`, when there is one. */
  readonly query: string | undefined;
  readonly headers: RequestHeaders;
  readonly scheme: 'http' | 'https';
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;
  readonly clientAddress: string | undefined;
  /** `1.1`, `2`. */
  readonly httpVersion: string | undefined;
}

/** A resource set by hand for one request, overriding (or replacing) the route-based match. */
export interface ResourceOverride {
  /** PascalCase kind (`VirtualMachine`). */
  readonly kind: string;
  /** The verb (`Create`, `Reconcile`, ...): the span is named `{operation}{kind}`. */
  readonly operation: ResourceOperation | (string & {});
  /** Metric segment (`vm`); metrics keep the HTTP-level names when it is not given. */
  readonly short?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly apiVersion?: string;
}

/** What the access log line and its filter see. */
export interface AccessLogEntry {
  readonly method: string;
  readonly path: string;
  readonly route: string | undefined;
  /** Undefined when the client went away before a response was sent. */
  readonly statusCode: number | undefined;
  readonly durationSeconds: number;
  readonly aborted: boolean;
}

/** Options of the HTTP instrumentation; every one is optional. */
export interface HttpTelemetryOptions {
  /**
   * The service name: the first segment of every metric name, so it must be a metric segment. The
   * default value is the service name every signal gets from `@datum-telemetry/config`
   * (`OTEL_SERVICE_NAME`, then `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, then
   * `unknown_service:node`), made a valid segment (`compute-api` becomes `compute_api`,
   * `unknown_service:node` becomes `unknown_service`).
   */
  readonly service?: string;
  /**
   * Kubernetes-style resources the API serves. Requests on them get `{Operation}{Kind}` span names
   * and `{service}.{short}.*` metrics. Default: none (every request is named `{METHOD} {route}`).
   */
  readonly resources?: readonly ResourceDeclaration[] | ResourceRegistry;
  /**
   * Paths that get no span, no metrics and no access log (exact match, ignoring a trailing slash),
   * regular expressions, or a predicate. The default value is
   * `['/healthz', '/readyz', '/livez', '/metrics']`.
   */
  readonly ignorePaths?: ReadonlyArray<string | RegExp> | ((path: string) => boolean);
  /**
   * Trace context from callers: `continue` it (parent the server span on it), `restart` (a new trace
   * with a span link to the caller's span), or `ignore` it. A function decides per request.
   * The default value is `'continue'`.
   */
  readonly incomingContext?:
    | IncomingContextPolicy
    | ((request: RequestInfo) => IncomingContextPolicy);
  /**
   * Logger for the request-scoped logger and the access log: a bunyan or `@datum-telemetry/logging`
   * logger; `false` for none. The default is the built-in logger (`createJsonLogger`) writing to
   * stdout the lines `@datum-telemetry/logging` writes, secrets redacted, named after `service`.
   */
  readonly logger?: RequestLogger | false;
  /**
   * One line per finished or aborted request (5xx error, 4xx warn, else info). `false` turns it off;
   * a function decides per request. The default value is `true`.
   */
  readonly accessLog?: boolean | ((entry: AccessLogEntry) => boolean);
  /** Record spans (when a tracer provider is registered). The default value is `true`. */
  readonly traces?: boolean;
  /** Record metrics (when a meter provider is registered). The default value is `true`. */
  readonly metrics?: boolean;
  /**
   * Request headers recorded as `http.request.header.<name>` span attributes. Secrets
   * (authorization, cookie, API keys, ...) are never recorded, even when listed. Default: none.
   */
  readonly captureRequestHeaders?: readonly string[];
  /** Response headers recorded as `http.response.header.<name>`; same rules. Default: none. */
  readonly captureResponseHeaders?: readonly string[];
  /**
   * Bucket boundaries, in seconds, of the duration histograms. The default value is
   * `[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]`.
   */
  readonly durationBuckets?: readonly number[];
  /**
   * Called with the server span when it starts, to add attributes. `native` is the framework's own
   * request object, as the adapter passed it to `start()` (the Express and Koa adapters hand it to
   * their own hook as `req` / `ctx`). Runs guarded: a throw is reported through the diag logger
   * and never breaks the request.
   */
  readonly requestHook?: (span: Span, request: RequestInfo, native: unknown) => void;
  /**
   * Renames the span when the request ends. Gets the name the conventions chose; returning
   * `undefined` keeps it. Runs guarded.
   */
  readonly spanName?: (request: RequestInfo, defaultName: string) => string | undefined;
}

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

/**
 * Telemetry of one request: its server span, the context handlers run in, its request-scoped
 * logger; `end()` records the metrics and the access log line. Made by `HttpTelemetry.start` (or
 * `startNode`, which also ends it); adapters hand it to applications as `req.telemetry`.
 */
export interface RequestTelemetry {
  /** The server span (a non-recording span when no tracer provider is registered). */
  readonly span: Span;
  /** The context to run the rest of the request in: the server span is active in it. */
  readonly context: Context;
  /** The parsed request. */
  readonly request: RequestInfo;
  /** True when `captureResponseHeaders` lists headers: adapters then pass the response headers to `end()`. */
  readonly wantsResponseHeaders: boolean;
  /** The matched (or overridden) resource, if the request is about one. */
  readonly resource:
    | {
        readonly kind: string;
        readonly operation: string;
        readonly short: string | undefined;
        readonly name: string | undefined;
        readonly namespace: string | undefined;
        readonly apiVersion: string | undefined;
      }
    | undefined;
  /**
   * The request-scoped logger: carries the trace ids and the resource fields. Created on first
   * use; a no-op logger when logging is off.
   */
  readonly log: RequestLogger;
  /**
   * Sets the route template for this request (`/users/:id`), overriding what the framework
   * matched. Never pass a raw path: the route is a metric label.
   */
  setRoute(route: string): void;
  /**
   * Sets the resource this request is about: the span becomes `{operation}{kind}`, and metrics use
   * `{service}.{short}.*` when `short` is given. For routes the registry cannot know, or to add the
   * name of a created object.
   */
  setResource(resource: ResourceOverride): void;
  /** Keeps an error the handlers raised; it is recorded on the span if the response is a 5xx. */
  recordError(error: unknown): void;
  /** Ends the request: span attributes and status, metrics, access log. Runs once; later calls do nothing. */
  end(result: RequestEnd): void;
}

/**
 * What the core needs to know about a framework to start and end its requests from Node's
 * `req` and `res` (`HttpTelemetry.startNode`). Given once, to `createHttpTelemetry`.
 */
export interface NodeAdapter<Native> {
  /** The adapter's package, which diag messages start with: `@datum-telemetry/express`. */
  readonly name: string;
  /**
   * The route template the framework matched (`/users/:id`), read when the response ends. It may
   * throw: that is reported at debug level and the request has no route.
   */
  readonly route: (native: Native) => string | undefined;
}
