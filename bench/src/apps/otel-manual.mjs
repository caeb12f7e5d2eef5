// A hand-written minimal OpenTelemetry middleware (one SERVER span with the HTTP attributes, a
// request counter and a duration histogram), on the same SDK providers our packages set up. It
// is the "do it yourself with the raw API" baseline of the issue.
import { context, metrics, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

export function manualInstruments() {
  const tracer = trace.getTracer('bench-manual');
  const meter = metrics.getMeter('bench-manual');
  const requests = meter.createCounter('compute.http.requests.total', { unit: '{request}' });
  const duration = meter.createHistogram('compute.http.request.duration.seconds', { unit: 's' });
  return { tracer, requests, duration };
}

export function finishRequest({ requests, duration }, span, method, route, status, started) {
  const attributes = {
    'http.request.method': method,
    'http.route': route ?? 'unmatched',
    'http.response.status_code': status,
  };
  span.setAttribute('http.response.status_code', status);
  if (route !== undefined) {
    span.setAttribute('http.route', route);
    span.updateName(`${method} ${route}`);
  }
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
  requests.add(1, attributes);
  duration.record((performance.now() - started) / 1000, attributes);
}

export function startRequest({ tracer }, req, path) {
  return tracer.startSpan(
    req.method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': req.method,
        'url.path': path,
        'url.scheme': 'http',
        'user_agent.original': req.headers['user-agent'],
      },
    },
    context.active(),
  );
}

/** The hand-written middleware for Express: the span ends when the response has finished. */
export function expressManualMiddleware(instruments) {
  return function otelManual(req, res, next) {
    const started = performance.now();
    const span = startRequest(instruments, req, req.path);
    res.once('finish', () => {
      const route = req.route === undefined ? undefined : `${req.baseUrl}${req.route.path}`;
      finishRequest(instruments, span, req.method, route, res.statusCode, started);
    });
    context.with(trace.setSpan(context.active(), span), next);
  };
}

/** The hand-written middleware for Koa: the span ends when the downstream middleware settles. */
export function koaManualMiddleware(instruments) {
  return async function otelManual(ctx, next) {
    const started = performance.now();
    const span = startRequest(instruments, ctx.req, ctx.path);
    try {
      await context.with(trace.setSpan(context.active(), span), next);
    } finally {
      finishRequest(instruments, span, ctx.method, ctx._matchedRoute, ctx.status, started);
    }
  };
}
