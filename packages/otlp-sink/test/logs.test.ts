import { context, SeverityNumber, TraceFlags, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OtlpSink, SinkLogRecord } from '../src/index.js';
import { startOtlpSink } from '../src/index.js';
import type { ReadableLogRecord } from './support.js';
import { exportWith, hrTimeToNanos } from './support.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const BYTES = new Uint8Array([0, 1, 254, 255]);

// Real log records, made once by the SDK, then sent through each real exporter.
async function makeRecords(): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'compute' }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('otlp-sink-test', '0.0.3');
  const inSpan = trace.setSpanContext(context.active(), {
    traceId: TRACE_ID,
    spanId: SPAN_ID,
    traceFlags: TraceFlags.SAMPLED,
  });
  logger.emit({
    severityNumber: SeverityNumber.INFO,
    severityText: 'info',
    body: 'VM created',
    attributes: {
      'resource.name': 'vm-1',
      'resource.namespace': 'default',
      attempt: 3,
      ratio: 0.75,
      ok: true,
      tags: ['a', 'b'],
    },
    context: inSpan,
  });
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    body: { message: 'failed', code: 500, nested: { list: [1, 'two', false] }, raw: BYTES },
    attributes: { payload: BYTES, map: { inner: 'x', depth: { n: 1 } } },
    eventName: 'vm.failed',
  });
  logger.emit({ severityNumber: SeverityNumber.DEBUG3 });
  await provider.forceFlush();
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

const exporters = {
  protobuf: (url: string, compression?: 'gzip') =>
    new ProtoLogExporter({ url, compression: compression as never }),
  json: (url: string, compression?: 'gzip') =>
    new JsonLogExporter({ url, compression: compression as never }),
};

let sink: OtlpSink;
let source: ReadableLogRecord[];

beforeAll(async () => {
  sink = await startOtlpSink();
  source = await makeRecords();
});
afterAll(() => sink.close());
beforeEach(() => sink.clear());

const scope = { name: 'otlp-sink-test', version: '0.0.3' };

describe.each([
  ['protobuf', undefined],
  ['json', undefined],
  ['protobuf', 'gzip'],
  ['json', 'gzip'],
] as const)('log records from the real %s exporter (compression: %s)', (encoding, compression) => {
  it('decodes severity, body, attributes and trace context', async () => {
    const exporter = exporters[encoding](sink.urls.logs, compression);
    expect((await exportWith(exporter, source)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect(sink.requests()).toEqual([
      { signal: 'logs', encoding, gzip: compression === 'gzip', status: 200 },
    ]);
    const [info, error, debug] = sink.logs() as [SinkLogRecord, SinkLogRecord, SinkLogRecord];

    expect(info).toEqual({
      timeUnixNano: hrTimeToNanos(source[0]!.hrTime),
      observedTimeUnixNano: hrTimeToNanos(source[0]!.hrTimeObserved),
      severityNumber: 9,
      severityText: 'info',
      body: 'VM created',
      attributes: {
        'resource.name': 'vm-1',
        'resource.namespace': 'default',
        attempt: 3,
        ratio: 0.75,
        ok: true,
        tags: ['a', 'b'],
      },
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      traceFlags: 1,
      resource: expect.objectContaining({ 'service.name': 'compute' }),
      scope,
    });

    expect(error.severityNumber).toBe(17);
    expect(error.severityText).toBeUndefined();
    expect(error.eventName).toBe('vm.failed');
    expect(error.body).toEqual({
      message: 'failed',
      code: 500,
      nested: { list: [1, 'two', false] },
      raw: BYTES,
    });
    expect(error.attributes).toEqual({ payload: BYTES, map: { inner: 'x', depth: { n: 1 } } });
    expect(error.attributes.payload).toBeInstanceOf(Uint8Array);
    expect(error.traceId).toBeUndefined();
    expect(error.spanId).toBeUndefined();
    expect(error.traceFlags).toBeUndefined();

    expect(debug.severityNumber).toBe(7);
    expect(debug.body).toBeUndefined();
    expect(debug.attributes).toEqual({});
  });
});

it('decodes the same records to equal objects whatever the encoding', async () => {
  const results = [];
  for (const encoding of ['protobuf', 'json'] as const) {
    sink.clear();
    const exporter = exporters[encoding](sink.urls.logs);
    expect((await exportWith(exporter, source)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    results.push(sink.logs());
  }
  expect(results[1]).toEqual(results[0]);
});
