// OTLP/gRPC: the real OpenTelemetry gRPC exporters (@grpc/grpc-js clients) export traces,
// metrics and logs to the sink's second port, plain and gzip; failure modes reach the exporters
// as the gRPC statuses a collector answers; and bad calls made with node:http2 get the status
// each deserves while the receiver keeps serving.
import { connect } from 'node:http2';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OtlpSink } from '../src/index.js';
import { startOtlpSink } from '../src/index.js';
import type { ReadableLogRecord, ReadableSpan } from './support.js';
import { exportWith, ManualReader } from './support.js';

const resource = resourceFromAttributes({ 'service.name': 'compute' });

async function makeSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource,
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const span = provider.getTracer('grpc-test').startSpan('GetVirtualMachine', {
    attributes: { 'resource.kind': 'VirtualMachine', 'http.response.status_code': 200 },
  });
  span.end();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

async function makeLogs(): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource,
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  provider.getLogger('grpc-test').emit({ body: 'request completed', attributes: { code: 200 } });
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

/** Calls `path` over HTTP/2 and resolves with the response headers, body and trailers. */
function call(
  endpoint: string,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  grpcStatus?: string;
  grpcMessage?: string;
  headers: Record<string, unknown>;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const session = connect(endpoint);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    let status = 0;
    let responseHeaders: Record<string, unknown> = {};
    let grpcStatus: string | undefined;
    let grpcMessage: string | undefined;
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      responseHeaders = { ...h };
      status = Number(h[':status']);
      if (h['grpc-status'] !== undefined) grpcStatus = String(h['grpc-status']);
    });
    stream.on('trailers', (t) => {
      grpcStatus = String(t['grpc-status']);
      if (t['grpc-message'] !== undefined)
        grpcMessage = decodeURIComponent(String(t['grpc-message']));
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      session.close();
      resolve({
        status,
        grpcStatus,
        grpcMessage,
        headers: responseHeaders,
        body: Buffer.concat(chunks),
      });
    });
    stream.on('error', reject);
    stream.end(body);
  });
}

