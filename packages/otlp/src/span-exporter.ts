import type { ExportResult } from '@opentelemetry/core';
import { OtlpHttpExport } from './http-export.js';
import { resolveExporterOptions } from './options.js';
import { jsonPartialSuccess, protobufPartialSuccess } from './partial-success.js';
import type { OtlpReadableSpan } from './readable.js';
import { JsonTraceEncoder } from './trace-json.js';
import { ProtobufTraceEncoder } from './trace-protobuf.js';
import type { OtlpHttpExporterOptions } from './types.js';

/**
 * An OTLP/HTTP span exporter (a `SpanExporter` of `@opentelemetry/sdk-trace`) that encodes the
 * SDK's `ReadableSpan`s straight to protobuf or OTLP/JSON bytes (see `ProtobufTraceEncoder`) and
 * sends them over a keep-alive connection with the retries, timeouts and partial-success reports of
 * the stock `@opentelemetry/exporter-trace-otlp-proto` / `-http` 0.301. Put it behind a
 * `BatchSpanProcessor` as the stock one. A bad option throws a `ConfigError` here; nothing throws
 * later.
 */
export class OtlpHttpSpanExporter {
  private readonly delegate: OtlpHttpExport<OtlpReadableSpan>;

  constructor(options: OtlpHttpExporterOptions) {
    const resolved = resolveExporterOptions(options);
    if (resolved.encoding === 'json') {
      const encoder = new JsonTraceEncoder();
      this.delegate = new OtlpHttpExport(resolved, {
        encode: (spans) => encoder.encode(spans),
        contentType: 'application/json',
        partialSuccess: jsonPartialSuccess,
      });
    } else {
      const encoder = new ProtobufTraceEncoder();
      this.delegate = new OtlpHttpExport(resolved, {
        encode: (spans) => encoder.encode(spans),
        contentType: 'application/x-protobuf',
        partialSuccess: (body) => protobufPartialSuccess(body, 'rejectedSpans'),
      });
    }
  }

  /** Sends the batch; `resultCallback` gets SUCCESS, or FAILED with the error. Never throws. */
  export(spans: OtlpReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.delegate.export(spans, resultCallback);
  }

  /** Resolves when the exports in flight have ended. */
  forceFlush(): Promise<void> {
    return this.delegate.forceFlush();
  }

  /** Waits for the exports in flight, then closes the connection; later exports fail. */
  shutdown(): Promise<void> {
    return this.delegate.shutdown();
  }
}
