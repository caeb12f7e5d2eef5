import { context, createTraceState, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OtlpSink, SinkSpan } from '../src/index.js';
import { startOtlpSink } from '../src/index.js';
import type { ReadableSpan } from './support.js';
import { exportWith, hrTimeToNanos } from './support.js';

const ATTRIBUTES = {
  'str.attr': 'value',
  'int.attr': 42,
  'negative.int': -7,
  'double.attr': 2.5,
  'bool.attr': true,
  'false.attr': false,
  'str.array': ['a', 'b'],
  'int.array': [1, 2, 3],
  'double.array': [1.5, 2.5],
  'bool.array': [true, false],
  'empty.string': '',
};

// Real spans, made once by the SDK and kept in memory, then sent through each real exporter.
async function makeSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'compute', 'service.version': '1.0.0' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer('otlp-sink-test', '0.0.1');
  const linked = tracer.startSpan('LinkedOperation');
  linked.end();
  const parent = tracer.startSpan('CreateVirtualMachine', {
    kind: SpanKind.SERVER,
    attributes: ATTRIBUTES,
    links: [{ context: linked.spanContext(), attributes: { 'link.reason': 'follows' } }],
  });
  parent.addEvent('vm.scheduled', { 'node.name': 'n1', attempt: 2 });
  parent.addEvent('no.attributes');
  parent.setStatus({ code: SpanStatusCode.ERROR, message: 'quota exceeded' });
  const child = tracer.startSpan(
    'GetIPAddress',
    { kind: SpanKind.CLIENT },
    trace.setSpan(context.active(), parent),
  );
  child.setStatus({ code: SpanStatusCode.OK });
  child.end();
  // A span continuing a remote trace carries its parent id and trace state.
  const remote = trace.setSpanContext(context.active(), {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    isRemote: true,
    traceState: createTraceState('vendor=value,other=1'),
  });
  tracer.startSpan('ContinueRemote', {}, remote).end();
  for (const kind of [SpanKind.INTERNAL, SpanKind.PRODUCER, SpanKind.CONSUMER]) {
    tracer.startSpan(`kind.${SpanKind[kind]}`, { kind }).end();
  }
  parent.end();
  await provider.forceFlush();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

const exporters = {
  protobuf: (url: string, compression?: 'gzip') =>
    new ProtoTraceExporter({ url, compression: compression as never }),
  json: (url: string, compression?: 'gzip') =>
    new JsonTraceExporter({ url, compression: compression as never }),
};

let sink: OtlpSink;
let source: ReadableSpan[];

beforeAll(async () => {
  sink = await startOtlpSink();
  source = await makeSpans();
});
afterAll(() => sink.close());
beforeEach(() => sink.clear());

function byName(spans: SinkSpan[], name: string): SinkSpan {
  const found = spans.find((s) => s.name === name);
  if (!found) throw new Error(`no span named ${name} in ${spans.map((s) => s.name).join(', ')}`);
  return found;
}

function sourceSpan(name: string): ReadableSpan {
  return source.find((s) => s.name === name)!;
}

describe.each([
  ['protobuf', undefined],
  ['json', undefined],
  ['protobuf', 'gzip'],
  ['json', 'gzip'],
] as const)('spans from the real %s exporter (compression: %s)', (encoding, compression) => {
  it('decodes every field as the SDK recorded it', async () => {
    const exporter = exporters[encoding](sink.urls.traces, compression);
    const result = await exportWith(exporter, source);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();

    expect(sink.requests()).toEqual([
      {
        signal: 'traces',
        encoding,
        gzip: compression === 'gzip',
        status: 200,
      },
    ]);
    const spans = sink.spans();
    expect(spans.map((s) => s.name).sort()).toEqual(source.map((s) => s.name).sort());

    const parent = byName(spans, 'CreateVirtualMachine');
    const sent = sourceSpan('CreateVirtualMachine');
    const linked = sourceSpan('LinkedOperation');
    expect(parent).toEqual({
      traceId: sent.spanContext().traceId,
      spanId: sent.spanContext().spanId,
      flags: expect.any(Number),
      name: 'CreateVirtualMachine',
      kind: 'SERVER',
      startTimeUnixNano: hrTimeToNanos(sent.startTime),
      endTimeUnixNano: hrTimeToNanos(sent.endTime),
      attributes: ATTRIBUTES,
      status: { code: 'ERROR', message: 'quota exceeded' },
      events: [
        {
          name: 'vm.scheduled',
          timeUnixNano: hrTimeToNanos(sent.events[0]!.time),
          attributes: { 'node.name': 'n1', attempt: 2 },
        },
        {
          name: 'no.attributes',
          timeUnixNano: hrTimeToNanos(sent.events[1]!.time),
          attributes: {},
        },
      ],
      links: [
        {
          traceId: linked.spanContext().traceId,
          spanId: linked.spanContext().spanId,
          attributes: { 'link.reason': 'follows' },
        },
      ],
      resource: expect.objectContaining({ 'service.name': 'compute', 'service.version': '1.0.0' }),
      scope: { name: 'otlp-sink-test', version: '0.0.1' },
    });
    // W3C sampled bit, as the SDK sampled it (always-on by default).
    expect(parent.flags! & 0xff).toBe(1);
    expect(parent.parentSpanId).toBeUndefined();
    expect(parent.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(parent.spanId).toMatch(/^[0-9a-f]{16}$/);

    const child = byName(spans, 'GetIPAddress');
    expect(child.kind).toBe('CLIENT');
    expect(child.traceId).toBe(parent.traceId);
    expect(child.parentSpanId).toBe(parent.spanId);
    expect(child.status).toEqual({ code: 'OK' });
    expect(child.attributes).toEqual({});

    expect(byName(spans, 'kind.INTERNAL').kind).toBe('INTERNAL');
    expect(byName(spans, 'kind.PRODUCER').kind).toBe('PRODUCER');
    expect(byName(spans, 'kind.CONSUMER').kind).toBe('CONSUMER');
    expect(byName(spans, 'kind.INTERNAL').status).toEqual({ code: 'UNSET' });
    expect(byName(spans, 'LinkedOperation').traceId).not.toBe(parent.traceId);

    const continued = byName(spans, 'ContinueRemote');
    expect(continued.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(continued.parentSpanId).toBe('b7ad6b7169203331');
    expect(continued.traceState).toBe('vendor=value,other=1');
  });
});

it('decodes the same spans to equal objects whatever the encoding', async () => {
  const results = [];
  for (const encoding of ['protobuf', 'json'] as const) {
    sink.clear();
    const exporter = exporters[encoding](sink.urls.traces);
    expect((await exportWith(exporter, source)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    results.push(sink.spans());
  }
  expect(results[1]).toEqual(results[0]);
});
