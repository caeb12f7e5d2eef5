// `requestHook` sees Express's own `req` as `request.req`, beside the request as the core describes
// it, on Express 4 and 5: a real server on port 0, spans from an in-memory exporter.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import express5 from 'express';
import express4 from 'express4';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ExpressRequestInfo } from '../src/index.js';
import { ConfigError, telemetry } from '../src/index.js';

type Express = typeof express5;
const flavors: [string, Express][] = [
  ['Express 4', express4 as unknown as Express],
  ['Express 5', express5],
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

async function serve(app: express5.Express): Promise<string> {
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe.each(flavors)('%s: requestHook', (_, express) => {
  it("gets Express's req as request.req, the very object the handlers get", async () => {
    const seen: ExpressRequestInfo[] = [];
    const app = express();
    app.use(
      telemetry({
        service: 'compute',
        logger: false,
        requestHook(span, request) {
          seen.push(request);
          const tenant = request.req.headers['x-tenant'];
          if (typeof tenant === 'string') span.setAttribute('app.tenant', tenant);
        },
      }),
    );
    app.get('/vms/:name', (req, res) => {
      res.json({ same: seen[0]?.req === req, app: seen[0]?.req.app === req.app });
    });
    const base = await serve(app);

    const res = await fetch(`${base}/vms/vm-1?watch=1`, { headers: { 'x-tenant': 'acme' } });
    expect(await res.json()).toEqual({ same: true, app: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/vms/vm-1', query: 'watch=1' });
    expect(seen[0]?.req.originalUrl).toBe('/vms/vm-1?watch=1');
    const [span] = exporter.getFinishedSpans();
    expect(span?.name).toBe('GET /vms/:name');
    expect(span?.attributes['app.tenant']).toBe('acme');
  });

  it('runs guarded: a hook that throws does not break the request', async () => {
    const app = express();
    app.use(
      telemetry({
        service: 'compute',
        logger: false,
        requestHook: () => {
          throw new Error('hook bug');
        },
      }),
    );
    app.get('/', (_req, res) => res.send('ok'));
    const res = await fetch(await serve(app));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });
});

it('a requestHook that is not a function is refused by name, as before', () => {
  expect(() => telemetry({ requestHook: 'hook' as never })).toThrow(ConfigError);
  expect(() => telemetry({ requestHook: 'hook' as never })).toThrow(
    /^requestHook: got "hook"; expected a function/,
  );
});
