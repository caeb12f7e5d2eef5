// Micro benchmarks: each of our calls next to the raw OpenTelemetry SDK (or bunyan) call doing the
// same work, in the same process, on the same providers. `node micro.mjs <case>` runs one
// comparison (each in a fresh process, so one comparison's JIT feedback cannot slow another);
// `node micro.mjs --list` prints the case names. Spans go to a provider with no exporter
// (recorded, then dropped) so the shared export pipeline does not hide a wrapper's own cost;
// metrics are aggregated by a real reader; log lines are serialised and written to a stream that
// discards them. Prints one JSON line: [{ name, ours, raw, oursNs, rawNs, ratio }].
import { EventEmitter } from 'node:events';
import { createLogger } from '@datum-telemetry/logging';
import { defineMetrics, setupMetrics } from '@datum-telemetry/metrics';
import {
  BaggagePropagator,
  createSpanHelper,
  setupTracing,
  TraceContextPropagator,
  withSpan,
} from '@datum-telemetry/tracing';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import bunyan from 'bunyan';
import pino from 'pino';
import pinoHttp from 'pino-http';
import { compare } from './harness.mjs';
import { w3cWorkloads } from './w3c-workloads.mjs';

const quick = process.env.BENCH_QUICK === '1';
const options = quick
  ? { samples: 3, sampleMs: 20, warmupMs: 50 }
  : { samples: 11, sampleMs: 60, warmupMs: 400 };

const tracing = setupTracing({
  service: 'compute',
  exporter: 'none',
  sampler: { root: 'always_on', parentBased: true },
  instrumentFetch: false,
});
const meterHandle = setupMetrics({ service: 'compute', exporter: 'prometheus', prometheus: false });
const meter = meterHandle.meter();
const rawTracer = trace.getTracer('bench-raw');

const nullStream = { write() {} };
const ourLogger = createLogger({ service: 'compute', stream: nullStream });
const rawLogger = bunyan.createLogger({ name: 'compute', streams: [{ stream: nullStream }] });

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const { vmRequests, vmDuration } = defineMetrics({
  service: 'compute',
  metrics: {
    vmRequests: {
      name: 'compute.vm.requests.total',
      kind: 'counter',
      unit: '{request}',
      attributes: ['method', 'operation', 'code'],
    },
    vmDuration: {
      name: 'compute.vm.request.duration.seconds',
      kind: 'histogram',
      attributes: ['method', 'operation', 'code'],
    },
  },
}).create(meter);
const rawCounter = meter.createCounter('compute.vmraw.requests.total', { unit: '{request}' });
const rawHistogram = meter.createHistogram('compute.vmraw.request.duration.seconds', {
  unit: 's',
});

