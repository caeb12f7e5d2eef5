// W3C Trace Context end to end, through the public entry points: a request reaches an Express app
// instrumented with `telemetry()`, whose handler calls a second loopback server with `fetch`. The
// propagator is the one `@datum-telemetry/tracing` registers. What is asserted is what really went
// out: the exported server span, and the headers the second server received.
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer, get } from 'node:http';
import { telemetry } from '@datum-telemetry/express';
import type { TestTracing } from '@datum-telemetry/tracing/testing';
import { createTestTracing } from '@datum-telemetry/tracing/testing';
import { SpanKind } from '@opentelemetry/api';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baseUrl, close, listen, waitFor } from './harness.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

let tracing: TestTracing;
let downstream: Server;
let app: Server;
const received: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  tracing = createTestTracing({ service: 'compute', instrumentFetch: true, instrumentHttp: true });
  downstream = await listen(
    createServer((req, res) => {
      received.push(req.headers);
      res.end('ok');
    }),
  );
  const api = express();
  api.use(telemetry({ service: 'compute', logger: false }));
  api.get('/call', async (_req, res) => {
    const answer = await fetch(`${baseUrl(downstream)}/next`);
    res.send(await answer.text());
  });
  api.get('/call-http', (_req, res) => {
    get(`${baseUrl(downstream)}/next`, (answer) => {
      answer.resume();
      answer.on('end', () => res.send('ok'));
    });
  });
  app = await listen(createServer(api));
});

afterAll(async () => {
  await close(app);
  await close(downstream);
  await tracing.shutdown();
});

beforeEach(() => {
  tracing.reset();
  received.length = 0;
});

async function call(headers: Record<string, string>, path = '/call') {
  const response = await fetch(`${baseUrl(app)}${path}`, { headers });
  expect(await response.text()).toBe('ok');
  const server = await waitFor(
    () => tracing.getSpans().find((s) => s.kind === SpanKind.SERVER),
    'the server span',
  );
  expect(received).toHaveLength(1);
  return { server, forwarded: received[0]! };
}

describe('W3C Trace Context through the middleware and an outgoing fetch', () => {
  it('an invalid tracestate is dropped whole; the traceparent still continues the trace (L1 §3.3, §4.3 step 3)', async () => {
    // A repeated key (§3.3.1.4): OpenTelemetry's stock parser would keep `congo=2` and forward it.
    const { server, forwarded } = await call({
      traceparent: TRACEPARENT,
      tracestate: 'congo=1,rojo=1,congo=2',
    });
    expect(server.spanContext().traceId).toBe(TRACE_ID);
    expect(server.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(server.spanContext().traceState).toBeUndefined();
    expect(forwarded.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(forwarded.traceparent).not.toContain(PARENT_ID);
    expect(forwarded.tracestate).toBeUndefined();
  });

  it('a valid tracestate with optional whitespace and empty members is forwarded in its plain form (L1 §3.3.1.1, §3.5)', async () => {
    const { server, forwarded } = await call({
      traceparent: `cc-${TRACE_ID}-${PARENT_ID}-ff-future`,
      tracestate: ' rojo=00f067aa0ba902b7 ,, congo=t61rcWkgMzE\t',
    });
    expect(server.spanContext().traceId).toBe(TRACE_ID);
    expect(server.spanContext().traceState?.serialize()).toBe(
      'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE',
    );
    // Version downgraded to 00 (§3.4); of the received `ff`, the two known bits go on: `sampled`
    // from the sampling decision and `random-trace-id` (L2 §3.2.2.5.2), which the server span and
    // the fetch's client span keep since they keep the trace-id; no unknown flag goes out.
    expect(server.spanContext().traceFlags).toBe(0x03);
    expect(forwarded.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-03$`));
    expect(forwarded.tracestate).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
  });

  it('the same holds for a node:http outgoing call', async () => {
    const { server, forwarded } = await call(
      { traceparent: TRACEPARENT, tracestate: 'rojo=1,Congo=2' },
      '/call-http',
    );
    expect(server.spanContext().traceId).toBe(TRACE_ID);
    expect(forwarded.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(forwarded.tracestate).toBeUndefined();
  });
});

describe('the random-trace-id flag through the middleware (L2 §3.2.2.5.2)', () => {
  it('received 02 (not sampled): no span is exported, and the next call gets 02, not 00', async () => {
    const response = await fetch(`${baseUrl(app)}/call-http`, {
      headers: { traceparent: `00-${TRACE_ID}-${PARENT_ID}-02` },
    });
    expect(await response.text()).toBe('ok');
    expect(received).toHaveLength(1);
    expect(received[0]!.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-02$`));
    expect(tracing.getSpans()).toEqual([]);
  });

  it('received 03: the exported server span carries 03, and so does the call it makes', async () => {
    const { server, forwarded } = await call({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-03` });
    expect(server.spanContext().traceFlags).toBe(0x03);
    expect(forwarded.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-03$`));
  });
});

describe('W3C Baggage through the middleware and an outgoing fetch', () => {
  it('200 members: the first 180 are forwarded, not none (Baggage §Limits: at least 64)', async () => {
    const members = Array.from({ length: 200 }, (_, i) => `k${i}=v`);
    const { forwarded } = await call({ traceparent: TRACEPARENT, baggage: members.join(',') });
    expect(String(forwarded.baggage).split(',')).toEqual(members.slice(0, 180));
  });

  it('over 8192 bytes: the members that fit in 8192 are forwarded, not none (Baggage §Limits)', async () => {
    // 100 members of 100 characters: 10 099 bytes; 81 of them and their commas are 8 180.
    const members = Array.from(
      { length: 100 },
      (_, i) => `k${String(i).padStart(2, '0')}=${'v'.repeat(96)}`,
    );
    const { forwarded } = await call({ traceparent: TRACEPARENT, baggage: members.join(',') });
    expect(String(forwarded.baggage).split(',')).toEqual(members.slice(0, 81));
  });

  it('empty members do not count: 64 members among 200 commas are all forwarded (Baggage §Limits)', async () => {
    const members = Array.from({ length: 64 }, (_, i) => `k${i}=v`);
    const { forwarded } = await call({
      traceparent: TRACEPARENT,
      baggage: `${members.join(',')}${','.repeat(200)}`,
    });
    expect(String(forwarded.baggage).split(',')).toEqual(members);
  });
});
