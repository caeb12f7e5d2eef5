import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { extractContext, injectContext, withSpan } from '../src/index.js';
import type { TestTracing } from '../src/testing/index.js';
import { createTestTracing } from '../src/testing/index.js';

let tracing: TestTracing;

beforeEach(() => {
  tracing = createTestTracing();
});

afterEach(async () => {
  await tracing.shutdown();
});

describe('injectContext / extractContext', () => {
  it('round-trips the active span and baggage through a plain object and through Headers', () => {
    const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
    withSpan('GetVirtualMachine', (span) => {
      context.with(propagation.setBaggage(context.active(), baggage), () => {
        const plain = injectContext({} as Record<string, string>);
        const headers = injectContext(new Headers());
        for (const carrier of [plain, headers]) {
          const extracted = extractContext(carrier, ROOT_CONTEXT);
          const remote = trace.getSpanContext(extracted);
          expect(remote?.traceId).toBe(span.spanContext().traceId);
          expect(remote?.spanId).toBe(span.spanContext().spanId);
          expect(remote?.isRemote).toBe(true);
          expect(propagation.getBaggage(extracted)?.getEntry('tenant')?.value).toBe('acme');
        }
        expect(Object.keys(plain).sort()).toEqual(['baggage', 'traceparent']);
      });
    });
  });

  it('a span started in the extracted context continues the remote trace', () => {
    const incoming = {
      Traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=value',
    };
    context.with(extractContext(incoming), () => withSpan('GetVirtualMachine', () => undefined));
    const span = tracing.assertSpan('GetVirtualMachine', { parent: null });
    expect(span.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span.spanContext().traceState?.serialize()).toBe('vendor=value');
  });

  it.each([
    ['garbage', { traceparent: 'not-a-traceparent' }],
    [
      'all-zero trace id',
      { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' },
    ],
    ['a huge header', { traceparent: `00-${'a'.repeat(10_000)}` }],
    ['no headers at all', null],
  ])('invalid input (%s) gives the base context back, no throw', (_label, headers) => {
    const extracted = extractContext(headers as Record<string, string>, ROOT_CONTEXT);
    expect(trace.getSpanContext(extracted)).toBeUndefined();
  });

  it('injects nothing outside a span, and returns the same carrier', () => {
    const headers: Record<string, string> = { accept: 'application/json' };
    expect(injectContext(headers, ROOT_CONTEXT)).toBe(headers);
    expect(headers).toEqual({ accept: 'application/json' });
  });
});
