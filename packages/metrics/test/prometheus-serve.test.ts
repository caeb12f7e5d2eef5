import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import type { MetricsHandle } from '../src/index.js';
import { setupMetrics } from '../src/index.js';

let handle: MetricsHandle | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

it('prometheus.serve: false beside OTLP serves the exposition through the handler only', async () => {
  handle = setupMetrics({
    service: 'compute',
    exporter: 'otlp',
    otlp: { endpoint: 'http://127.0.0.1:9' },
    exportIntervalMillis: 60_000,
    prometheus: { serve: false },
    env: {},
  });
  await handle.ready;
  expect(handle.prometheusUrl).toBeUndefined();
  handle.meter().createCounter('compute.vm.requests.total').add(2, { operation: 'Get' });
  const server = createServer(handle.metricsHandler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toContain('compute_vm_requests_total{operation="Get"} 2\n');
    expect(await handle.scrape()).toContain('compute_vm_requests_total{operation="Get"} 2\n');
  } finally {
    server.close();
  }
});

it('prometheus.serve must be a boolean', () => {
  expect(() => setupMetrics({ prometheus: { serve: 'no' as never }, env: {} })).toThrow(
    /prometheus\.serve: got "no"; expected true or false/,
  );
});
