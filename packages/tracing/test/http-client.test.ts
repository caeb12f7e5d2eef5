import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { Server } from 'node:https';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, propagation } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { instrumentOutgoingHttp, setupTracing, withSpan } from '../src/index.js';
import type { TestTracing } from '../src/testing/index.js';
import { createTestTracing } from '../src/testing/index.js';
import type { RecordingServer } from './support/servers.js';
import { closedPort, startRecordingServer } from './support/servers.js';

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

let server: RecordingServer;
let tracing: TestTracing;
let dispose: () => void;

type Send = (url: string, options?: RequestOptions & { ca?: Buffer }) => Promise<number>;

function sender(request: typeof httpRequest | typeof httpsRequest): Send {
  return (url, options = {}) =>
    new Promise((resolve, reject) => {
      const req = request(url, options, (res: IncomingMessage) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
}
const get = sender(httpRequest);

/** A real HTTPS server on loopback with a throwaway self-signed certificate made by openssl. */
async function startHttpsServer(): Promise<{
  url: string;
  ca: Buffer;
  requests: { url: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'datum-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const key = readFileSync(join(dir, 'key.pem'));
    const cert = readFileSync(join(dir, 'cert.pem'));
    const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
    const tls: Server = createHttpsServer({ key, cert }, (req, res) => {
      requests.push({ url: req.url ?? '', headers: req.headers });
      res.end('done');
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    const { port } = tls.address() as AddressInfo;
    return {
      url: `https://127.0.0.1:${port}`,
      ca: cert,
      requests,
      close: () =>
        new Promise<void>((resolve) => {
          tls.closeAllConnections();
          tls.close(() => resolve());
        }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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

const received = (url: string) => server.requests.find((r) => r.url === url);

describe('node:http client requests', () => {
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

  it('send traceparent, tracestate and baggage with no injectContext: the CLIENT span is the parent', async () => {
    const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
    await withSpan('ReconcileVirtualMachine', async () => {
      await context.with(propagation.setBaggage(context.active(), baggage), () =>
        get(`${server.url}/auto`, { headers: { 'x-caller': 'compute' } }),
      );
    });
    const headers = received('/auto')?.headers;
    const client = tracing.findSpan('GET')?.spanContext();
    const parent = tracing.findSpan('ReconcileVirtualMachine')?.spanContext();
    expect(headers?.traceparent).toBe(`00-${parent?.traceId}-${client?.spanId}-01`);
    expect(headers?.baggage).toBe('tenant=acme');
    // The app's own headers are kept.
    expect(headers?.['x-caller']).toBe('compute');
  });

  it('a request that already carries a traceparent is left alone: no second span, its header unchanged', async () => {
    const own = '00-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-01';
    await withSpan('ReconcileVirtualMachine', async () => {
      await get(`${server.url}/explicit`, { headers: { traceparent: own } });
    });
    expect(received('/explicit')?.headers.traceparent).toBe(own);
    expect(tracing.getSpans().map((s) => s.name)).toEqual(['ReconcileVirtualMachine']);
  });

  it('the ignore hook skips a request: no span and no header', async () => {
    dispose();
    dispose = instrumentOutgoingHttp({ ignore: ({ url }) => url.endsWith('/healthz') });
    await withSpan('ReconcileVirtualMachine', async () => {
      await get(`${server.url}/healthz`);
    });
    expect(received('/healthz')?.headers.traceparent).toBeUndefined();
    expect(tracing.getSpans().map((s) => s.name)).toEqual(['ReconcileVirtualMachine']);
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

  it('the disposer stops it', async () => {
    dispose();
    await withSpan('ReconcileVirtualMachine', async () => {
      await get(`${server.url}/after`);
    });
    expect(received('/after')?.headers.traceparent).toBeUndefined();
    expect(tracing.getSpans().map((s) => s.name)).toEqual(['ReconcileVirtualMachine']);
  });
});

describe('trace context over node:http, node:https and fetch, from setupTracing alone', () => {
  it('each client sends the active trace, through its own CLIENT span, with the defaults', async () => {
    dispose();
    await tracing.shutdown();
    const tls = await startHttpsServer();
    // The defaults a service gets: global registration, fetch and node:http instrumented.
    const handle = setupTracing({ exporter: 'memory', processor: 'simple', env: {} });
    try {
      await withSpan('ReconcileVirtualMachine', async () => {
        await get(`${server.url}/over-http`);
        await sender(httpsRequest)(`${tls.url}/over-https`, { ca: tls.ca });
        await (await fetch(`${server.url}/over-fetch`)).text();
      });
      await handle.forceFlush();
      const exporter = handle.spanExporter as unknown as { getFinishedSpans(): ReadableSpan[] };
      const spans = exporter.getFinishedSpans();
      const parent = spans.find((s) => s.name === 'ReconcileVirtualMachine')?.spanContext();
      const clients = spans.filter((s) => s.kind === 2);
      expect(clients.map((s) => s.attributes['url.full'])).toEqual([
        `${server.url}/over-http`,
        `${tls.url}/over-https`,
        `${server.url}/over-fetch`,
      ]);
      const sent = [
        received('/over-http')?.headers.traceparent,
        tls.requests.find((r) => r.url === '/over-https')?.headers.traceparent,
        received('/over-fetch')?.headers.traceparent,
      ];
      expect(sent).toEqual(
        clients.map((s) => `00-${parent?.traceId}-${s.spanContext().spanId}-01`),
      );
      for (const header of sent) expect(header).toMatch(TRACEPARENT);
    } finally {
      await handle.shutdown();
      await tls.close();
      tracing = createTestTracing();
      dispose = instrumentOutgoingHttp();
    }
  });

  it('instrumentHttp: false, or a set-up that does not register globally, leaves node:http alone', async () => {
    // `tracing` registered the provider and the W3C propagator, without node:http instrumentation.
    dispose();
    for (const options of [{ registerGlobal: false }, { instrumentHttp: false }]) {
      // The second set-up registers the globals itself.
      if ('instrumentHttp' in options) await tracing.shutdown();
      const handle = setupTracing({ exporter: 'memory', env: {}, ...options });
      try {
        await withSpan('ReconcileVirtualMachine', () =>
          get(`${server.url}/off-${Object.keys(options)[0]}`),
        );
      } finally {
        await handle.shutdown();
      }
    }
    expect(received('/off-instrumentHttp')?.headers.traceparent).toBeUndefined();
    expect(received('/off-registerGlobal')?.headers.traceparent).toBeUndefined();
    // The same call with the instrumentation on does carry it (the check above can fail).
    tracing = createTestTracing();
    dispose = instrumentOutgoingHttp();
    await withSpan('ReconcileVirtualMachine', () => get(`${server.url}/on`));
    expect(received('/on')?.headers.traceparent).toMatch(TRACEPARENT);
  });
});
