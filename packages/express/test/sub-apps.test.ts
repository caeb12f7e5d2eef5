import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import express5 from 'express';
import express4 from 'express4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressRoute, telemetry } from '../src/index.js';

type Express = typeof express5;
const flavors: [string, Express][] = [
  ['Express 4', express4 as unknown as Express],
  ['Express 5', express5],
];

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  contextManager.enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(
    new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }),
  );
});

afterAll(() => {
  trace.disable();
  context.disable();
});

/**
 * An app with sub-applications mounted under static and parameterised paths, two levels deep, a
 * router inside a sub-application, and a sub-application mounted twice. Each handler answers with
 * the template `expressRoute` finds while it runs.
 */
function buildApp(express: Express) {
  const answer = (req: express5.Request, res: express5.Response) => {
    res.json({ route: expressRoute(req) ?? null });
  };
  const leaf = express();
  leaf.get('/items/:item', answer);

  const tenant = express();
  tenant.get('/users/:id', answer);
  const router = express.Router();
  router.get('/:name', answer);
  tenant.use('/groups', router);
  tenant.use('/deep/:zone', leaf);

  const shared = express();
  shared.get('/ping', answer);

  const app = express();
  app.use(telemetry({ service: 'compute', logger: false }));
  app.get('/top/:id', answer);
  app.use('/tenants/:tenant', tenant);
  app.use('/static', shared);
  app.use('/other', shared);
  return app;
}

describe.each(flavors)('%s sub-applications', (_, express) => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer(buildApp(express));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['/top/1', '/top/:id'],
    ['/tenants/acme/users/42', '/tenants/:tenant/users/:id'],
    ['/tenants/acme/groups/admins', '/tenants/:tenant/groups/:name'],
    ['/tenants/acme/deep/eu-1/items/9', '/tenants/:tenant/deep/:zone/items/:item'],
    ['/static/ping', '/static/ping'],
    ['/other/ping', '/other/ping'],
  ])('%s has the template %s, in the handler and on the exported span', async (path, route) => {
    exporter.reset();
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ route });
    await expect.poll(() => exporter.getFinishedSpans().length).toBe(1);
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes['http.route']).toBe(route);
    expect(span!.name).toBe(`GET ${route}`);
  });

  it('a path no sub-application route matches stays unmatched: a 404 with no route', async () => {
    exporter.reset();
    const response = await fetch(`${base}/tenants/acme/nothing`);
    expect(response.status).toBe(404);
    await expect.poll(() => exporter.getFinishedSpans().length).toBe(1);
    expect(exporter.getFinishedSpans()[0]!.attributes['http.route']).toBeUndefined();
  });
});