function frame(message: Buffer, compressed = false): Buffer {
  const prefix = Buffer.alloc(5);
  prefix[0] = compressed ? 1 : 0;
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

let sink: OtlpSink;
let spans: ReadableSpan[];
beforeAll(async () => {
  sink = await startOtlpSink({ grpc: true });
  spans = await makeSpans();
});
afterAll(() => sink.close());
beforeEach(() => {
  sink.respondWith(undefined);
  sink.clear();
});

describe('the OpenTelemetry gRPC exporters', () => {
  it('export spans: decoded as over HTTP, recorded as gRPC calls', async () => {
    expect(sink.grpcEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sink.grpcEndpoint).not.toBe(sink.endpoint);
    const exporter = new OTLPTraceExporter({ url: sink.grpcEndpoint });
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const [span] = sink.spans();
    expect(span).toMatchObject({
      name: 'GetVirtualMachine',
      traceId: spans[0]!.spanContext().traceId,
      spanId: spans[0]!.spanContext().spanId,
      attributes: { 'resource.kind': 'VirtualMachine', 'http.response.status_code': 200 },
      resource: { 'service.name': 'compute' },
    });
    expect(sink.requests()).toEqual([
      {
        signal: 'traces',
        encoding: 'protobuf',
        transport: 'grpc',
        gzip: false,
        status: 200,
        grpcStatus: 0,
      },
    ]);
  });

  it('the same spans over gRPC and over HTTP decode to the same objects', async () => {
    const grpc = new OTLPTraceExporter({ url: sink.grpcEndpoint });
    const http = new ProtoTraceExporter({ url: sink.urls.traces });
    await exportWith(grpc, spans);
    await exportWith(http, spans);
    await Promise.all([grpc.shutdown(), http.shutdown()]);
    const [overGrpc, overHttp] = sink.spans();
    expect(overGrpc).toEqual(overHttp);
    expect(sink.requests().map((r) => r.transport)).toEqual(['grpc', undefined]);
  });

  it('export metrics and logs, gzip-compressed', async () => {
    const reader = new ManualReader();
    const provider = new MeterProvider({ resource, readers: [reader] });
    provider
      .getMeter('grpc-test')
      .createCounter('compute.vm.requests.total')
      .add(3, { operation: 'Get' });
    const { resourceMetrics } = await reader.collect();
    await provider.shutdown();
    const metricExporter = new OTLPMetricExporter({
      url: sink.grpcEndpoint,
      compression: 'gzip' as never,
    });
    const logExporter = new OTLPLogExporter({
      url: sink.grpcEndpoint,
      compression: 'gzip' as never,
    });
    expect((await exportWith(metricExporter, resourceMetrics)).code).toBe(ExportResultCode.SUCCESS);
    expect((await exportWith(logExporter, await makeLogs())).code).toBe(ExportResultCode.SUCCESS);
    await Promise.all([metricExporter.shutdown(), logExporter.shutdown()]);

    const [metric] = sink.metrics();
    expect(metric).toMatchObject({ name: 'compute.vm.requests.total', type: 'sum' });
    expect(metric!.points[0]).toMatchObject({ value: 3, attributes: { operation: 'Get' } });
    expect(sink.logs()[0]).toMatchObject({ body: 'request completed', attributes: { code: 200 } });
    expect(sink.requests().map((r) => [r.signal, r.gzip, r.grpcStatus])).toEqual([
      ['metrics', true, 0],
      ['logs', true, 0],
    ]);
  });
});

describe('respondWith over gRPC', () => {
  it.each([
    [503, 14, 'UNAVAILABLE'],
    [429, 8, 'RESOURCE_EXHAUSTED'],
    [500, 13, 'INTERNAL'],
  ])(
    '{ status: %i, times: 1 }: the client gets gRPC status %i (%s), then the next export succeeds',
    async (status, code) => {
      sink.respondWith({ status, times: 1 });
      const exporter = new OTLPTraceExporter({ url: sink.grpcEndpoint });
      const failed = await exportWith(exporter, spans);
      const next = await exportWith(exporter, spans);
      await exporter.shutdown();
      expect(failed.code).toBe(ExportResultCode.FAILED);
      // What @grpc/grpc-js read from the trailers.
      expect((failed.error as { code?: number } | undefined)?.code).toBe(code);
      expect(next.code).toBe(ExportResultCode.SUCCESS);
      expect(sink.requests().map((r) => [r.status, r.grpcStatus])).toEqual([
        [status, code],
        [200, 0],
      ]);
      expect(sink.spans()).toHaveLength(1);
    },
  );

  it('{ status: 400 }: INVALID_ARGUMENT, the export fails at once and nothing is recorded', async () => {
    sink.respondWith({ status: 400 });
    const exporter = new OTLPTraceExporter({ url: sink.grpcEndpoint });
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(sink.requests()).toEqual([
      {
        signal: 'traces',
        encoding: 'protobuf',
        transport: 'grpc',
        gzip: false,
        status: 400,
        grpcStatus: 3,
        error: 'answered 400 by respondWith()',
      },
    ]);
    expect(sink.spans()).toEqual([]);
  });

  it('{ destroy: true }: that call is reset and fails; the next one succeeds', async () => {
    sink.respondWith({ destroy: true, times: 1 });
    const exporter = new OTLPTraceExporter({ url: sink.grpcEndpoint, timeoutMillis: 2000 });
    const first = await exportWith(exporter, spans);
    const again = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(first.code).toBe(ExportResultCode.FAILED);
    expect(first.error?.message).toMatch(/RST_STREAM/);
    expect(again.code).toBe(ExportResultCode.SUCCESS);
    expect(sink.requests().map((r) => [r.status, r.grpcStatus, r.error])).toEqual([
      [0, undefined, 'stream reset by respondWith({ destroy: true })'],
      [200, 0, undefined],
    ]);
    expect(sink.spans()).toHaveLength(1);
  });

  it('{ destroy: true } resets only its own call: another on the same connection goes on', async () => {
    const logs = new OTLPLogExporter({ url: sink.grpcEndpoint });
    const traces = new OTLPTraceExporter({ url: sink.grpcEndpoint });
    sink.respondWith({ delayMs: 300, times: 1 });
    const delayed = exportWith(logs, await makeLogs());
    await sink.waitFor(() => sink.pendingRequests() === 1);
    sink.respondWith({ destroy: true, times: 1 });
    const reset = await exportWith(traces, spans);
    const held = await delayed;
    await Promise.all([logs.shutdown(), traces.shutdown()]);
    expect(reset.code).toBe(ExportResultCode.FAILED);
    expect(held.code).toBe(ExportResultCode.SUCCESS);
    expect(sink.logs()).toHaveLength(1);
    expect(sink.spans()).toEqual([]);
  });
});

describe('bad gRPC calls: the status each gets, nothing recorded, the receiver keeps serving', () => {
  it('an unknown method gets UNIMPLEMENTED and is listed as rejected', async () => {
    const answer = await call(sink.grpcEndpoint!, '/foo.Bar/Export', frame(Buffer.alloc(0)));
    expect(answer.status).toBe(200);
    expect(answer.grpcStatus).toBe('12');
    expect(answer.grpcMessage).toBe('unknown method POST /foo.Bar/Export');
    expect(sink.rejected()).toEqual([
      {
        method: 'POST',
        path: '/foo.Bar/Export',
        contentType: 'application/grpc',
        status: 404,
        transport: 'grpc',
      },
    ]);
    expect(sink.requests()).toEqual([]);
  });

  it('a call that is not gRPC gets HTTP 415', async () => {
    const answer = await call(sink.grpcEndpoint!, TRACE_EXPORT, Buffer.from('{}'), {
      'content-type': 'application/json',
    });
    expect(answer.status).toBe(415);
    expect(sink.rejected()[0]).toMatchObject({ status: 415, transport: 'grpc' });
  });

  it.each([
    ['a body shorter than the 5-byte prefix', Buffer.from([0, 0]), /needs a 5-byte prefix/],
    ['a compressed flag that is neither 0 nor 1', Buffer.from([7, 0, 0, 0, 0]), /must be 0 or 1/],
    [
      'a length that does not match the body',
      Buffer.from([0, 0, 0, 0, 9, 1, 2]),
      /announces 9 bytes but 2 followed/,
    ],
    [
      'a compressed message with no grpc-encoding',
      frame(Buffer.from([1, 2, 3]), true),
      /marked compressed but no grpc-encoding/,
    ],
    [
      'bytes that are not an OTLP message',
      frame(Buffer.from([0x0a, 0xff, 0xff])),
      /^ExportTraceServiceRequest: the length of resource_spans is a truncated varint$/,
    ],
  ])('%s: INVALID_ARGUMENT with the reason', async (_what, body, reason) => {
    const answer = await call(sink.grpcEndpoint!, TRACE_EXPORT, body);
    expect(answer.grpcStatus).toBe('3');
    expect(answer.grpcMessage).toMatch(reason);
    expect(sink.requests()).toEqual([
      expect.objectContaining({ status: 400, grpcStatus: 3, transport: 'grpc' }),
    ]);
    expect(sink.requests()[0]!.error).toMatch(reason);
    expect(sink.spans()).toEqual([]);
  });

  it('an unsupported grpc-encoding gets UNIMPLEMENTED and the encodings it accepts', async () => {
    const answer = await call(sink.grpcEndpoint!, TRACE_EXPORT, frame(Buffer.alloc(0), true), {
      'grpc-encoding': 'snappy',
    });
    expect(answer.grpcStatus).toBe('12');
    expect(answer.grpcMessage).toBe('unsupported grpc-encoding "snappy"');
    expect(answer.headers['grpc-accept-encoding']).toBe('identity,gzip,deflate');
  });

  it('a compressed flag under grpc-encoding identity gets INVALID_ARGUMENT saying so', async () => {
    const answer = await call(sink.grpcEndpoint!, TRACE_EXPORT, frame(Buffer.from([1]), true), {
      'grpc-encoding': 'identity',
    });
    expect(answer.grpcStatus).toBe('3');
    expect(answer.grpcMessage).toBe(
      'the message is marked compressed but grpc-encoding is "identity"',
    );
  });

  it('grpc-encoding gzip on a message that is not compressed is fine, and not counted as gzip', async () => {
    const answer = await call(sink.grpcEndpoint!, TRACE_EXPORT, frame(Buffer.alloc(0)), {
      'grpc-encoding': 'gzip',
    });
    expect(answer.grpcStatus).toBe('0');
    expect(sink.requests()[0]).toMatchObject({ gzip: false, grpcStatus: 0 });
  });

  it('a content type of another protocol (gRPC-Web) gets HTTP 415', async () => {
    const answer = await call(sink.grpcEndpoint!, TRACE_EXPORT, frame(Buffer.alloc(0)), {
      'content-type': 'application/grpc-web',
    });
    expect(answer.status).toBe(415);
    expect(sink.requests()).toEqual([]);
  });

  it.each([
    ['halfway through the prefix', Buffer.from([0, 0, 0])],
    ['with the whole message sent but the stream never ended', frame(Buffer.alloc(0))],
  ])('a connection dropped %s: recorded as unanswered, nothing stored', async (_when, bytes) => {
    const session = connect(sink.grpcEndpoint!);
    session.on('error', () => undefined);
    const stream = session.request({
      ':method': 'POST',
      ':path': TRACE_EXPORT,
      'content-type': 'application/grpc',
    });
    stream.on('error', () => undefined);
    stream.write(bytes);
    await sink.waitFor(() => sink.pendingRequests() === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    session.destroy();
    await sink.waitFor(() => sink.requests().length === 1 && sink.pendingRequests() === 0);
    expect(sink.requests()).toEqual([
      {
        signal: 'traces',
        encoding: 'protobuf',
        transport: 'grpc',
        gzip: false,
        status: 0,
        error: 'the client closed the stream before the call ended',
      },
    ]);
    expect(sink.spans()).toEqual([]);
  });

  it('an empty request is a valid export of nothing', async () => {
    const answer = await call(sink.grpcEndpoint!, TRACE_EXPORT, frame(Buffer.alloc(0)));
    expect(answer.grpcStatus).toBe('0');
    expect(answer.body).toEqual(Buffer.from([0, 0, 0, 0, 0]));
    expect(sink.spans()).toEqual([]);
    // And a real export still works after all of the above.
    const exporter = new OTLPTraceExporter({ url: sink.grpcEndpoint });
    expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
  });
});

describe('options', () => {
  it('grpc must be a boolean; without it there is no gRPC endpoint', async () => {
    await expect(startOtlpSink({ grpc: 'yes' as never })).rejects.toThrow(
      'startOtlpSink: options.grpc must be true or false, got yes',
    );
    const plain = await startOtlpSink();
    expect(plain.grpcEndpoint).toBeUndefined();
    await plain.close();
  });

  it('close() ends open gRPC sessions', async () => {
    const other = await startOtlpSink({ grpc: true });
    const session = connect(other.grpcEndpoint!);
    await new Promise((resolve) => session.once('connect', resolve));
    const closed = new Promise((resolve) => session.once('close', resolve));
    await other.close();
    await closed;
    expect(session.destroyed).toBe(true);
  });
});
