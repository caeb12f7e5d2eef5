// The exporters against real HTTP servers on 127.0.0.1: retries, Retry-After, timeouts, gzip,
// headers, keep-alive, partial success, shutdown. Attempt counts and order are asserted, never
// how long something took.

import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OtlpHttpExporterOptions } from '../src/index.js';
import { OtlpExportError, OtlpHttpSpanExporter, ProtobufTraceEncoder } from '../src/index.js';
import type { TestCollector } from './support/collector.js';
import { startCollector } from './support/collector.js';
import type { DiagCapture } from './support/diag.js';
import { captureDiag } from './support/diag.js';
import { decodeTraceRequest, encodeTraceResponse, stock } from './support/oracle.js';
import { serverSpans } from './support/spans.js';

let spans: ReadableSpan[];
let collector: TestCollector;
let exporter: OtlpHttpSpanExporter | undefined;
let logs: DiagCapture;

beforeAll(async () => {
  spans = await serverSpans(3);
});
beforeEach(async () => {
  collector = await startCollector();
  logs = captureDiag();
});
afterEach(async () => {
  await exporter?.shutdown();
  exporter = undefined;
  await collector.close();
  logs.restore();
});

function create(options: Partial<OtlpHttpExporterOptions> = {}): OtlpHttpSpanExporter {
  exporter = new OtlpHttpSpanExporter({ url: collector.url, ...options });
  return exporter;
}

function exportBatch(target: SpanExporter, batch = spans): Promise<ExportResult> {
  return new Promise((resolve) => target.export(batch, resolve));
}

describe('the request', () => {
  it('is a POST of the protobuf request to the URL, with our headers and the user’s', async () => {
    const result = await exportBatch(
      create({ headers: { 'x-tenant': 'acme', authorization: 'Bearer t' } }),
    );
    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    const [request] = collector.requests;
    expect(request).toMatchObject({ method: 'POST', url: '/v1/traces' });
    expect(request!.headers).toMatchObject({
      'content-type': 'application/x-protobuf',
      'x-tenant': 'acme',
      authorization: 'Bearer t',
      'content-length': String(request!.rawBody.length),
    });
    expect(request!.headers['user-agent']).toMatch(/^datum-telemetry-otlp\/\d+\.\d+\.\d+/);
    expect(request!.headers['content-encoding']).toBeUndefined();
    expect(decodeTraceRequest(request!.body)).toEqual(
      decodeTraceRequest(stock.traceProtobuf(spans)),
    );
  });

  it('with gzip: Content-Encoding gzip, and the body gunzips to the same bytes as uncompressed', async () => {
    await exportBatch(create({ compression: 'gzip' }));
    const [request] = collector.requests;
    expect(request!.headers['content-encoding']).toBe('gzip');
    expect(request!.rawBody.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(Buffer.compare(request!.body, new ProtobufTraceEncoder().encode(spans))).toBe(0);
  });

  it('with json: application/json, the stock JSON', async () => {
    await exportBatch(create({ encoding: 'json' }));
    const [request] = collector.requests;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body.toString())).toEqual(
      JSON.parse(Buffer.from(stock.traceJson(spans)).toString()),
    );
  });

  it('keeps the connection alive: several exports, one socket', async () => {
    const target = create();
    for (let i = 0; i < 4; i++) await exportBatch(target);
    expect(collector.requests.map((r) => r.socket)).toEqual([0, 0, 0, 0]);
    expect(collector.connections).toBe(1);
  });
});

