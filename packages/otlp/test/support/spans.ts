// Real SDK spans and log records (not look-alikes), for the exporter tests.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';

export const resource = resourceFromAttributes({
  'service.name': 'compute',
  'service.version': '1.2.3',
  'process.pid': 4242,
});

/** `count` finished SERVER spans of a typical request, each with its attributes and an event. */
export async function serverSpans(count: number): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('@datum-telemetry/http', '0.1.0');
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan('GetVirtualMachine', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'GET',
        'http.route': '/apis/compute/v1/namespaces/{namespace}/virtualmachines/{name}',
        'url.path': `/apis/compute/v1/namespaces/default/virtualmachines/vm-${i}`,
        'http.response.status_code': i % 7 === 0 ? 500 : 200,
        'server.port': 8080,
        'resource.name': `vm-${i}`,
        'resource.namespace': 'default',
      },
    });
    span.addEvent('cache.miss', { 'cache.key': `vm-${i}` });
    if (i % 7 === 0) span.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream failed' });
    span.end();
  }
  await provider.forceFlush();
  const spans = [...exporter.getFinishedSpans()];
  await provider.shutdown();
  return spans;
}

/** `count` log records of a logger, with a body, severity and attributes. */
export async function logRecords(count: number): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('@datum-telemetry/logging', '0.1.0');
  for (let i = 0; i < count; i++) {
    logger.emit({
      body: `resource ${i} created`,
      severityNumber: 9,
      severityText: 'INFO',
      attributes: { operation: 'create', 'resource.name': `vm-${i}`, spec: { cpu: 2 } },
    });
  }
  await provider.forceFlush();
  const records = [...exporter.getFinishedLogRecords()];
  await provider.shutdown();
  return records;
}
