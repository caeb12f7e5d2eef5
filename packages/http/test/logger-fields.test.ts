// A plain (bunyan-like) logger gets the trace ids as explicit fields; a context-aware one (the
// built-in logger, @datum-telemetry/logging) is left to read them from the active context.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { beforeAll, expect, it } from 'vitest';
import type { RequestInfo, RequestLogger } from '../src/index.js';
import { createHttpTelemetry } from '../src/index.js';
import { CONTEXT_AWARE_LOGGER } from '../src/internal.js';

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider());
});

const request: RequestInfo = {
  method: 'GET',
  path: '/x',
  query: undefined,
  headers: {},
  scheme: 'http',
  serverAddress: undefined,
  serverPort: undefined,
  clientAddress: undefined,
  httpVersion: '1.1',
};

function recordingLogger(aware: boolean) {
  const children: Record<string, unknown>[] = [];
  const calls: Array<{ fields: Record<string, unknown>; active: string | undefined }> = [];
  const make = (): RequestLogger => {
    const log = (fields: Record<string, unknown>) =>
      calls.push({ fields, active: trace.getSpanContext(context.active())?.spanId });
    const logger: RequestLogger & { [CONTEXT_AWARE_LOGGER]?: boolean } = {
      child: (fields) => {
        children.push(fields);
        return make();
      },
      trace: log,
      debug: log,
      info: log,
      warn: log,
      error: log,
      fatal: log,
    };
    if (aware) logger[CONTEXT_AWARE_LOGGER] = true;
    return logger;
  };
  return { logger: make(), children, calls };
}

it('a plain logger gets trace_id, span_id and trace_flags as fields', () => {
  const { logger, children, calls } = recordingLogger(false);
  const rec = createHttpTelemetry({ logger, metrics: false }).start(request)!;
  void rec.log;
  rec.end({ statusCode: 200 });
  const { spanId, traceId } = rec.span.spanContext();
  expect(children[0]).toMatchObject({ trace_id: traceId, span_id: spanId, trace_flags: '01' });
  expect(calls[0]!.fields).toMatchObject({ trace_id: traceId, span_id: spanId });
});

it('a context-aware logger gets no trace fields, and the access line is written inside the span', () => {
  const { logger, children, calls } = recordingLogger(true);
  const rec = createHttpTelemetry({ logger, metrics: false }).start(request)!;
  void rec.log;
  rec.end({ statusCode: 200 });
  expect(children[0]).not.toHaveProperty('trace_id');
  expect(calls[0]!.fields).not.toHaveProperty('trace_id');
  expect(calls[0]!.active).toBe(rec.span.spanContext().spanId);
});