describe('retries', () => {
  it('retries a 503 and succeeds on the next attempt (Retry-After: 0 means now)', async () => {
    collector.script({ status: 503, headers: { 'retry-after': '0' } });
    const result = await exportBatch(create());
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(collector.requests).toHaveLength(2);
    expect(collector.requests[1]!.body).toEqual(collector.requests[0]!.body);
  });

  it('retries 429 after its own backoff when there is no Retry-After, and 502 and 504', async () => {
    const now = { 'retry-after': '0' };
    collector.script({ status: 429 }, { status: 502, headers: now }, { status: 504, headers: now });
    const result = await exportBatch(create({ timeoutMillis: 20_000 }));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(collector.requests).toHaveLength(4);
  });

  it('honours Retry-After: an HTTP date in the past retries now; a wait past the timeout is not taken', async () => {
    collector.script({ status: 429, headers: { 'retry-after': new Date(0).toUTCString() } });
    expect((await exportBatch(create({ timeoutMillis: 60_000 }))).code).toBe(
      ExportResultCode.SUCCESS,
    );
    expect(collector.requests).toHaveLength(2);

    // One hour asked for, 60 s to go: the exporter gives up after the one attempt.
    collector.script({ status: 503, headers: { 'retry-after': '3600' } });
    const result = await exportBatch(exporter!);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toBeInstanceOf(OtlpExportError);
    expect((result.error as OtlpExportError).code).toBe(503);
    expect(collector.requests).toHaveLength(3);
    expect(logs.infos).toContainEqual(
      expect.stringMatching(/^Export retry time 3600000ms exceeds/),
    );
  });

  it('stops after the first attempt and five retries, the stock exporter’s limit', async () => {
    collector.script(
      ...Array.from({ length: 10 }, () => ({ status: 503, headers: { 'retry-after': '0' } })),
    );
    const result = await exportBatch(create());
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(collector.requests).toHaveLength(6);
    expect(logs.infos).toContain('Export failed after maximum retry attempts (5).');
  });

  it('does not retry a 400: FAILED with the status and the collector’s answer', async () => {
    collector.script({ status: 400, body: 'bad request: no resource' });
    const result = await exportBatch(create());
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toMatchObject({
      name: 'OtlpExportError',
      code: 400,
      data: 'bad request: no resource',
    });
    expect(collector.requests).toHaveLength(1);
  });

  it('retries after the connection is reset, on a new connection', async () => {
    collector.script('reset');
    const result = await exportBatch(create());
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(collector.requests.map((r) => r.socket)).toEqual([0, 1]);
  });

  it('a collector that is not there: FAILED with ECONNREFUSED when the backoff would pass the timeout', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const { port } = free.address() as AddressInfo;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    exporter = new OtlpHttpSpanExporter({
      url: `http://127.0.0.1:${port}/v1/traces`,
      timeoutMillis: 500,
    });
    const result = await exportBatch(exporter);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('times out against a collector that never answers: FAILED, "Request timed out"', async () => {
    collector.script('hang', 'hang');
    const result = await exportBatch(create({ timeoutMillis: 300 }));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe('Request timed out');
    expect(collector.requests).toHaveLength(1);
  });
});

describe('partial success', () => {
  it('is reported through diag.warn in the stock exporter’s words, and the export succeeds', async () => {
    collector.script({
      status: 200,
      headers: { 'content-type': 'application/x-protobuf' },
      body: encodeTraceResponse({ partialSuccess: { rejectedSpans: 2, errorMessage: 'too old' } }),
    });
    expect((await exportBatch(create())).code).toBe(ExportResultCode.SUCCESS);
    expect(logs.warnings).toEqual([
      'Received Partial Success response: {"rejectedSpans":2,"errorMessage":"too old"}',
    ]);
  });

  it('over JSON too; an empty partialSuccess ("all accepted") is not reported', async () => {
    collector.script(
      {
        status: 200,
        body: JSON.stringify({ partialSuccess: { rejectedSpans: '1', errorMessage: 'x' } }),
      },
      { status: 200, body: JSON.stringify({ partialSuccess: {} }) },
      { status: 200, body: 'not json' },
    );
    const target = create({ encoding: 'json' });
    for (let i = 0; i < 3; i++)
      expect((await exportBatch(target)).code).toBe(ExportResultCode.SUCCESS);
    expect(logs.warnings).toEqual([
      'Received Partial Success response: {"rejectedSpans":"1","errorMessage":"x"}',
      expect.stringMatching(/^Export succeeded but could not deserialize response/),
    ]);
  });
});

describe('flush, shutdown and limits', () => {
  it('forceFlush and shutdown wait for the export in flight; later exports fail', async () => {
    let release!: () => void;
    collector.script({ status: 200, after: new Promise<void>((r) => (release = r)) });
    const target = create();
    const events: string[] = [];
    target.export(spans, (result) => events.push(`exported ${result.code}`));
    await collector.waitForRequests(1);
    const flushed = target.forceFlush().then(() => events.push('flushed'));
    const shut = target.shutdown().then(() => events.push('shut down'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
    release();
    await Promise.all([flushed, shut]);
    expect(events).toEqual(['exported 0', 'flushed', 'shut down']);

    const after = await exportBatch(target);
    expect(after.code).toBe(ExportResultCode.FAILED);
    expect(after.error?.message).toBe('the OTLP exporter is shut down');
    expect(collector.requests).toHaveLength(1);
  });

  it('beyond concurrencyLimit exports in flight, one more fails at once', async () => {
    let release!: () => void;
    collector.script({ status: 200, after: new Promise<void>((r) => (release = r)) });
    const target = create({ concurrencyLimit: 1 });
    const first = exportBatch(target);
    const second = await exportBatch(target);
    expect(second).toMatchObject({
      code: ExportResultCode.FAILED,
      error: { message: 'Concurrent export limit reached' },
    });
    release();
    expect((await first).code).toBe(ExportResultCode.SUCCESS);
  });

  it('an empty batch succeeds without a request', async () => {
    expect((await exportBatch(create(), [])).code).toBe(ExportResultCode.SUCCESS);
    expect(collector.requests).toHaveLength(0);
  });

  it('a result callback that throws is reported through diag, not thrown', async () => {
    const target = create();
    const done = new Promise<void>((resolve) => {
      target.export(spans, () => {
        setImmediate(resolve);
        throw new Error('processor bug');
      });
    });
    await done;
    expect(logs.errors).toEqual([
      '@datum-telemetry/otlp: the export result callback threw processor bug',
    ]);
  });
});

describe('options', () => {
  it.each([
    [{}, 'url: is missing; expected an absolute http(s) URL'],
    [{ url: 'ftp://x/v1/traces' }, 'url: got "ftp://x/v1/traces"'],
    [{ url: 'http://x', compression: 'br' }, 'compression: got "br"'],
    [{ url: 'http://x', encoding: 'proto' }, 'encoding: got "proto"'],
    [{ url: 'http://x', timeoutMillis: 0 }, 'timeoutMillis: got 0'],
    [{ url: 'http://x', headers: { a: 1 } }, 'headers.a: got 1'],
    [{ url: 'http://x', timeout: 5 }, 'timeout: unknown option; did you mean "timeoutMillis"?'],
  ])('%j throws a ConfigError: %s', (options, message) => {
    expect(() => new OtlpHttpSpanExporter(options as OtlpHttpExporterOptions)).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(message) }),
    );
  });
});
