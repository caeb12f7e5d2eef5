// The two exporters as the SDK uses them: behind its processors, with its real spans and log
// records; what they send is what the stock serializers write; their own requests make no span.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { ExportResult } from '@opentelemetry/core';
import { ExportResultCode, isTracingSuppressed } from '@opentelemetry/core';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OtlpHttpLogRecordExporter, OtlpHttpSpanExporter } from '../src/index.js';
import type { TestCollector } from './support/collector.js';
import { startCollector } from './support/collector.js';
import { captureDiag } from './support/diag.js';
import {
  decodeLogsRequest,
  decodeTraceRequest,
  encodeLogsResponse,
  stock,
} from './support/oracle.js';
import { logRecords, resource, serverSpans } from './support/spans.js';

let collector: TestCollector;
beforeEach(async () => {
  collector = await startCollector();
});
afterEach(async () => {
  await collector.close();
});

describe('OtlpHttpSpanExporter', () => {
  it('is an SDK SpanExporter', () => {
    const exporter: SpanExporter = new OtlpHttpSpanExporter({ url: collector.url });
    return exporter.shutdown();
  });

  it('a batch it cannot encode fails (FAILED with the error) and sends nothing; it never throws', async () => {
    const exporter = new OtlpHttpSpanExporter({ url: collector.url });
    const [good] = await serverSpans(1);
    const bad = { ...good!, spanContext: undefined };
    const result = await new Promise<ExportResult>((resolve) => {
      expect(() => exporter.export([bad as never], resolve)).not.toThrow();
    });
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error).toBeInstanceOf(TypeError);
    expect(collector.requests).toHaveLength(0);
    await exporter.shutdown();
  });
});

describe('its own requests run with tracing suppressed', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(() => context.disable());

  it('even when called outside the SDK processors (which suppress tracing themselves)', async () => {
    const seen: boolean[] = [];
    const onCreated = () => seen.push(isTracingSuppressed(context.active()));
    subscribe('http.client.request.created', onCreated);
    try {
      const exporter = new OtlpHttpSpanExporter({ url: collector.url });
      collector.script({ status: 503, headers: { 'retry-after': '0' } });
      await new Promise((resolve) => exporter.export(serverSpansSync, resolve));
      await exporter.shutdown();
    } finally {
      unsubscribe('http.client.request.created', onCreated);
    }
    // The first attempt and the retry.
    expect(seen).toEqual([true, true]);
  });
});

let serverSpansSync: Awaited<ReturnType<typeof serverSpans>>;
beforeAll(async () => {
  serverSpansSync = await serverSpans(2);
});

describe.each(['protobuf', 'json'] as const)('OtlpHttpLogRecordExporter (%s)', (encoding) => {
  it('behind the SDK batch processor: sends what the stock serializer writes', async () => {
    const records = await logRecords(5);
    collector.script({
      status: 200,
      body: encoding === 'json' ? '{}' : encodeLogsResponse({}),
    });
    const exporter: LogRecordExporter = new OtlpHttpLogRecordExporter({
      url: collector.url.replace('traces', 'logs'),
      encoding,
    });
    const result = await new Promise<ExportResult>((resolve) => exporter.export(records, resolve));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    const [request] = collector.requests;
    expect(request!.url).toBe('/v1/logs');
    if (encoding === 'json') {
      expect(JSON.parse(request!.body.toString())).toEqual(
        JSON.parse(Buffer.from(stock.logsJson(records)).toString()),
      );
    } else {
      expect(decodeLogsRequest(request!.body)).toEqual(
        decodeLogsRequest(stock.logsProtobuf(records)),
      );
    }
    await exporter.shutdown();
  });

  it('through a LoggerProvider: forceFlush delivers, and partial successes are reported', async () => {
    const logs = captureDiag();
    try {
      collector.script({
        status: 200,
        body:
          encoding === 'json'
            ? JSON.stringify({ partialSuccess: { rejectedLogRecords: '1' } })
            : encodeLogsResponse({ partialSuccess: { rejectedLogRecords: 1 } }),
      });
      const provider = new LoggerProvider({
        resource,
        processors: [
          new BatchLogRecordProcessor({
            exporter: new OtlpHttpLogRecordExporter({ url: collector.url, encoding }),
          }),
        ],
      });
      provider.getLogger('test').emit({ body: 'hello', severityNumber: 9 });
      await provider.forceFlush();
      await provider.shutdown();
      expect(collector.requests).toHaveLength(1);
      const decoded =
        encoding === 'json'
          ? JSON.parse(collector.requests[0]!.body.toString())
          : decodeLogsRequest(collector.requests[0]!.body);
      expect(decoded.resourceLogs[0].scopeLogs[0].logRecords[0].body).toEqual({
        stringValue: 'hello',
      });
      expect(logs.warnings).toEqual([
        `Received Partial Success response: {"rejectedLogRecords":${encoding === 'json' ? '"1"' : '1'}}`,
      ]);
    } finally {
      logs.restore();
    }
  });
});

describe('spans behind the SDK', () => {
  it('trace requests decode like the stock serializer’s', async () => {
    const spans = await serverSpans(20);
    const exporter = new OtlpHttpSpanExporter({ url: collector.url });
    await new Promise((resolve) => exporter.export(spans, resolve));
    await exporter.shutdown();
    expect(decodeTraceRequest(collector.requests[0]!.body)).toEqual(
      decodeTraceRequest(stock.traceProtobuf(spans)),
    );
  });
});
