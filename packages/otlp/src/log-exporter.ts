import type { ExportResult } from '@opentelemetry/core';
import { OtlpHttpExport } from './http-export.js';
import { JsonLogsEncoder } from './logs-json.js';
import { ProtobufLogsEncoder } from './logs-protobuf.js';
import { resolveExporterOptions } from './options.js';
import { jsonPartialSuccess, protobufPartialSuccess } from './partial-success.js';
import type { OtlpReadableLogRecord } from './readable.js';
import type { OtlpHttpExporterOptions } from './types.js';

/**
 * An OTLP/HTTP log record exporter (a `LogRecordExporter` of `@opentelemetry/sdk-logs`) that
 * encodes the SDK's `ReadableLogRecord`s straight to protobuf or OTLP/JSON bytes (see
 * `ProtobufLogsEncoder`) and sends them as `OtlpHttpSpanExporter` sends spans, with the
 * behaviour of the stock `@opentelemetry/exporter-logs-otlp-proto` / `-http` 0.301.
 */
export class OtlpHttpLogRecordExporter {
  private readonly delegate: OtlpHttpExport<OtlpReadableLogRecord>;

  constructor(options: OtlpHttpExporterOptions) {
    const resolved = resolveExporterOptions(options);
    if (resolved.encoding === 'json') {
      const encoder = new JsonLogsEncoder();
      this.delegate = new OtlpHttpExport(resolved, {
        encode: (records) => encoder.encode(records),
        contentType: 'application/json',
        partialSuccess: jsonPartialSuccess,
      });
    } else {
      const encoder = new ProtobufLogsEncoder();
      this.delegate = new OtlpHttpExport(resolved, {
        encode: (records) => encoder.encode(records),
        contentType: 'application/x-protobuf',
        partialSuccess: (body) => protobufPartialSuccess(body, 'rejectedLogRecords'),
      });
    }
  }

  /** Sends the batch; `resultCallback` gets SUCCESS, or FAILED with the error. Never throws. */
  export(records: OtlpReadableLogRecord[], resultCallback: (result: ExportResult) => void): void {
    this.delegate.export(records, resultCallback);
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
