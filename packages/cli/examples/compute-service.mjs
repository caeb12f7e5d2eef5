// A small service whose telemetry follows the rules, instrumented with the OpenTelemetry SDK
// directly (so this example needs no other @datum-telemetry package): the README validates it with
//   datum-telemetry validate --definition telemetry.json --scenario scenario.json -- node compute-service.mjs
// It listens on $PORT and exports OTLP to $OTEL_EXPORTER_OTLP_ENDPOINT, as the validator sets them.
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { createResourceRegistry } from '@datum-telemetry/conventions';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

// http/json or http/protobuf, as OTEL_EXPORTER_OTLP_PROTOCOL says.
const json = process.env.OTEL_EXPORTER_OTLP_PROTOCOL === 'http/json';
const flavour = json ? 'http' : 'proto';
const { OTLPTraceExporter } = await import(`@opentelemetry/exporter-trace-otlp-${flavour}`);
const { OTLPMetricExporter } = await import(`@opentelemetry/exporter-metrics-otlp-${flavour}`);
const { OTLPLogExporter } = await import(`@opentelemetry/exporter-logs-otlp-${flavour}`);

const resource = resourceFromAttributes({ 'service.name': 'compute' });
const interval = Number(process.env.OTEL_METRIC_EXPORT_INTERVAL ?? 60000);
const tracerProvider = new TracerProvider({
  resource,
  spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
});
const meterProvider = new MeterProvider({
  resource,
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter(),
      exportIntervalMillis: interval,
      exportTimeoutMillis: Math.min(interval, 30000),
    }),
  ],
});
const loggerProvider = new LoggerProvider({
  resource,
  processors: [
    new BatchLogRecordProcessor({
      exporter: new OTLPLogExporter(),
      scheduledDelayMillis: Number(process.env.OTEL_BLRP_SCHEDULE_DELAY ?? 1000),
    }),
  ],
});
const tracer = tracerProvider.getTracer('compute');
const meter = meterProvider.getMeter('compute');
const otlpLogger = loggerProvider.getLogger('compute');

const requests = meter.createCounter('compute.vm.requests.total', { unit: '{request}' });
const duration = meter.createHistogram('compute.vm.request.duration.seconds', { unit: 's' });
const active = meter.createUpDownCounter('compute.vm.active', { unit: '{vm}' });

const registry = createResourceRegistry([
  {
    group: 'compute.datumapis.com',
    plural: 'virtualmachines',
    kind: 'VirtualMachine',
    short: 'vm',
  },
]);
const vms = new Set();

/** One bunyan-format JSON line with the trace ids, and the same record over OTLP. */
function log(span, level, msg, fields) {
  const { traceId, spanId, traceFlags } = span.spanContext();
  process.stdout.write(
    `${JSON.stringify({ name: 'compute', hostname: hostname(), pid: process.pid, level, msg, ...fields, time: new Date().toISOString(), v: 0, trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags}` })}\n`,
  );
  otlpLogger.emit({
    severityNumber: level === 30 ? 9 : 13,
    severityText: level === 30 ? 'INFO' : 'WARN',
    body: msg,
    attributes: fields,
    context: trace.setSpan(ROOT_CONTEXT, span),
  });
}

function handle(match, span) {
  const name = match.name ?? 'vm-1';
  const fields = {
    'resource.kind': 'VirtualMachine',
    'resource.name': name,
    'resource.namespace': match.namespace,
    operation: match.operation,
  };
  if (match.operation === 'Create') {
    vms.add(name);
    active.add(1);
    log(span, 30, 'virtual machine created', fields);
    return 201;
  }
  if (match.operation === 'Get') {
    if (vms.has(name)) return 200;
    log(span, 40, 'virtual machine not found', fields);
    return 404;
  }
  if (match.operation === 'Delete') {
    const error = new Error('the hypervisor did not answer');
    span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    span.setAttribute('error.type', 'Error');
    return 500;
  }
  return 405;
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/healthz') return res.end('ok');
  const started = performance.now();
  const match = registry.match(req.method, url.pathname, url.search.slice(1));
  const span = tracer.startSpan(match?.spanName ?? req.method, {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': req.method,
      'url.path': url.pathname,
      // Query keys only: every value is replaced.
      ...(url.search ? { 'url.query': url.search.slice(1).replace(/=[^&]*/g, '=REDACTED') } : {}),
      ...(match
        ? { 'http.route': match.route, 'resource.kind': match.kind, operation: match.operation }
        : {}),
    },
  });
  const status = match ? handle(match, span) : 404;
  span.setAttribute('http.response.status_code', status);
  const attributes = {
    'http.request.method': req.method,
    operation: match?.operation ?? 'unknown',
    'http.response.status_code': status,
  };
  requests.add(1, attributes);
  duration.record((performance.now() - started) / 1000, attributes);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status }));
  span.end();
});
server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1');

// On SIGTERM: stop taking requests, flush every signal, exit.
process.once('SIGTERM', () => {
  server.close();
  Promise.all([
    tracerProvider.shutdown(),
    meterProvider.shutdown(),
    loggerProvider.shutdown(),
  ]).finally(() => process.exit(0));
});
