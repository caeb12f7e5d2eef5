import type { QueueDropCounter } from '@datum-telemetry/config/self-metrics';
import type { LogLineRecord } from '@datum-telemetry/conventions/log-line';
import type { LogRecord, Logger as OtelLogger, SpanContext } from '@opentelemetry/api';
import type { RecordOutput } from '../record.js';
import { toLogRecord } from './log-record.js';

/**
 * Hands every record to the OpenTelemetry logs SDK. The SDK is imported lazily, so records written
 * before it is ready wait here, at most `maxPending` of them (the batch queue's size); more are
 * dropped and counted in the drop counter. After `close()` records are no longer exported (lines still are written).
 */
export class OtlpOutput implements RecordOutput {
  readonly #maxPending: number;
  #pending: LogRecord[] | undefined = [];
  #logger: OtelLogger | undefined;
  #closed = false;
  readonly #drops: QueueDropCounter;

  constructor(maxPending: number, drops: QueueDropCounter) {
    this.#maxPending = maxPending;
    this.#drops = drops;
  }

  write(record: LogLineRecord, spanContext: SpanContext | undefined): void {
    if (this.#closed) return;
    const logRecord = toLogRecord(record, spanContext);
    if (this.#logger !== undefined) {
      this.#logger.emit(logRecord);
    } else if (this.#pending !== undefined && this.#pending.length < this.#maxPending) {
      this.#pending.push(logRecord);
    } else {
      this.#drops.record(1);
    }
  }

  /** The SDK is ready: export what waited, then every record as it comes. */
  attach(logger: OtelLogger): void {
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    this.#logger = logger;
    for (const logRecord of pending) logger.emit(logRecord);
  }

  /** The SDK could not start: stop holding records. */
  abandon(): void {
    this.#pending = undefined;
    this.#closed = true;
  }

  /** Stop exporting new records (shutdown); records already waiting are still exported. */
  close(): void {
    this.#closed = true;
  }
}
