// Behaviour beyond the request table, still one description for all four frameworks: trace
// context in (valid, invalid, oversized, duplicated; the three trust policies), client aborts,
// ignored paths, redaction of secrets, guarded hooks, per-request overrides, and the app's own
// error handling left as it was.
import type { Server } from 'node:http';
import { request } from 'node:http';
import { SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Flavor } from './apps.js';
import { buildApp, FLAVORS, RESOURCES } from './apps.js';
import { baseUrl, close, installPipelines, listen, serverSpans, waitFor } from './harness.js';

const pipelines = installPipelines();
vi.spyOn(console, 'error').mockImplementation(() => undefined);

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const VALID = `00-${TRACE_ID}-${PARENT_ID}-01`;

async function get(
  server: Server,
  path: string,
  headers: ConstructorParameters<typeof Headers>[0] = {},
): Promise<Response> {
  const res = await fetch(`${baseUrl(server)}${path}`, { headers });
  await res.arrayBuffer();
  return res;
}

async function oneSpan() {
  const spans = await waitFor(() => {
    const s = serverSpans(pipelines.spans);
    return s.length > 0 ? s : undefined;
  }, 'a server span');
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

describe.each(FLAVORS)('%s', (flavor: Flavor) => {
  const options = {
    service: 'compute',
    resources: [...RESOURCES],
    logger: pipelines.logger,
    captureRequestHeaders: ['x-request-id', 'authorization', 'cookie'],
    captureResponseHeaders: ['content-type', 'set-cookie'],
  };
  const app = buildApp(flavor, options);
  const restart = buildApp(flavor, { ...options, incomingContext: 'restart' });
  const ignore = buildApp(flavor, { ...options, incomingContext: 'ignore' });
  const hooks = buildApp(flavor, {
    ...options,
    requestHook: () => {
      throw new Error('hook failure');
    },
    spanName: () => {
      throw new Error('name failure');
    },
  });
  const bare = buildApp(flavor);
  const servers = [app, restart, ignore, hooks, bare].map((a) => a.server);

  beforeAll(async () => {
    for (const s of servers) await listen(s);
  });
  afterAll(async () => {
    for (const s of servers) await close(s);
  });
  beforeEach(() => pipelines.reset());

  it('continues a valid traceparent, with its tracestate', async () => {
    await get(app.server, '/chained/1', { traceparent: VALID, tracestate: 'datum=abc,other=1' });
    const span = await oneSpan();
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(span.spanContext().traceState?.serialize()).toBe('datum=abc,other=1');
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT_ID}-01`],
    ['all-zero span id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${TRACE_ID}-${PARENT_ID}-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`],
    ['oversized', `00-${TRACE_ID}-${PARENT_ID}-01-${'x'.repeat(600)}`],
    ['non-ASCII', `00-${TRACE_ID.slice(0, 31)}é-${PARENT_ID}-01`],
  ])('starts a new trace for an invalid traceparent (%s)', async (_, traceparent) => {
    const headers = new Headers();
    try {
      headers.set('traceparent', traceparent);
    } catch {
      return; // fetch refuses to send it: nothing can reach the server
    }
    const res = await get(app.server, '/chained/1', headers);
    expect(res.status).toBe(200);
    const span = await oneSpan();
    expect(span.spanContext().traceId).not.toBe(TRACE_ID);
    expect(span.spanContext().traceId).not.toBe('0'.repeat(32));
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('starts a new trace for a duplicated traceparent header', async () => {
    const res = await get(app.server, '/chained/1', [
      ['traceparent', VALID],
      ['traceparent', `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`],
    ]);
    expect(res.status).toBe(200);
    const span = await oneSpan();
    expect(span.spanContext().traceId).not.toBe(TRACE_ID);
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('drops an oversized tracestate but keeps the parent', async () => {
    await get(app.server, '/chained/1', { traceparent: VALID, tracestate: `a=${'x'.repeat(600)}` });
    const span = await oneSpan();
    expect(span.spanContext().traceId).toBe(TRACE_ID);
    expect(span.spanContext().traceState).toBeUndefined();
  });

  it('restart: a new trace with a link to the caller', async () => {
    await get(restart.server, '/chained/1', { traceparent: VALID });
    const span = await oneSpan();
    expect(span.spanContext().traceId).not.toBe(TRACE_ID);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links).toHaveLength(1);
    expect(span.links[0]!.context.traceId).toBe(TRACE_ID);
    expect(span.links[0]!.context.spanId).toBe(PARENT_ID);
  });

  it('ignore: a new trace and no link', async () => {
    await get(ignore.server, '/chained/1', { traceparent: VALID });
    const span = await oneSpan();
    expect(span.spanContext().traceId).not.toBe(TRACE_ID);
    expect(span.links).toEqual([]);
  });

  it('a client abort ends the span without a status code and logs it', async () => {
    const events = app.events;
    await new Promise<void>((resolve) => {
      const req = request(`${baseUrl(app.server)}/slow`);
      req.on('error', () => resolve());
      req.end();
      void events.slowStarted.then(() => {
        req.destroy();
        resolve();
      });
    });
    const span = await oneSpan();
    expect(span.name).toBe('GET /slow');
    expect(span.attributes['error.type']).toBe('aborted');
    expect(span.attributes['http.response.status_code']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    const line = await waitFor(
      () => pipelines.logs().find((l) => l.msg === 'request aborted by the client'),
      'the abort line',
    );
    expect(line.level).toBe(40);
  });

  it('ignored paths get no span, no metric and no log line', async () => {
    const res = await get(app.server, '/healthz');
    expect(res.status).toBe(200);
    await get(app.server, '/chained/2');
    await oneSpan();
    expect(serverSpans(pipelines.spans).map((s) => s.name)).toEqual(['GET /chained/:id']);
    expect(pipelines.logs().filter((l) => l['url.path'] === '/healthz')).toEqual([]);
    const points = await pipelines.points('compute.http.requests.total');
    expect(points.some((p) => String(p.attributes['http.route']).includes('healthz'))).toBe(false);
  });

  it('never records secrets: auth headers, cookies, API keys, query values', async () => {
    const secrets = [
      'Bearer s3cr3t-token',
      'session=cookie-value',
      'proxy-secret',
      'api-key-value',
      'query-secret',
    ];
    const res = await get(app.server, `/headers?token=query-secret&page=2`, {
      authorization: secrets[0]!,
      cookie: secrets[1]!,
      'proxy-authorization': secrets[2]!,
      'x-api-key': secrets[3]!,
      'x-request-id': 'req-123',
    });
    expect(res.headers.get('set-cookie')).toBe('session=abc');
    const span = await oneSpan();
    expect(span.attributes['url.query']).toBe('token=REDACTED&page=REDACTED');
    expect(span.attributes['http.request.header.x-request-id']).toEqual(['req-123']);
    expect(span.attributes['http.request.header.authorization']).toBeUndefined();
    expect(span.attributes['http.response.header.set-cookie']).toBeUndefined();
    expect(String(span.attributes['http.response.header.content-type'])).toContain(
      'application/json',
    );
    const exported = JSON.stringify({
      attributes: span.attributes,
      events: span.events,
      logs: pipelines.lines,
    });
    const metricsText = JSON.stringify(
      (await pipelines.reader.collect()).resourceMetrics.scopeMetrics,
    );
    for (const secret of [...secrets, 'session=abc']) {
      expect(exported).not.toContain(secret);
      expect(metricsText).not.toContain(secret);
    }
  });

  it('throwing hooks are reported and never break the request', async () => {
    const res = await get(hooks.server, '/chained/3');
    expect(res.status).toBe(200);
    const span = await oneSpan();
    expect(span.name).toBe('GET /chained/:id');
  });

  it('setResource() renames the span and moves the metrics to the resource', async () => {
    const res = await get(app.server, '/override');
    expect(res.status).toBe(200);
    const span = await oneSpan();
    expect(span.name).toBe('ReconcileVirtualMachine');
    expect(span.attributes).toMatchObject({
      'resource.kind': 'VirtualMachine',
      'resource.name': 'vm-9',
      'resource.namespace': 'ops',
      operation: 'Reconcile',
    });
    const points = await pipelines.points('compute.vm.requests.total');
    expect(
      points.some(
        (p) => p.attributes.operation === 'Reconcile' && p.attributes['http.route'] === '/override',
      ),
    ).toBe(true);
  });

  it('setRoute() overrides the route template', async () => {
    await get(app.server, '/custom/abc');
    const span = await oneSpan();
    expect(span.name).toBe('GET /custom/{thing}');
    expect(span.attributes['http.route']).toBe('/custom/{thing}');
  });

  it("the app's own error handling sees the same errors as without telemetry", async () => {
    const paths = ['/boom', '/next-error', '/async-error', '/handled-error', '/throw-400'];
    app.events.appErrors.length = 0;
    bare.events.appErrors.length = 0;
    for (const path of paths) {
      const a = await fetch(`${baseUrl(app.server)}${path}`);
      const b = await fetch(`${baseUrl(bare.server)}${path}`);
      expect([a.status, await a.text()]).toEqual([b.status, await b.text()]);
    }
    await waitFor(
      () => (app.events.appErrors.length >= bare.events.appErrors.length ? true : undefined),
      'app errors',
    );
    const describe = (errors: unknown[]) =>
      errors.map((e) => `${(e as Error).constructor.name}: ${(e as Error).message}`);
    expect(describe(app.events.appErrors)).toEqual(describe(bare.events.appErrors));
    expect(app.events.appErrors.length).toBeGreaterThan(0);
  });
});
