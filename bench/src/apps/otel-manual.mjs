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
