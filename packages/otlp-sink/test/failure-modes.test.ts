import { Agent, request } from 'node:http';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OtlpSink, SinkResponseMode } from '../src/index.js';
import { startOtlpSink } from '../src/index.js';
import type { ReadableLogRecord, ReadableSpan } from './support.js';
import { exportWith, post } from './support.js';

async function makeSpans(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  provider.getTracer('failure-modes').startSpan('ListVirtualMachines').end();
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

async function makeLogs(): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  provider.getLogger('failure-modes').emit({ body: 'hello' });
  const records = memory.getFinishedLogRecords();
  await provider.shutdown();
  return records;
}

let sink: OtlpSink;
let spans: ReadableSpan[];
beforeAll(async () => {
  sink = await startOtlpSink();
  spans = await makeSpans();
});
afterAll(() => sink.close());
beforeEach(() => {
  sink.respondWith(undefined);
  sink.clear();
});

describe('respondWith, seen by real exporters', () => {
  it('{ status: 500 }: the export fails, nothing is recorded', async () => {
    sink.respondWith({ status: 500 });
    const exporter = new ProtoTraceExporter({ url: sink.urls.traces });
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toMatchObject({ code: 500 });
    expect(sink.spans()).toEqual([]);
    expect(sink.requests()).toEqual([
      {
        signal: 'traces',
        encoding: 'protobuf',
        gzip: false,
        status: 500,
        error: 'answered 500 by respondWith()',
      },
    ]);
  });

  it('{ status: 503, retryAfterSeconds, times: 1 }: the exporter retries and the retry is recorded once', async () => {
    sink.respondWith({ status: 503, retryAfterSeconds: 0, times: 1 });
    const exporter = new JsonTraceExporter({ url: sink.urls.traces });
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(sink.requests().map((r) => r.status)).toEqual([503, 200]);
    expect(sink.spans().map((s) => s.name)).toEqual(['ListVirtualMachines']);
  });

  it('{ status: 429 } sends Retry-After and an OTLP Status body', async () => {
    sink.respondWith({ status: 429, retryAfterSeconds: 7 });
    const answer = await post(sink.urls.metrics, '{}', { 'content-type': 'application/json' });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(JSON.parse(answer.body.toString())).toEqual({
      code: 8,
      message: 'answered 429 by respondWith()',
    });
  });

  it('{ status: 429, times: 1 } on logs: the real proto exporter retries and succeeds', async () => {
    sink.respondWith({ status: 429, retryAfterSeconds: 0, times: 1 });
    const exporter = new ProtoLogExporter({ url: sink.urls.logs });
    const result = await exportWith(exporter, await makeLogs());
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(sink.requests().map((r) => r.status)).toEqual([429, 200]);
    expect(sink.logs().map((l) => l.body)).toEqual(['hello']);
  });

  it('{ destroy: true }: the exporter sees a network error, nothing is recorded', async () => {
    sink.respondWith({ destroy: true });
    // A deadline shorter than the exporter's first retry backoff (1 s) makes the failure final.
    const exporter = new ProtoTraceExporter({ url: sink.urls.traces, timeoutMillis: 500 });
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(sink.spans()).toEqual([]);
    expect(sink.requests()).toEqual([
      expect.objectContaining({
        status: 0,
        error: 'connection destroyed by respondWith({ destroy: true })',
      }),
    ]);
  });

  it('{ delayMs } past the exporter timeout: the exporter gives up, nothing is recorded', async () => {
    sink.respondWith({ delayMs: 60_000 });
    const exporter = new ProtoTraceExporter({ url: sink.urls.traces, timeoutMillis: 300 });
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.FAILED);
    await sink.waitFor(() => sink.requests().length === 1);
    expect(sink.requests()[0]).toMatchObject({
      status: 0,
      error: 'the client went away during the 60000 ms delay',
    });
    expect(sink.spans()).toEqual([]);
  });

  it('{ delayMs } within the exporter timeout: answered late, recorded as usual', async () => {
    sink.respondWith({ delayMs: 50 });
    const exporter = new ProtoTraceExporter({ url: sink.urls.traces });
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(sink.spans()).toHaveLength(1);
    expect(sink.requests().map((r) => r.status)).toEqual([200]);
  });

  it('{ delayMs, destroy }: cuts the connection after the delay', async () => {
    sink.respondWith({ delayMs: 20, destroy: true });
    await expect(
      post(sink.urls.traces, new Uint8Array(), { 'content-type': 'application/x-protobuf' }),
    ).rejects.toThrow();
    expect(sink.requests()[0]!.error).toMatch(/destroyed .* after 20 ms/);
  });

  it('a 2xx status records the data and answers with that status', async () => {
    sink.respondWith({ status: 202 });
    const exporter = new ProtoTraceExporter({ url: sink.urls.traces });
    expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    expect(sink.requests().map((r) => r.status)).toEqual([202]);
    expect(sink.spans()).toHaveLength(1);
  });

  it('times: n applies to the next n requests, then answers normally; undefined restores at once', async () => {
    const send = async () =>
      (await post(sink.urls.logs, new Uint8Array(), { 'content-type': 'application/x-protobuf' }))
        .status;
    sink.respondWith({ status: 503, times: 2 });
    expect([await send(), await send(), await send()]).toEqual([503, 503, 200]);
    sink.respondWith({ status: 500 });
    expect([await send(), await send()]).toEqual([500, 500]);
    sink.respondWith(undefined);
    expect(await send()).toBe(200);
  });

  it.each([
    [{ status: 99 }, 'respondWith: status must be an integer from 200 to 599, got 99'],
    [{ status: 503.5 }, 'respondWith: status must be an integer from 200 to 599, got 503.5'],
    [{ delayMs: -1 }, 'respondWith: delayMs must be a number of milliseconds >= 0, got -1'],
    [
      { delay: 500 },
      'respondWith: "delay" must be one of status, retryAfterSeconds, delayMs, destroy, times',
    ],
    [{ destroy: 'yes' }, 'respondWith: destroy must be true or false, got "yes"'],
    [{ times: 0 }, 'respondWith: times must be an integer >= 1, got 0'],
    [
      { retryAfterSeconds: 1.5 },
      'respondWith: retryAfterSeconds must be a whole number of seconds >= 0',
    ],
    [{ destroy: true, status: 503 }, 'respondWith: status must be left out when destroy is true'],
    [503, 'respondWith: the mode must be an object such as { status: 503 } or undefined, got 503'],
  ])('refuses %j with a TypeError naming the option', (mode, message) => {
    expect(() => sink.respondWith(mode as unknown as SinkResponseMode)).toThrow(TypeError);
    expect(() => sink.respondWith(mode as unknown as SinkResponseMode)).toThrow(message);
  });
});

