// How the middleware finds the request cells: on the global provider that `setupMetrics` registers
// it records there and makes no SDK request instruments; a View that changes one of them sends that
// one back to the SDK; a provider registered later is followed; two middlewares share one series.
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { telemetry as expressTelemetry } from '@datum-telemetry/express';
import { SCOPE_NAME } from '@datum-telemetry/http/internal';
import { telemetry as koaTelemetry } from '@datum-telemetry/koa';
import type { MetricsHandle, SetupMetricsOptions } from '@datum-telemetry/metrics';
import { setupMetrics } from '@datum-telemetry/metrics';
import type { Meter } from '@opentelemetry/api';
import { metrics } from '@opentelemetry/api';
import express from 'express';
import Koa from 'koa';
import { afterEach, expect, it } from 'vitest';
import { baseUrl, close, listen } from './harness.js';

const opened: { servers: Server[]; handles: MetricsHandle[] } = { servers: [], handles: [] };

afterEach(async () => {
  for (const server of opened.servers.splice(0)) await close(server);
  for (const handle of opened.handles.splice(0)) await handle.shutdown();
  metrics.disable();
});

/** `setupMetrics`, registered, with the names of the instruments the middleware's meter made. */
function setup(options: SetupMetricsOptions = {}): { handle: MetricsHandle; made: string[] } {
  const handle = setupMetrics({
    service: 'compute',
    prometheus: { serve: false },
    env: {},
    ...options,
  });
  opened.handles.push(handle);
  const made: string[] = [];
  const provider = handle.meterProvider;
  const getMeter = provider.getMeter.bind(provider);
  provider.getMeter = (name, version, meterOptions) => {
    const meter = getMeter(name, version, meterOptions);
    if (name !== SCOPE_NAME) return meter;
    return new Proxy(meter, {
      get(target, key, receiver) {
        const member = Reflect.get(target, key, receiver) as unknown;
        if (typeof key !== 'string' || !key.startsWith('create') || typeof member !== 'function') {
          return member;
        }
        return (instrument: string, ...rest: unknown[]) => {
          made.push(instrument);
          return (member as (...args: unknown[]) => unknown).call(target, instrument, ...rest);
        };
      },
    }) as Meter;
  };
  return { handle, made };
}

async function expressServer(): Promise<Server> {
  const app = express();
  app.use(expressTelemetry({ service: 'compute', logger: false, traces: false }));
  app.get('/items/:id', (_req, res) => res.json({ ok: true }));
  const server = createServer(app);
  opened.servers.push(server);
  return listen(server);
}

async function koaServer(): Promise<Server> {
  const app = new Koa();
  app.use(koaTelemetry({ service: 'compute', logger: false, traces: false }));
  app.use((ctx) => {
    ctx.status = 202;
    ctx.body = { ok: true };
  });
  const server = createServer(app.callback());
  opened.servers.push(server);
  return listen(server);
}

async function get(server: Server, path: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await (await fetch(`${baseUrl(server)}${path}`)).arrayBuffer();
}

/** The value of one series of the exposition, once the requests' metrics are recorded. */
async function seriesValue(
  handle: MetricsHandle,
  series: string,
  expected: number,
): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const line = (await handle.scrape()).split('\n').find((l) => l.startsWith(`${series} `));
    const value = line === undefined ? 0 : Number(line.slice(series.length + 1));
    if (value >= expected || i === 199) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return 0;
}

const LABELS =
  '{http_request_method="GET",http_response_status_code="200",http_route="/items/:id"}';
const COUNT = `compute_http_requests_total${LABELS}`;
const DURATION_COUNT = `compute_http_request_duration_seconds_count${LABELS}`;
const OVERFLOW = 'compute_http_requests_total{otel_metric_overflow="true"}';

it('records into the cells of the provider setupMetrics registers, making no SDK request instruments', async () => {
  const { handle, made } = setup();
  const server = await expressServer();
  await get(server, '/items/1', 3);
  expect(await seriesValue(handle, COUNT, 3)).toBe(3);
  expect(await seriesValue(handle, DURATION_COUNT, 3)).toBe(3);
  expect(made).toEqual(['compute.http.requests.active']);
});

it('leaves an instrument that a View changes to the SDK, and still counts each request once', async () => {
  const { handle, made } = setup({
    views: [{ instrumentName: 'compute.http.request.duration.seconds', description: 'Changed' }],
  });
  const server = await expressServer();
  await get(server, '/items/1', 2);
  expect(await seriesValue(handle, COUNT, 2)).toBe(2);
  expect(await seriesValue(handle, DURATION_COUNT, 2)).toBe(2);
  expect(made.sort()).toEqual([
    'compute.http.request.duration.seconds',
    'compute.http.requests.active',
  ]);
  expect(await handle.scrape()).toContain('# HELP compute_http_request_duration_seconds Changed');
});

it('applies cardinalityLimits to the cells', async () => {
  const { handle } = setup({ cardinalityLimits: { 'compute.http.requests.total': 2 } });
  const server = await expressServer();
  await get(server, '/items/1');
  await get(server, '/nowhere');
  await get(server, '/items/2');
  // A limit of 2: the first series and the overflow series, which takes `unmatched`.
  expect(await seriesValue(handle, OVERFLOW, 1)).toBe(1);
  expect(await seriesValue(handle, COUNT, 2)).toBe(2);
  const lines = (await handle.scrape())
    .split('\n')
    .filter((l) => l.startsWith('compute_http_requests_total'));
  expect(lines.sort()).toEqual([`${COUNT} 2`, `${OVERFLOW} 1`].sort());
  // The histogram keeps the default limit.
  expect(await handle.scrape()).toContain(
    'compute_http_request_duration_seconds_count{http_request_method="GET",http_response_status_code="404",http_route="unmatched"} 1',
  );
});

it('follows a provider registered later, and an Express and a Koa app share one series', async () => {
  const first = setup();
  const expressApp = await expressServer();
  const koaApp = await koaServer();
  await get(expressApp, '/items/1', 2);
  expect(await seriesValue(first.handle, COUNT, 2)).toBe(2);

  await first.handle.shutdown();
  const second = setup();
  await get(expressApp, '/items/1');
  await get(koaApp, '/anything', 2);
  expect(await seriesValue(second.handle, COUNT, 1)).toBe(1);
  const koaSeries =
    'compute_http_requests_total{http_request_method="GET",http_response_status_code="202",http_route="unmatched"}';
  expect(await seriesValue(second.handle, koaSeries, 2)).toBe(2);
  await get(expressApp, '/items/1');
  expect(await seriesValue(second.handle, COUNT, 2)).toBe(2);
  expect(second.made).toEqual(['compute.http.requests.active']);
});
