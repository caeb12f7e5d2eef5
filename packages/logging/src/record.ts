import type { SpanContext } from '@opentelemetry/api';

/**
 * A record as bunyan builds it: `name`, `hostname`, `pid`, the logger's fields, `level`, the call's
 * fields, `msg`, `time`, `v`.
 */
export interface BunyanRecord {
  level: number;
  msg: string;
  time: Date;
  [field: string]: unknown;
}

/**
 * One place records go: JSON lines, pretty lines, or the OTLP export. `spanContext` is the active
 * span's, when there is a valid one.
 */
export interface RecordOutput {
  write(record: BunyanRecord, spanContext: SpanContext | undefined): void;
}
