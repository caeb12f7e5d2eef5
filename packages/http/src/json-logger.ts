import { hostname } from 'node:os';
import { context, trace } from '@opentelemetry/api';
import type { RequestLogger } from './types.js';

/**
 * Set to `true` on a logger that adds `trace_id`, `span_id` and `trace_flags` from the active
 * context by itself (the built-in logger, `@datum-telemetry/logging`). The middleware then leaves
 * those fields to it, and otherwise (a plain bunyan logger) passes them explicitly.
 */
export const CONTEXT_AWARE_LOGGER: unique symbol = Symbol.for(
  '@datum-telemetry/logger.context-aware',
) as never;

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
type Level = keyof typeof LEVELS;

/** Where the built-in logger writes: anything with `write(line)`. */
export interface LineSink {
  write(line: string): unknown;
}

function serializeError(error: Error): Record<string, unknown> {
  return { type: error.name, message: error.message, stack: error.stack };
}

/**
 * The logger used when none is given: bunyan-shaped JSON lines (`level`, `time`, `msg`, fields),
 * so the access log is readable without installing a logging package. Fields are JSON-encoded, so
 * a newline in a value cannot start a second line.
 */
export function createJsonLogger(
  sink: LineSink = process.stdout,
  base: Record<string, unknown> = {},
  minLevel: Level = 'info',
): RequestLogger {
  const head = { name: 'http', hostname: hostname(), pid: process.pid, ...base };
  const min = LEVELS[minLevel];
  const emit = (level: Level, args: unknown[]) => {
    if (LEVELS[level] < min) return;
    let fields: Record<string, unknown> | undefined;
    let i = 0;
    const first = args[0];
    if (first instanceof Error) {
      fields = { err: serializeError(first) };
      i = 1;
    } else if (first !== null && typeof first === 'object') {
      fields = first as Record<string, unknown>;
      i = 1;
    }
    const msg = args.slice(i).map(String).join(' ');
    const sc = trace.getSpanContext(context.active());
    if (sc !== undefined && trace.isSpanContextValid(sc)) {
      fields = {
        ...fields,
        trace_id: sc.traceId,
        span_id: sc.spanId,
        trace_flags: sc.traceFlags === 1 ? '01' : '00',
      };
    }
    try {
      sink.write(
        `${JSON.stringify({ ...head, ...fields, level: LEVELS[level], time: new Date().toISOString(), msg, v: 0 })}\n`,
      );
    } catch {
      // A field that cannot be serialized (a BigInt, a cycle) loses its fields, not the line.
      sink.write(
        `${JSON.stringify({ ...head, level: LEVELS[level], time: new Date().toISOString(), msg, v: 0 })}\n`,
      );
    }
  };
  const logger: RequestLogger & { readonly [CONTEXT_AWARE_LOGGER]: true } = {
    [CONTEXT_AWARE_LOGGER]: true,
    child: (fields) => createJsonLogger(sink, { ...base, ...fields }, minLevel),
    trace: (...args) => emit('trace', args),
    debug: (...args) => emit('debug', args),
    info: (...args) => emit('info', args),
    warn: (...args) => emit('warn', args),
    error: (...args) => emit('error', args),
    fatal: (...args) => emit('fatal', args),
  };
  return logger;
}
