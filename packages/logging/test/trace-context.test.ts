import { context, TraceFlags, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capture, only } from './helpers.js';

const provider = new TracerProvider();
const tracer = provider.getTracer('logging-test');

describe('trace context on every line inside an active span', () => {
  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  });
  afterAll(async () => {
    context.disable();
    await provider.shutdown();
  });

  it('writes trace_id, span_id and trace_flags of the active span', () => {
    const { log, out } = capture();
    const span = tracer.startActiveSpan('CreateVirtualMachine', (active) => {
      log.info('inside');
      active.end();
      return active;
    });
    const { traceId, spanId } = span.spanContext();
    expect(only(out)).toMatchObject({ trace_id: traceId, span_id: spanId, trace_flags: '01' });
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('follows the context across await, and child loggers get it too', async () => {
    const { log, out } = capture();
    const child = log.child({ operation: 'create' });
    const span = await tracer.startActiveSpan('CreateVirtualMachine', async (active) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      child.info('after await');
      active.end();
      return active;
    });
    expect(only(out)).toMatchObject({
      operation: 'create',
      trace_id: span.spanContext().traceId,
      span_id: span.spanContext().spanId,
    });
  });

  it('writes no trace fields outside a span', () => {
    const { log, out } = capture();
    log.info('outside');
    const line = only(out);
    expect(line).not.toHaveProperty('trace_id');
    expect(line).not.toHaveProperty('span_id');
    expect(line).not.toHaveProperty('trace_flags');
  });

  it('writes trace_flags 00 for an unsampled span context', () => {
    const { log, out } = capture();
    const unsampled = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: TraceFlags.NONE,
    });
    context.with(trace.setSpan(context.active(), unsampled), () => log.info('unsampled'));
    expect(only(out)).toMatchObject({
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
      trace_flags: '00',
    });
  });

  it('writes no trace fields for an invalid span context', () => {
    const { log, out } = capture();
    const invalid = trace.wrapSpanContext({
      traceId: '00000000000000000000000000000000',
      spanId: '0000000000000000',
      traceFlags: TraceFlags.SAMPLED,
    });
    context.with(trace.setSpan(context.active(), invalid), () => log.info('invalid'));
    expect(only(out)).not.toHaveProperty('trace_id');
  });
});

describe('with no context manager registered', () => {
  it('writes lines without trace fields and without error', () => {
    const { log, out } = capture();
    tracer.startActiveSpan('NoManager', (span) => {
      log.info('no manager');
      span.end();
    });
    expect(only(out)).not.toHaveProperty('trace_id');
  });
});
