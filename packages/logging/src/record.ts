import type { LogLineRecord } from '@datum-telemetry/conventions/log-line';
import type { SpanContext } from '@opentelemetry/api';

/**
 * One place records go: JSON lines, pretty lines, or the OTLP export. `spanContext` is the active
 * span's, when there is a valid one.
 */
export interface RecordOutput {
  write(record: LogLineRecord, spanContext: SpanContext | undefined): void;
}
