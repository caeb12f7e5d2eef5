// `{service}.http.requests.active` counts the requests being served, across every middleware of
// the process: an Express app and a Koa app of the same service (or the package loaded twice)
// feed one series per method, as the SDK keeps one stream per instrument name.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { telemetry as expressTelemetry } from '@datum-telemetry/express';
import { telemetry as koaTelemetry } from '@datum-telemetry/koa';
import express from 'express';
import Koa from 'koa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { baseUrl, close, installPipelines, listen, waitFor } from './harness.js';

const pipelines = installPipelines();

/** Handlers wait here until released; `started` counts the requests that reached a handler. */
const gate: { started: number; release: () => void; opened: Promise<void> } = {
  started: 0,
  release: () => undefined,
  opened: Promise.resolve(),
};
function closeGate(): void {
  gate.opened = new Promise<void>((resolve) => {
    gate.release = resolve;
  });
}

function expressApp(): Server {
  const app = express();
  app.use(expressTelemetry({ service: 'compute', logger: false }));
  app.get('/slow', async (_req, res) => {
    gate.started++;
    await gate.opened;
    res.json({ ok: true });
  });
  app.post('/slow', async (_req, res) => {
    gate.started++;
    await gate.opened;
    res.json({ ok: true });
  });
  return createServer(app);
}

function koaApp(): Server {
  const app = new Koa();
  app.use(koaTelemetry({ service: 'compute', logger: false }));
  app.use(async (ctx) => {
    gate.started++;
    await gate.opened;
    ctx.body = { ok: true };
  });
  return createServer(app.callback());
}

const servers = [expressApp(), koaApp(), expressApp()];

beforeAll(async () => {
  for (const server of servers) await listen(server);
});
afterAll(async () => {
  for (const server of servers) await close(server);
});

async function active(): Promise<Record<string, number>> {
  const points = await pipelines.points('compute.http.requests.active');
  return Object.fromEntries(
    points.map((p) => [String(p.attributes['http.request.method']), p.value as number]),
  );
}

it('counts the requests in flight on every app of the service, per method', async () => {
  closeGate();
  gate.started = 0;
  const [first, second, third] = servers as [Server, Server, Server];
  const requests = [
    fetch(`${baseUrl(first)}/slow`),
    fetch(`${baseUrl(first)}/slow`),
    fetch(`${baseUrl(second)}/slow`),
    fetch(`${baseUrl(third)}/slow`, { method: 'POST' }),
    fetch(`${baseUrl(second)}/slow`, { method: 'POST' }),
  ];
  await waitFor(() => (gate.started === 5 ? true : undefined), 'five requests in handlers');
  // Three apps of one service: one series per method, with all of their requests.
  expect(await active()).toEqual({ GET: 3, POST: 2 });

  gate.release();
  const responses = await Promise.all(requests);
  for (const res of responses) {
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
  // The count drops when each response has closed, which can come after the client has it.
  let after = await active();
  for (let i = 0; i < 200 && (after.GET !== 0 || after.POST !== 0); i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    after = await active();
  }
  expect(after).toEqual({ GET: 0, POST: 0 });
});
