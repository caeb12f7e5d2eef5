import type { Server } from 'node:http';
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import express5 from 'express';
import express4 from 'express4';
import { afterEach, describe, expect, it } from 'vitest';
import { telemetry } from '../src/index.js';
import { attachRequestTelemetry } from '../src/request-properties.js';

type Express = typeof express5;
const flavors: [string, Express][] = [
  ['Express 4', express4 as unknown as Express],
  ['Express 5', express5],
];

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(app: express5.Express): Promise<string> {
  const server = createServer(app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** What a handler sees of `req.log` and `req.telemetry`. */
function inspect(req: express5.Request) {
  return {
    hasLog: typeof req.log?.info === 'function',
    hasTelemetry: req.telemetry !== undefined,
    spanName: req.telemetry?.span !== undefined,
    ownLog: Object.hasOwn(req, 'log'),
    ownTelemetry: Object.hasOwn(req, 'telemetry'),
  };
}

describe.each(flavors)('%s: req.log and req.telemetry', (_, express) => {
  it('are there in handlers, sub-applications included, without an own property on the request', async () => {
    const sub = express();
    sub.get('/inner', (req, res) => res.json(inspect(req)));
    const app = express();
    app.use(telemetry({ service: 'compute', logger: false, ignorePaths: ['/healthz'] }));
    app.get('/outer', (req, res) => res.json(inspect(req)));
    app.get('/healthz', (req, res) =>
      res.json({ ...inspect(req), noop: req.log !== undefined && req.telemetry === undefined }),
    );
    app.use('/sub', sub);
    const base = await serve(app);
    const expected = {
      hasLog: true,
      hasTelemetry: true,
      spanName: true,
      ownLog: false,
      ownTelemetry: false,
    };
    expect(await (await fetch(`${base}/outer`)).json()).toEqual(expected);
    expect(await (await fetch(`${base}/sub/inner`)).json()).toEqual(expected);
    // An ignored path: a no-op logger and no telemetry, as before.
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({
      hasLog: true,
      hasTelemetry: false,
      spanName: false,
      ownLog: false,
      ownTelemetry: false,
      noop: true,
    });
    // Node's own prototype is never touched.
    expect(Object.hasOwn(IncomingMessage.prototype, 'log')).toBe(false);
    expect(Object.hasOwn(IncomingMessage.prototype, 'telemetry')).toBe(false);
  });

  it('stay undefined on requests of an app without telemetry() in the same process', async () => {
    const withTelemetry = express();
    withTelemetry.use(telemetry({ service: 'compute', logger: false }));
    withTelemetry.get('/', (req, res) => res.json(inspect(req)));
    await fetch(await serve(withTelemetry));
    const plain = express();
    plain.get('/', (req, res) =>
      res.json({ log: req.log === undefined, telemetry: req.telemetry === undefined }),
    );
    expect(await (await fetch(await serve(plain))).json()).toEqual({ log: true, telemetry: true });
  });

  it('can be assigned, as pino-http assigns req.log, for that request only', async () => {
    const app = express();
    app.use(telemetry({ service: 'compute', logger: false }));
    app.use((req, _res, next) => {
      (req as { log: unknown }).log = { info: () => {}, mine: true };
      next();
    });
    app.get('/', (req, res) =>
      res.json({
        mine: (req.log as unknown as { mine?: boolean }).mine === true,
        hasTelemetry: req.telemetry !== undefined,
      }),
    );
    const base = await serve(app);
    expect(await (await fetch(base)).json()).toEqual({ mine: true, hasTelemetry: true });
    expect(await (await fetch(base)).json()).toEqual({ mine: true, hasTelemetry: true });
  });
});

describe('attachRequestTelemetry on an object Express did not set up', () => {
  it('falls back to own properties: a no-op log, and telemetry only when there is some', () => {
    const req: { log?: { info: unknown }; telemetry?: unknown } = {};
    attachRequestTelemetry(req, undefined);
    expect(typeof req.log?.info).toBe('function');
    expect(req.telemetry).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, 'log')).toBe(false);
  });
});
