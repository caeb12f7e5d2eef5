import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterEach, expect, it } from 'vitest';
import type { TelemetryFields } from '../src/index.js';
import { telemetry } from '../src/index.js';

type Ctx = Koa.ParameterizedContext & TelemetryFields;
const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function serve(app: Koa): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const seen = (ctx: Ctx) => ({
  log: typeof ctx.log?.info === 'function',
  telemetry: ctx.telemetry !== undefined,
});

it('ctx.log and ctx.telemetry are undefined before telemetry(), and ctx.log is set after it', async () => {
  const app = new Koa();
  const before: ReturnType<typeof seen>[] = [];
  app.use(async (ctx: Ctx, next) => {
    before.push(seen(ctx));
    await next();
  });
  app.use(telemetry({ service: 'network', logger: false, ignorePaths: ['/healthz'] }));
  app.use((ctx: Ctx) => {
    ctx.body = seen(ctx);
  });
  const base = await serve(app);
  expect(await (await fetch(`${base}/addresses`)).json()).toEqual({ log: true, telemetry: true });
  // An ignored path: a no-op logger, no telemetry.
  expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ log: true, telemetry: false });
  expect(before).toEqual([
    { log: false, telemetry: false },
    { log: false, telemetry: false },
  ]);
});
