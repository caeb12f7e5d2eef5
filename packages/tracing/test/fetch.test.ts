import { context, propagation, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instrumentOutgoingFetch, setupTracing, withSpan } from '../src/index.js';
import type { TestTracing } from '../src/testing/index.js';
import { createTestTracing } from '../src/testing/index.js';
import type { DiagCapture } from './support/diag.js';
import { captureDiag } from './support/diag.js';
import type { RecordingServer } from './support/servers.js';
import { closedPort, startRecordingServer, startSilentServer } from './support/servers.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

let server: RecordingServer;
let tracing: TestTracing;
let logs: DiagCapture;

/** The request the server got for `path` (a request aborted in an earlier test may arrive late). */
function received(path: string) {
  return server.requests.find((r) => r.url === path);
}

beforeAll(async () => {
  server = await startRecordingServer((url) =>
    url.startsWith('/missing') ? 404 : url.startsWith('/broken') ? 503 : 200,
  );
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  logs = captureDiag();
  tracing = createTestTracing({ instrumentFetch: true });
  server.requests.length = 0;
});

afterEach(async () => {
  await tracing.shutdown();
  logs.restore();
});

describe('outgoing fetch', () => {
  it('sends a traceparent whose trace id is the CLIENT span’s, and the CLIENT span is a child of the active span', async () => {
    await withSpan('ReconcileVirtualMachine', async () => {
      const response = await fetch(`${server.url}/apis/v1/things?token=secret&x`);
      await response.text();
    });
    const request = received('/apis/v1/things?token=secret&x');
    const match = TRACEPARENT.exec(String(request?.headers.traceparent));
    expect(match).not.toBeNull();
    const client = tracing.assertSpan('GET', {
      kind: 'client',
      status: 'UNSET',
      parent: 'ReconcileVirtualMachine',
      attributes: {
        'http.request.method': 'GET',
        'server.address': '127.0.0.1',
        'server.port': server.port,
        'url.full': `${server.url}/apis/v1/things?token=REDACTED&x`,
        'http.response.status_code': 200,
      },
    });
    expect(match?.[1]).toBe(client.spanContext().traceId);
    expect(match?.[2]).toBe(client.spanContext().spanId);
    expect(request?.headers.traceparent).toMatch(/-01$/);
  });

  it('carries baggage and tracestate from the active context', async () => {
    const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
    const parent = trace.setSpanContext(propagation.setBaggage(context.active(), baggage), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
      traceState: undefined,
    });
    await context.with(parent, async () => {
      await (await fetch(`${server.url}/baggage`)).text();
    });
    const headers = received('/baggage')?.headers;
    expect(headers?.baggage).toBe('tenant=acme');
    expect(headers?.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
  });

  it('a 4xx or 5xx answer sets the status to ERROR with error.type', async () => {
    await (await fetch(`${server.url}/missing`)).text();
    await (await fetch(`${server.url}/broken`, { method: 'POST', body: 'x' })).text();
    const spans = tracing.getSpans();
    expect(
      spans.map((s) => [
        s.name,
        s.attributes['http.response.status_code'],
        s.attributes['error.type'],
      ]),
    ).toEqual([
      ['GET', 404, '404'],
      ['POST', 503, '503'],
    ]);
    expect(spans.every((s) => s.status.code === 2)).toBe(true);
  });

  it('connection refused gives an ERROR span with error.type ECONNREFUSED, and fetch still rejects as before', async () => {
    const port = await closedPort();
    await withSpan('CreateVirtualMachine', async () => {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow('fetch failed');
    });
    const client = tracing.assertSpan('GET', {
      kind: 'client',
      status: 'ERROR',
      parent: 'CreateVirtualMachine',
      exception: true,
      attributes: { 'error.type': 'ECONNREFUSED', 'server.port': port },
    });
    expect(client.status.message).toContain('ECONNREFUSED');
  });

  it('an aborted request ends its span with error.type AbortError', async () => {
    const silent = await startSilentServer();
    try {
      const controller = new AbortController();
      const pending = fetch(`${silent.url}/slow`, { signal: controller.signal });
      await silent.firstRequest;
      controller.abort();
      await expect(pending).rejects.toThrow('aborted');
    } finally {
      await silent.close();
    }
    tracing.assertSpan('GET', { status: 'ERROR', attributes: { 'error.type': 'AbortError' } });
  });

  it('leaves a request alone that already carries a traceparent, and requests the ignore hook names', async () => {
    const own = '00-11111111111111111111111111111111-2222222222222222-01';
    await (await fetch(`${server.url}/own`, { headers: { traceparent: own } })).text();
    const dispose = instrumentOutgoingFetch({ ignore: ({ url }) => url.includes('/healthz') });
    try {
      await (await fetch(`${server.url}/healthz`)).text();
    } finally {
      dispose();
    }
    expect(received('/own')?.headers.traceparent).toBe(own);
    // The second instrumentation skipped /healthz; the first (from createTestTracing) traced it.
    expect(tracing.getSpans().map((s) => s.attributes['url.full'])).toEqual([
      `${server.url}/healthz`,
    ]);
    expect(received('/healthz')?.headers.traceparent).toMatch(TRACEPARENT);
  });

  it('a throwing ignore hook is reported through diag and the request is traced', async () => {
    await tracing.shutdown();
    tracing = createTestTracing({ instrumentFetch: false });
    const dispose = instrumentOutgoingFetch({
      ignore: () => {
        throw new Error('hook bug');
      },
    });
    try {
      const response = await fetch(`${server.url}/hook`);
      expect(response.status).toBe(200);
      await response.text();
    } finally {
      dispose();
    }
    expect(tracing.getSpans()).toHaveLength(1);
    expect(logs.errors.join('\n')).toContain('hook bug');
  });

  it('makes no span and sends no header when tracing is suppressed (the exporter’s own calls)', async () => {
    await context.with(suppressTracing(context.active()), async () => {
      await (await fetch(`${server.url}/suppressed`)).text();
    });
    expect(tracing.getSpans()).toEqual([]);
    expect(received('/suppressed')?.headers.traceparent).toBeUndefined();
  });

  it('the disposer stops it', async () => {
    await tracing.shutdown();
    tracing = createTestTracing({ instrumentFetch: false });
    const dispose = instrumentOutgoingFetch();
    dispose();
    dispose();
    await withSpan('GetVirtualMachine', async () => {
      await (await fetch(`${server.url}/after`)).text();
    });
    expect(tracing.getSpans().map((s) => s.name)).toEqual(['GetVirtualMachine']);
    expect(received('/after')?.headers.traceparent).toBeUndefined();
  });

  it('setupTracing instruments fetch by default only when it registers globally', async () => {
    await tracing.shutdown();
    // A global provider and propagator without fetch instrumentation, then a local set-up.
    tracing = createTestTracing({ instrumentFetch: false });
    const local = setupTracing({ exporter: 'memory', registerGlobal: false, env: {} });
    try {
      await withSpan('GetVirtualMachine', async () => {
        await (await fetch(`${server.url}/local`)).text();
      });
    } finally {
      await local.shutdown();
    }
    expect(received('/local')?.headers.traceparent).toBeUndefined();
    await tracing.shutdown();
    const registered = setupTracing({ exporter: 'memory', env: {} });
    try {
      await (await fetch(`${server.url}/registered`)).text();
    } finally {
      await registered.shutdown();
      tracing = createTestTracing();
    }
    expect(received('/registered')?.headers.traceparent).toMatch(TRACEPARENT);
  });

  it('without a registered provider it still propagates the active context', async () => {
    await tracing.shutdown();
    // Context propagation needs a context manager and a propagator, but no SDK: register those only.
    const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
    const { createW3CPropagator } = await import('../src/index.js');
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    propagation.setGlobalPropagator(createW3CPropagator());
    const dispose = instrumentOutgoingFetch();
    try {
      const parent = trace.setSpanContext(context.active(), {
        traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        spanId: 'bbbbbbbbbbbbbbbb',
        traceFlags: 1,
        isRemote: true,
      });
      await context.with(parent, async () => {
        await (await fetch(`${server.url}/noop`)).text();
      });
    } finally {
      dispose();
      context.disable();
      propagation.disable();
      tracing = createTestTracing();
    }
    expect(received('/noop')?.headers.traceparent).toBe(
      '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01',
    );
  });
});
