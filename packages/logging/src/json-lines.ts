import type { LogLineRecord, LogLineWriter } from '@datum-telemetry/conventions/log-line';
import { LineWriter } from '@datum-telemetry/conventions/log-line';
import type { SpanContext } from '@opentelemetry/api';
import { diag } from '@opentelemetry/api';
import type { RecordOutput } from './record.js';
import type { LogStream } from './types.js';

/** A failing stream, told to the OpenTelemetry diag logger. */
export function reportStreamFailure(message: string, error: unknown): void {
  diag.error(`@datum-telemetry/logging: ${message}`, error);
}

/** Writes bunyan's JSON format, one line per record. */
export class JsonLinesOutput implements RecordOutput {
  readonly #lines: LineWriter;
  readonly #writer: LogLineWriter;

  constructor(stream: LogStream, writer: LogLineWriter) {
    this.#lines = new LineWriter(stream, reportStreamFailure);
    this.#writer = writer;
  }

  write(record: LogLineRecord, spanContext: SpanContext | undefined): void {
    this.#lines.write(this.#writer.recordLine(record, spanContext));
  }

  /** Writes a line made by `LogLineWriter.line`. */
  writeLine(line: string): void {
    this.#lines.write(line);
  }
}
