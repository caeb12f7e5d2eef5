import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { injectContext, instrumentOutgoingHttp, withSpan } from '../src/index.js';
import type { TestTracing } from '../src/testing/index.js';
import { createTestTracing } from '../src/testing/index.js';
import type { RecordingServer } from './support/servers.js';
import { closedPort, startRecordingServer } from './support/servers.js';

let server: RecordingServer;
let tracing: TestTracing;
let dispose: () => void;

function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  server = await startRecordingServer((url) => (url === '/missing' ? 404 : 200));
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  tracing = createTestTracing();
  dispose = instrumentOutgoingHttp();
  server.requests.length = 0;
});

afterEach(async () => {
  dispose();
  await tracing.shutdown();
});

describe('node:http client requests (Node 20: spans, no automatic headers)', () => {
  it('get a CLIENT span, child of the active span, with the HTTP attributes', async () => {
    await withSpan('ReconcileVirtualMachine', async () => {
      expect(await get(`${server.url}/apis/x?secret=1`)).toBe(200);
    });
    tracing.assertSpan('GET', {
      kind: 'client',
      status: 'UNSET',
      parent: 'ReconcileVirtualMachine',
      attributes: {
        'http.request.method': 'GET',
        'server.address': '127.0.0.1',
        'server.port': server.port,
        'url.full': `${server.url}/apis/x?secret=REDACTED`,
        'http.response.status_code': 200,
      },
    });
  });

  it('Node 20 announces the request after its headers were written: injectContext carries the context', async () => {
    await withSpan('ReconcileVirtualMachine', async () => {
      await get(`${server.url}/auto`);
      await get(`${server.url}/explicit`, injectContext({}));
    });
    const auto = server.requests.find((r) => r.url === '/auto');
    const explicit = server.requests.find((r) => r.url === '/explicit');
    const parent = tracing.findSpan('ReconcileVirtualMachine')?.spanContext();
    // On Node 20 nothing can be added once `http.client.request.start` fires.
    expect(auto?.headers.traceparent).toBeUndefined();
    expect(explicit?.headers.traceparent).toBe(`00-${parent?.traceId}-${parent?.spanId}-01`);
    // A request that already carries a traceparent gets no second CLIENT span.
    expect(tracing.getSpans().map((s) => s.name)).toEqual(['GET', 'ReconcileVirtualMachine']);
  });

  it('a 404 gives status ERROR; connection refused gives ERROR with ECONNREFUSED', async () => {
    await get(`${server.url}/missing`);
    const port = await closedPort();
    await expect(get(`http://127.0.0.1:${port}/`)).rejects.toThrow('ECONNREFUSED');
    const spans = tracing.getSpans();
    expect(spans.map((s) => [s.status.code, s.attributes['error.type']])).toEqual([
      [2, '404'],
      [2, 'ECONNREFUSED'],
    ]);
  });
});
