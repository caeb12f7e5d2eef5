// The Level 2 `random-trace-id` flag (W3C Trace Context Level 2 §3.2.2.5.2) on the spans a
// service starts under a received context: what the exporter gets and what the next call is sent.
// The SDK's own `Tracer` sets a new span's flags from the sampling decision alone, so each row that
// expects `0x02` on a child failed before `carryRandomTraceIdFlag`.
import type { Context, SpanContext } from '@opentelemetry/api';
import {
  context,
  INVALID_SPAN_CONTEXT,
  propagation,
  ROOT_CONTEXT,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { carryRandomTraceIdFlag, RANDOM_TRACE_ID_FLAG } from '../src/random-trace-id.js';
import type { TestTracing } from '../src/testing/index.js';
import { createTestTracing } from '../src/testing/index.js';

const TID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SID = '00f067aa0ba902b7';

let tracing: TestTracing;

beforeAll(() => {
  tracing = createTestTracing({ service: 'random-flag' });
});
afterAll(() => tracing.shutdown());
beforeEach(() => tracing.reset());

/** The context a request with `traceparent: 00-TID-SID-{flags}` gives, through the propagator. */
function received(flags: string): Context {
  return propagation.extract(ROOT_CONTEXT, { traceparent: `00-${TID}-${SID}-${flags}` });
}

/** The `traceparent` the registered propagator writes for `ctx`. */
function sent(ctx: Context): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

describe('random-trace-id is carried from a parent to the spans started under it', () => {
  it('received 03: the sampled child and its own child keep 03, exported and sent (L2 §3.2.2.5.2)', () => {
    const tracer = tracing.tracer();
    const server = tracer.startSpan('server', {}, received('03'));
    const inServer = trace.setSpan(ROOT_CONTEXT, server);
    const client = tracer.startSpan('client', {}, inServer);
    expect(server.spanContext().traceFlags).toBe(TraceFlags.SAMPLED | RANDOM_TRACE_ID_FLAG);
    expect(client.spanContext().traceFlags).toBe(TraceFlags.SAMPLED | RANDOM_TRACE_ID_FLAG);
    expect(sent(trace.setSpan(inServer, client))).toMatch(
      new RegExp(`^00-${TID}-[0-9a-f]{16}-03$`),
    );
    client.end();
    server.end();
    const exported = tracing.getSpans().map((s) => [s.name, s.spanContext().traceFlags]);
    expect(exported).toEqual([
      ['client', 3],
      ['server', 3],
    ]);
  });

  it('received 02: the unsampled, non-recording child keeps 02 and sends it on', () => {
    const server = tracing.tracer().startSpan('server', {}, received('02'));
    expect(server.isRecording()).toBe(false);
    expect(server.spanContext().traceFlags).toBe(RANDOM_TRACE_ID_FLAG);
    const inServer = trace.setSpan(ROOT_CONTEXT, server);
    const client = tracing.tracer('other').startSpan('client', {}, inServer);
    expect(client.spanContext().traceFlags).toBe(RANDOM_TRACE_ID_FLAG);
    expect(sent(trace.setSpan(inServer, client))).toMatch(
      new RegExp(`^00-${TID}-[0-9a-f]{16}-02$`),
    );
    server.end();
    expect(tracing.getSpans()).toEqual([]);
  });

  it('startActiveSpan and the active context take the same path', () => {
    context.with(received('03'), () => {
      tracing.tracer().startActiveSpan('active', (span) => {
        expect(span.spanContext().traceFlags).toBe(3);
        expect(sent(context.active())).toMatch(/-03$/);
        span.end();
      });
    });
  });

  it('received 01: no flag is invented for a trace-id that did not come with it', () => {
    const server = tracing.tracer().startSpan('server', {}, received('01'));
    expect(server.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
    server.end();
  });

  it('a new root (no parent, or `root: true` under a 03 parent) is left as the SDK made it', () => {
    const fresh = tracing.tracer().startSpan('fresh', {}, ROOT_CONTEXT);
    const rooted = tracing.tracer().startSpan('rooted', { root: true }, received('03'));
    expect(rooted.spanContext().traceId).not.toBe(TID);
    expect(fresh.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
    expect(rooted.spanContext().traceFlags).toBe(TraceFlags.SAMPLED);
    fresh.end();
    rooted.end();
  });

  it('suppressed tracing: the shared invalid span context is never written to', () => {
    const span = tracing.tracer().startSpan('quiet', {}, suppressTracing(received('03')));
    expect(span.spanContext().traceId).toBe(INVALID_SPAN_CONTEXT.traceId);
    expect(span.spanContext().traceFlags).toBe(TraceFlags.NONE);
    expect(INVALID_SPAN_CONTEXT.traceFlags).toBe(TraceFlags.NONE);
  });

  it('a frozen span context (from a custom tracer) is left alone, and no error is thrown', () => {
    const frozen: SpanContext = Object.freeze({ traceId: TID, spanId: SID, traceFlags: 1 });
    const tracer = carryRandomTraceIdFlag({
      startSpan: () => trace.wrapSpanContext(frozen),
      startActiveSpan: () => undefined as never,
    });
    expect(tracer.startSpan('x', {}, received('03')).spanContext().traceFlags).toBe(1);
  });

  it('a tracer is patched once, however often the provider hands it out', () => {
    const provider = new TracerProvider();
    const tracer = provider.getTracer('once');
    const patched = carryRandomTraceIdFlag(tracer);
    const startSpan = patched.startSpan;
    expect(carryRandomTraceIdFlag(tracer).startSpan).toBe(startSpan);
    expect(tracing.tracer('same')).toBe(tracing.tracer('same'));
  });
});