const getVm = createSpanHelper({ operation: 'Get', kind: 'VirtualMachine' });
const noop = () => 1;
function rawSpan(fn) {
  return rawTracer.startActiveSpan('GetVirtualMachine', (span) => {
    try {
      return fn(span);
    } catch (error) {
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

const cases = new Map();
function pair(name, ours, raw, fns) {
  cases.set(name, () => {
    const r = typeof fns === 'function' ? compare(fns(), options) : compare(fns, options);
    const oursNs = r[ours].nsPerOp;
    const rawNs = r[raw].nsPerOp;
    return { name, ours, raw, oursNs, rawNs, ratio: oursNs / rawNs };
  });
}

pair('counter add, 3 attributes', 'defineMetrics counter.add', 'SDK Counter.add', {
  'defineMetrics counter.add': (i) =>
    vmRequests.add(1, { method: METHODS[i & 3], operation: 'Get', code: '200' }),
  'SDK Counter.add': (i) =>
    rawCounter.add(1, { method: METHODS[i & 3], operation: 'Get', code: '200' }),
});

pair('histogram record, 3 attributes', 'defineMetrics histogram.record', 'SDK Histogram.record', {
  'defineMetrics histogram.record': (i) =>
    vmDuration.record(0.042, { method: METHODS[i & 3], operation: 'Get', code: '200' }),
  'SDK Histogram.record': (i) =>
    rawHistogram.record(0.042, { method: METHODS[i & 3], operation: 'Get', code: '200' }),
});

pair('span around a no-op function', 'createSpanHelper(fn)', 'tracer.startActiveSpan', {
  'createSpanHelper(fn)': () => getVm(noop),
  'tracer.startActiveSpan': () => rawSpan(noop),
});

pair('span, withSpan by name', 'withSpan(name, fn)', 'tracer.startActiveSpan', {
  'withSpan(name, fn)': () => withSpan('GetVirtualMachine', noop),
  'tracer.startActiveSpan': () => rawSpan(noop),
});

const fields = (i) => ({
  'resource.kind': 'VirtualMachine',
  'resource.name': `vm-${i & 7}`,
  'resource.namespace': 'default',
  operation: 'Get',
  attempt: i & 3,
});
pair('log line, 5 fields', 'logger.info(fields, msg)', 'bunyan info(fields, msg)', {
  'logger.info(fields, msg)': (i) => ourLogger.info(fields(i), 'resource read'),
  'bunyan info(fields, msg)': (i) => rawLogger.info(fields(i), 'resource read'),
});

pair(
  'log line, 5 fields, key/value form',
  'logger.info(msg, k, v, ...)',
  'bunyan info(fields, msg)',
  {
    'logger.info(msg, k, v, ...)': (i) =>
      ourLogger.info(
        'resource read',
        'resource.kind',
        'VirtualMachine',
        'resource.name',
        `vm-${i & 7}`,
        'resource.namespace',
        'default',
        'operation',
        'Get',
        'attempt',
        i & 3,
      ),
    'bunyan info(fields, msg)': (i) => rawLogger.info(fields(i), 'resource read'),
  },
);

// The middleware's per-request work without a socket: the Express middleware on a request and
// response shaped like Express's, the route "matched" after next(), then the response's close.
const { telemetry } = await import('@datum-telemetry/express');
const resources = [
  {
    group: 'compute.datumapis.com',
    plural: 'virtualmachines',
    kind: 'VirtualMachine',
    short: 'vm',
  },
];
const ROUTE = {
  path: '/apis/compute.datumapis.com/v1alpha1/namespaces/:namespace/virtualmachines/:name',
};
const PATHS = ['vm-1', 'vm-2', 'web-7', 'db-0'].map(
  (name) => `/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines/${name}`,
);
const socket = { remoteAddress: '127.0.0.1', localPort: 8080, encrypted: false };
const app = { use() {} };
const headers = { host: '127.0.0.1:8080', 'user-agent': 'datum-bench/1.0', accept: '*/*' };

function mockExchange(i) {
  const url = PATHS[i & 3];
  const req = {
    method: 'GET',
    url,
    originalUrl: url,
    headers,
    socket,
    httpVersion: '1.1',
    app,
    baseUrl: '',
    route: undefined,
  };
  const res = new EventEmitter();
  res.statusCode = 200;
  res.headersSent = true;
  res.writableFinished = true;
  res.getHeaders = () => ({});
  return { req, res };
}
function routed(req) {
  return () => {
    req.route = ROUTE;
  };
}

function manualMiddleware(logger) {
  const requests = meter.createCounter('compute.manual.requests.total', { unit: '{request}' });
  const duration = meter.createHistogram('compute.manual.request.duration.seconds', { unit: 's' });
  return function otelManual(req, res, next) {
    const started = performance.now();
    const path = req.originalUrl;
    const span = rawTracer.startSpan(
      'GET',
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': path,
          'url.scheme': 'http',
          'server.address': '127.0.0.1',
          'server.port': req.socket.localPort,
          'client.address': req.socket.remoteAddress,
          'user_agent.original': req.headers['user-agent'],
          'network.protocol.version': req.httpVersion,
        },
      },
      context.active(),
    );
    res.once('close', () => {
      const route = req.route?.path;
      const status = res.statusCode;
      span.setAttributes({ 'http.response.status_code': status, 'http.route': route });
      span.updateName(`${req.method} ${route}`);
      span.end();
      const attributes = {
        'http.request.method': req.method,
        'http.route': route,
        'http.response.status_code': status,
      };
      const seconds = (performance.now() - started) / 1000;
      requests.add(1, attributes);
      duration.record(seconds, attributes);
      if (logger !== undefined) {
        const sc = span.spanContext();
        logger.info(
          {
            trace_id: sc.traceId,
            span_id: sc.spanId,
            'http.request.method': req.method,
            'url.path': path,
            'http.route': route,
            'http.response.status_code': status,
            'http.server.request.duration': seconds,
            'client.address': req.socket.remoteAddress,
          },
          'request completed',
        );
      }
    });
    context.with(trace.setSpan(context.active(), span), next);
  };
}

function drive(middleware, finish) {
  return (i) => {
    const { req, res } = mockExchange(i);
    middleware(req, res, routed(req));
    // pino-http logs a response that closes without `finish` as aborted.
    if (finish !== undefined) res.emit(finish);
    res.emit('close');
  };
}

pair(
  'middleware per request, traces + metrics',
  '@datum-telemetry/express',
  'hand-written OTel middleware',
  () => ({
    '@datum-telemetry/express': drive(telemetry({ service: 'compute', resources, logger: false })),
    'hand-written OTel middleware': drive(manualMiddleware(undefined)),
  }),
);
pair(
  'middleware per request, all three signals',
  '@datum-telemetry/express',
  'hand-written OTel + bunyan',
  () => ({
    '@datum-telemetry/express': drive(
      telemetry({ service: 'compute', resources, logger: ourLogger }),
    ),
    'hand-written OTel + bunyan': drive(manualMiddleware(rawLogger)),
  }),
);

// The access log: our logger next to pino for the same fields (a line the middleware writes for
// a declared resource), then the whole middleware with only the access log next to pino-http.
// The same line: pino is given the trace ids as fields, ours finds them in the active span (as
// the middleware writes the line inside the request's context), which costs it a context switch.
const pinoLogger = pino({}, nullStream);
const TRACE_FIELDS = {
  trace_id: '0af7651916cd43dd8448eb211c80319c',
  span_id: 'b7ad6b7169203331',
  trace_flags: '01',
};
const requestContext = trace.setSpan(
  context.active(),
  trace.wrapSpanContext({
    traceId: TRACE_FIELDS.trace_id,
    spanId: TRACE_FIELDS.span_id,
    traceFlags: 1,
  }),
);
const accessFields = (i) => ({
  'resource.kind': 'VirtualMachine',
  'resource.name': `vm-${i & 7}`,
  'resource.namespace': 'default',
  operation: 'Get',
  'http.request.method': 'GET',
  'url.path': PATHS[i & 3],
  'http.route': ROUTE.path,
  'http.response.status_code': 200,
  'http.server.request.duration': 0.000412,
  'client.address': '127.0.0.1',
});
pair('access log line, same fields', 'logger.info(fields, msg)', 'pino info(fields, msg)', {
  'logger.info(fields, msg)': (i) =>
    context.with(requestContext, () => ourLogger.info(accessFields(i), 'request completed')),
  'pino info(fields, msg)': (i) =>
    pinoLogger.info({ ...TRACE_FIELDS, ...accessFields(i) }, 'request completed'),
});
pair('middleware per request, access log only', '@datum-telemetry/express', 'pino-http', () => ({
  '@datum-telemetry/express': drive(
    telemetry({ service: 'compute', resources, traces: false, metrics: false, logger: ourLogger }),
  ),
  'pino-http': drive(pinoHttp({ logger: pinoLogger }), 'finish'),
}));
// OTLP encoding of one export batch: 512 finished SERVER spans of ~15 attributes and an event,
// @datum-telemetry/otlp's encoders next to @opentelemetry/otlp-transformer's serializers (what
// the stock exporters use). Reported per span (a batch's time / 512). Both packages are reached
// through the packages that depend on them (tracing, the stock proto exporter), as this bench
// declares neither.
const BATCH = 512;
async function importThrough(parent, name) {
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  return import(pathToFileURL(createRequire(import.meta.resolve(parent)).resolve(name)).href);
}
async function serverSpanBatch() {
  const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = await import(
    '@opentelemetry/sdk-trace'
  );
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('@datum-telemetry/http', '0.1.0');
  for (let i = 0; i < BATCH; i++) {
    const span = tracer.startSpan('GetVirtualMachine', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': METHODS[i & 3],
        'http.route': '/apis/compute.datum.net/v1/namespaces/{namespace}/virtualmachines/{name}',
        'url.path': `/apis/compute.datum.net/v1/namespaces/default/virtualmachines/vm-${i}`,
        'url.scheme': 'http',
        'http.response.status_code': i % 50 === 0 ? 500 : 200,
        'server.address': 'compute.default.svc',
        'server.port': 8080,
        'network.protocol.version': '1.1',
        'client.address': '10.0.3.17',
        'user_agent.original': 'datum-cli/1.4.2',
        'resource.kind': 'VirtualMachine',
        'resource.name': `vm-${i}`,
        'resource.namespace': 'default',
        'resource.apiVersion': 'compute.datum.net/v1',
        operation: 'Get',
      },
    });
    span.addEvent('cache.miss', { 'cache.key': `vm-${i}` });
    if (i % 50 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
    span.end();
  }
  const spans = exporter.getFinishedSpans().slice();
  await provider.shutdown();
  return spans;
}
const otlp = await importThrough('@datum-telemetry/tracing', '@datum-telemetry/otlp');
const transformer = await importThrough(
  '@opentelemetry/exporter-trace-otlp-proto',
  '@opentelemetry/otlp-transformer',
);
const spanBatch = await serverSpanBatch();
function perSpan(name, ours, raw, fns) {
  cases.set(name, () => {
    const r = compare(fns, options);
    const oursNs = r[ours].nsPerOp / BATCH;
    const rawNs = r[raw].nsPerOp / BATCH;
    return { name, ours, raw, oursNs, rawNs, ratio: oursNs / rawNs };
  });
}
const protobufEncoder = new otlp.ProtobufTraceEncoder();
perSpan(
  'OTLP protobuf encoding, 512 server spans (ns per span)',
  'ProtobufTraceEncoder.encode',
  'ProtobufTraceSerializer.serializeRequest',
  {
    'ProtobufTraceEncoder.encode': () => protobufEncoder.encode(spanBatch),
    'ProtobufTraceSerializer.serializeRequest': () =>
      transformer.ProtobufTraceSerializer.serializeRequest(spanBatch),
  },
);
const jsonEncoder = new otlp.JsonTraceEncoder();
perSpan(
  'OTLP/JSON encoding, 512 server spans (ns per span)',
  'JsonTraceEncoder.encode',
  'JsonTraceSerializer.serializeRequest',
  {
    'JsonTraceEncoder.encode': () => jsonEncoder.encode(spanBatch),
    'JsonTraceSerializer.serializeRequest': () =>
      transformer.JsonTraceSerializer.serializeRequest(spanBatch),
  },
);
// The same for a batch of 512 access-log records (a message, INFO, 10 attributes, the trace
// context), sdk-logs reached through @datum-telemetry/logging. Reported per record.
async function accessLogBatch() {
  const { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } =
    await importThrough('@datum-telemetry/logging', '@opentelemetry/sdk-logs');
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('@datum-telemetry/logging', '0.1.0');
  const withSpan = trace.setSpanContext(context.active(), {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    traceFlags: 1,
  });
  for (let i = 0; i < BATCH; i++) {
    logger.emit({
      context: withSpan,
      body: 'request completed',
      severityNumber: 9,
      severityText: 'INFO',
      attributes: accessFields(i),
    });
  }
  const records = exporter.getFinishedLogRecords().slice();
  await provider.shutdown();
  return records;
}
const logBatch = await accessLogBatch();
const jsonLogsEncoder = new otlp.JsonLogsEncoder();
perSpan(
  'OTLP/JSON encoding, 512 access-log records (ns per record)',
  'JsonLogsEncoder.encode',
  'JsonLogsSerializer.serializeRequest',
  {
    'JsonLogsEncoder.encode': () => jsonLogsEncoder.encode(logBatch),
    'JsonLogsSerializer.serializeRequest': () =>
      transformer.JsonLogsSerializer.serializeRequest(logBatch),
  },
);

// W3C propagation of one request (`w3c-workloads.mjs`): our strict TraceContextPropagator and
// BaggagePropagator next to @opentelemetry/core's W3CTraceContextPropagator and
// W3CBaggagePropagator, on the same headers.
const W3C_CASES = [
  ['extract traceparent', 'TraceContextPropagator.extract', 'W3CTraceContextPropagator.extract'],
  [
    'extract traceparent + tracestate',
    'TraceContextPropagator.extract',
    'W3CTraceContextPropagator.extract',
  ],
  ['extract baggage', 'BaggagePropagator.extract', 'W3CBaggagePropagator.extract'],
  [
    'inject traceparent + tracestate',
    'TraceContextPropagator.inject',
    'W3CTraceContextPropagator.inject',
  ],
  ['inject baggage', 'BaggagePropagator.inject', 'W3CBaggagePropagator.inject'],
];
for (const [workload, ours, raw] of W3C_CASES) {
  pair(`W3C ${workload}`, ours, raw, () => {
    const mine = w3cWorkloads({
      traceContext: new TraceContextPropagator(),
      baggage: new BaggagePropagator(),
    });
    const stock = w3cWorkloads({
      traceContext: new W3CTraceContextPropagator(),
      baggage: new W3CBaggagePropagator(),
    });
    return { [ours]: mine[workload], [raw]: stock[workload] };
  });
}

const wanted = process.argv[2];
if (wanted === '--list' || wanted === undefined) {
  process.stdout.write(`${JSON.stringify([...cases.keys()])}\n`);
} else {
  const run = cases.get(wanted);
  if (run === undefined) throw new Error(`unknown micro case ${wanted}`);
  const result = run();
  await Promise.all([tracing.shutdown(), meterHandle.shutdown()]);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