describe('waitFor', () => {
  it('resolves once the predicate holds', async () => {
    const exporter = new ProtoTraceExporter({ url: sink.urls.traces });
    const exported = exportWith(exporter, spans);
    await sink.waitFor(() => sink.spans().length === 1, { timeoutMs: 5000 });
    expect(sink.spans()[0]!.name).toBe('ListVirtualMachines');
    await exported;
    await exporter.shutdown();
  });

  it('rejects on timeout with what was received so far', async () => {
    const exporter = new ProtoTraceExporter({ url: sink.urls.traces });
    await exportWith(exporter, spans);
    await exporter.shutdown();
    await post(`${sink.endpoint}/v1/nope`, '{}', { 'content-type': 'application/json' });
    const waiting = sink.waitFor(() => sink.spans().length >= 3, {
      timeoutMs: 100,
      intervalMs: 10,
    });
    await expect(waiting).rejects.toThrow(
      'waitFor: the condition was not met within 100 ms. Received so far: 1 span ("ListVirtualMachines"), ' +
        '0 metrics, 0 log records; 1 request: traces/protobuf -> 200; ' +
        '1 rejected request: POST /v1/nope [application/json] -> 404.',
    );
  });

  it('treats a throwing predicate as not yet, and says what it threw', async () => {
    const waiting = sink.waitFor(
      () => {
        throw new Error('expected 1 span');
      },
      { timeoutMs: 50 },
    );
    await expect(waiting).rejects.toThrow('The predicate last threw: expected 1 span.');
  });

  it('refuses a bad timeout', async () => {
    await expect(sink.waitFor(() => true, { timeoutMs: -5 })).rejects.toThrow(
      'waitFor: timeoutMs must be a number of milliseconds >= 0, got -5',
    );
  });
});

describe('startOtlpSink and close', () => {
  it.each([
    [{ port: -1 }, 'startOtlpSink: options.port must be an integer from 0 to 65535, got -1'],
    [{ port: 70000 }, 'startOtlpSink: options.port must be an integer from 0 to 65535, got 70000'],
    [{ host: '' }, 'startOtlpSink: options.host must be a non-empty string'],
    [{ maxBodyBytes: 0 }, 'startOtlpSink: options.maxBodyBytes must be a positive integer, got 0'],
  ])('refuses %j with a TypeError naming the option', async (options, message) => {
    await expect(startOtlpSink(options)).rejects.toThrow(TypeError);
    await expect(startOtlpSink(options)).rejects.toThrow(message);
  });

  it('rejects when the port is taken', async () => {
    await expect(startOtlpSink({ port: sink.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('closes promptly with keep-alive connections and a delayed answer pending', async () => {
    const other = await startOtlpSink();
    const agent = new Agent({ keepAlive: true });
    // An idle keep-alive connection...
    const first = await new Promise<number>((resolve, reject) => {
      const req = request(other.urls.logs, {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-protobuf' },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
    expect(first).toBe(200);
    // ...and a request whose answer is held back.
    other.respondWith({ delayMs: 600_000 });
    const pending = post(other.urls.logs, new Uint8Array(), {
      'content-type': 'application/x-protobuf',
    });
    const settled = pending.then(
      () => 'answered',
      () => 'failed',
    );
    await other.waitFor(() => other.pendingRequests() === 1);
    await other.close();
    await other.close(); // idempotent
    expect(await settled).toBe('failed');
    expect(other.requests().at(-1)).toMatchObject({
      status: 0,
      error: 'the sink closed while the answer was delayed',
    });
    await expect(fetch(other.urls.logs, { method: 'POST' })).rejects.toThrow();
    agent.destroy();
  });
});
