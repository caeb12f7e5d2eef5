// `requestHook` sees Koa's own `ctx` as `request.ctx`, beside the request as the core describes it,
// on Koa 2 and 3 with @koa/router: a real server on port 0, spans from an in-memory exporter.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import Koa3 from 'koa';
import Koa2 from 'koa2';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KoaRequestInfo } from '../src/index.js';
import { telemetry } from '../src/index.js';

const flavors: [string, typeof Koa3][] = [
  ['Koa 2', Koa2 as unknown as typeof Koa3],
  ['Koa 3', Koa3],
];

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
  );
});

const servers: Server[] = [];
afterEach(async () => {
  exporter.reset();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(app: Koa3): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.each(flavors)('%s: requestHook', (_, Koa) => {
  it("gets Koa's ctx as request.ctx, the very context the handlers get", async () => {
    const seen: KoaRequestInfo[] = [];
    const app = new Koa();
    app.use(
      telemetry({
        service: 'network',
        logger: false,
        requestHook(span, request) {
          seen.push(request);
          // The real context: what the hook leaves in ctx.state, the handler reads.
          (request.ctx as unknown as Koa3.Context).state.tenant =
            request.ctx.req.headers['x-tenant'];
          span.setAttribute('app.tenant', String(request.ctx.req.headers['x-tenant']));
        },
      }),
    );
    const router = new Router();
    router.get('/addresses/:name', (ctx) => {
      ctx.body = { same: seen[0]?.ctx === ctx, tenant: ctx.state.tenant };
    });
    app.use(router.routes());
    const base = await serve(app);

    const res = await fetch(`${base}/addresses/ip-1?watch=1`, { headers: { 'x-tenant': 'acme' } });
    expect(await res.json()).toEqual({ same: true, tenant: 'acme' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/addresses/ip-1', query: 'watch=1' });
    expect(seen[0]?.ctx.originalUrl).toBe('/addresses/ip-1?watch=1');
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /addresses/:name');
    expect(span?.attributes['app.tenant']).toBe('acme');
  });

  it('runs guarded: a hook that throws does not break the request', async () => {
    const app = new Koa();
    app.use(
      telemetry({
        service: 'network',
        logger: false,
        requestHook: () => {
          throw new Error('hook bug');
        },
      }),
    );
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    const res = await fetch(await serve(app));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });
});

it('a requestHook that is not a function is refused by name, as before', () => {
  expect(() => telemetry({ requestHook: 'hook' as never })).toThrow(
    /^requestHook: got "hook"; expected a function/,
  );
});
