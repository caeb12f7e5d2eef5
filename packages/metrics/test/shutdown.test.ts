import type { Socket } from 'node:net';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsHandle } from '../src/index.js';
import { setupMetrics } from '../src/index.js';
import { captureDiag } from './support/diag.js';

/** A TCP server that accepts connections and reads requests but never answers. */
async function startBlackHole(): Promise<{
  url: string;
  requests(): number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => {
      if (chunk.toString('latin1').includes('POST /v1/metrics')) requests++;
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let handle: MetricsHandle | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

describe('forceFlush and shutdown', () => {
  it('resolve by the deadline against an OTLP endpoint that never answers, and report through diag', async () => {
    const hole = await startBlackHole();
    const logs = captureDiag();
    try {
      handle = setupMetrics({
        service: 'compute',
        exporter: 'otlp',
        otlp: { endpoint: hole.url, timeoutMillis: 60_000 },
        shutdownTimeoutMillis: 200,
        env: {},
        register: false,
      });
      handle.meter().createCounter('compute.vm.requests.total').add(1);

      // Both settle (and neither rejects) although the export is still waiting for an answer.
      await expect(handle.forceFlush()).resolves.toBeUndefined();
      // The export did reach the endpoint, which is holding it.
      while (hole.requests() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(hole.requests()).toBe(1);
      expect(logs.text()).toContain('forceFlush did not finish within 200 ms');
      await expect(handle.shutdown()).resolves.toBeUndefined();
      expect(logs.text()).toContain('shutdown did not finish within 200 ms');
    } finally {
      logs.stop();
      await hole.close();
    }
  });

  it('are safe to call twice and after each other', async () => {
    handle = setupMetrics({ prometheus: { port: 0 }, env: {}, register: false });
    await handle.ready;
    const url = handle.prometheusUrl!;
    expect((await fetch(url)).status).toBe(200);
    const first = handle.shutdown();
    expect(handle.shutdown()).toBe(first);
    await first;
    await expect(handle.forceFlush()).resolves.toBeUndefined();
    // The endpoint is closed.
    await expect(fetch(url)).rejects.toThrow();
  });

  it('close the endpoint even when shutdown comes before it listens', async () => {
    handle = setupMetrics({ prometheus: { port: 0 }, env: {}, register: false });
    await handle.shutdown();
    await handle.ready;
    const url = handle.prometheusUrl!;
    await expect(fetch(url)).rejects.toThrow();
  });

  it('report a port in use through ready and diag, without throwing into the app', async () => {
    const taken = setupMetrics({ prometheus: { port: 0 }, env: {}, register: false });
    await taken.ready;
    const port = Number(new URL(taken.prometheusUrl!).port);
    const logs = captureDiag();
    try {
      handle = setupMetrics({ prometheus: { port }, env: {}, register: false });
      await expect(handle.ready).rejects.toThrow(/EADDRINUSE/);
      expect(logs.text()).toContain('set-up failed');
      // The handler still serves, through the app's own server.
      expect(await handle.scrape()).toContain('target_info');
    } finally {
      logs.stop();
      await taken.shutdown();
    }
  });
});
