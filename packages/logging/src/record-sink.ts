import type { LogLineRecord } from '@datum-telemetry/conventions/log-line';
import type { SpanContext } from '@opentelemetry/api';
import { context, diag, isSpanContextValid, trace } from '@opentelemetry/api';
import type { RecordOutput } from './record.js';

/** The active span's context when it is valid: what every line and record carries. */
export function activeSpanContext(): SpanContext | undefined {
  try {
    const spanContext = trace.getSpanContext(context.active());
    return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext : undefined;
  } catch (error) {
    diag.error('@datum-telemetry/logging: could not read the trace context', error);
    return undefined;
  }
}

/**
 * The one bunyan `raw` stream of a logger: reads the active span's context and hands each record
 * to every output. It runs synchronously inside the log call, so `context.active()` is the
 * caller's context. It uses the OpenTelemetry API only: with no context manager registered or no
 * span active, the lookup is a single map read.
 */
export class RecordSink {
  readonly outputs: RecordOutput[] = [];

  /** bunyan hands a raw stream its record object. */
  write(raw: object): void {
    const record = raw as LogLineRecord;
    const spanContext = activeSpanContext();
    for (let i = 0; i < this.outputs.length; i++) {
      try {
        this.outputs[i]!.write(record, spanContext);
      } catch (error) {
        diag.error('@datum-telemetry/logging: a log output failed', error);
      }
    }
  }
}
