// SIGTERM on a demo service (shutdownOnSignal from @datum-telemetry/http): it stops accepting,
// drains in-flight requests, flushes spans, metrics and logs, and exits; a collector that hangs
// cannot keep it alive.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { DemoService } from '@datum-telemetry/demo/lib.mjs';
import { startService, startServices } from '@datum-telemetry/demo/lib.mjs';
import type { OtlpSink, SinkLogRecord, SinkSpan } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTrace } from './support/traffic.js';

const VMS = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines';

/**
 * Nothing leaves a service before it is told to stop: batches wait ten minutes and are far from
 * full, and metrics are pushed every ten minutes. Whatever the collector has after the exit was
 * sent by the shutdown flush.
 */
const FLUSH_ONLY_AT_SHUTDOWN = {
  OTEL_BSP_SCHEDULE_DELAY: '600000',
  OTEL_BLRP_SCHEDULE_DELAY: '600000',
  OTEL_METRIC_EXPORT_INTERVAL: '600000',
};

let sink: OtlpSink;
const running: DemoService[] = [];
const servers: Server[] = [];

beforeEach(async () => {
  sink = await startOtlpSink();
});

afterEach(async () => {
  for (const service of running.splice(0)) {
    if (service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGKILL');
    }
  }
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
  await sink.close();
});

function serverSpans(service: string): SinkSpan[] {
  return sink.spans().filter((s) => s.kind === 'SERVER' && s.resource['service.name'] === service);
}

function accessLogs(service: string): SinkLogRecord[] {
  return sink
    .logs()
    .filter(
      (r) => r.resource['service.name'] === service && r.attributes['http.route'] !== undefined,
    );
}

/** The points of the last export of a metric: its final values. */
function finalPoints(service: string, name: string) {
  const exports = sink
    .metrics()
    .filter((m) => m.name === name && m.resource['service.name'] === service);
  return exports.at(-1)?.points ?? [];
}

async function exited(
  service: DemoService,
): Promise<{ code: number | null; signal: string | null }> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) {
    return { code: child.exitCode, signal: child.signalCode };
  }
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  return { code, signal };
}

describe('SIGTERM after N requests', () => {
  it('exports exactly the N server spans, the final request counts and the N access logs, then exits 0', async () => {
    const { compute, network } = await startServices({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      ...FLUSH_ONLY_AT_SHUTDOWN,
    });
    running.push(compute, network);

    const rounds = 10;
    const traceIds: string[] = [];
    const request = async (method: string, path: string, body?: unknown) => {
      const { traceId, traceparent } = newTrace();
      traceIds.push(traceId);
      const response = await fetch(`${compute.url}${path}`, {
        method,
        headers: { traceparent, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await response.arrayBuffer();
      return response.status;
    };
    const statuses: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const name = `vm-${i}`;
      statuses.push(
        await request('POST', VMS, { metadata: { name }, spec: { cpu: 1, memoryGiB: 1 } }),
        await request('GET', `${VMS}/${name}`),
        await request('GET', VMS),
        await request('DELETE', `${VMS}/${name}`),
      );
    }
    const n = traceIds.length;
    expect(statuses).toEqual(Array.from({ length: rounds }, () => [201, 200, 200, 200]).flat());
    // Nothing was exported yet: what arrives below comes from the shutdown flush.
    expect(sink.requests()).toEqual([]);

    expect(await compute.stop()).toBe(0);
    expect(await network.stop()).toBe(0);

    // Spans: one server span per request, no more, no fewer, each in the trace the client started.
    const computeSpans = serverSpans('compute');
    expect(computeSpans).toHaveLength(n);
    expect(new Set(computeSpans.map((s) => s.traceId))).toEqual(new Set(traceIds));
    // network-api served compute-api's allocate and release calls, in those same traces.
    const networkSpans = serverSpans('network');
    expect(networkSpans.map((s) => s.name).sort()).toEqual(
      [...Array(rounds).fill('CreateIPAddress'), ...Array(rounds).fill('DeleteIPAddress')].sort(),
    );
    expect(networkSpans.every((s) => traceIds.includes(s.traceId))).toBe(true);

    // Metrics: the final value of the request counter counts every request, per operation.
    const points = finalPoints('compute', 'compute.vm.requests.total');
    const byOperation: Record<string, number> = {};
    for (const point of points) {
      const operation = String(point.attributes.operation);
      byOperation[operation] = (byOperation[operation] ?? 0) + (point.value ?? 0);
    }
    expect(byOperation).toEqual({ Create: rounds, Get: rounds, List: rounds, Delete: rounds });
    const durations = finalPoints('compute', 'compute.vm.request.duration.seconds');
    expect(durations.reduce((sum, p) => sum + (p.count ?? 0), 0)).toBe(n);

    // Logs: one access log record per request, in its trace.
    const logs = accessLogs('compute');
    expect(logs).toHaveLength(n);
    expect(new Set(logs.map((r) => r.traceId))).toEqual(new Set(traceIds));
  });
});

describe('draining', () => {
  it('stops accepting, lets the in-flight request finish and export, then exits 0', async () => {
    // A stand-in for network-api that holds the address allocation until the test lets it go.
    let allocationArrived: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      allocationArrived = resolve;
    });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fakeNetwork = createServer(async (_req, res) => {
      allocationArrived();
      await released;
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: { address: '10.9.9.9' } }));
    });
    servers.push(fakeNetwork);
    await new Promise<void>((resolve) => fakeNetwork.listen(0, '127.0.0.1', resolve));
    const fakeUrl = `http://127.0.0.1:${(fakeNetwork.address() as AddressInfo).port}`;

    const compute = await startService('compute-api', {
      OTEL_SERVICE_NAME: 'compute',
      NETWORK_API_URL: fakeUrl,
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      ...FLUSH_ONLY_AT_SHUTDOWN,
    });
    running.push(compute);

    const { traceId, traceparent } = newTrace();
    let settled = false;
    const inFlight = fetch(`${compute.url}${VMS}`, {
      method: 'POST',
      headers: { traceparent, 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'draining' }, spec: { cpu: 1, memoryGiB: 1 } }),
    }).then(async (response) => {
      settled = true;
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    });
    await arrived;

    compute.child.kill('SIGTERM');
    // New connections are refused once the listener is closed...
    for (;;) {
      const refused = await fetch(`${compute.url}/readyz`).then(
        async (response) => {
          await response.arrayBuffer();
          return false;
        },
        (error: { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED',
      );
      if (refused) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // ...while the request that was already in flight is still being served.
    expect(settled).toBe(false);
    expect(compute.child.exitCode).toBeNull();

    release();
    const { status, body } = await inFlight;
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: { address: '10.9.9.9' } });
    expect(await exited(compute)).toEqual({ code: 0, signal: null });

    const [span] = serverSpans('compute');
    expect(serverSpans('compute')).toHaveLength(1);
    expect(span).toMatchObject({ name: 'CreateVirtualMachine', traceId });
    expect(span?.attributes['http.response.status_code']).toBe(201);
    expect(accessLogs('compute').map((r) => r.traceId)).toEqual([traceId]);
  });
});

describe('a collector that hangs during shutdown', () => {
  it('does not keep either service from exiting by itself', { timeout: 60_000 }, async () => {
    const { compute, network } = await startServices({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      ...FLUSH_ONLY_AT_SHUTDOWN,
    });
    running.push(compute, network);
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${compute.url}${VMS}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ metadata: { name: `vm-${i}` }, spec: { cpu: 1, memoryGiB: 1 } }),
      });
      expect(response.status).toBe(201);
    }
    // Every export from now on waits a minute for its answer.
    sink.respondWith({ delayMs: 60_000 });

    compute.child.kill('SIGTERM');
    network.child.kill('SIGTERM');
    // The flush does try: its exports reach the collector, which holds them.
    await sink.waitFor(() => sink.pendingRequests() > 0);
    const results = await Promise.all([exited(compute), exited(network)]);
    // Each exits by itself (no signal killed it), past the flush deadline; 1 says it was missed.
    for (const { code, signal } of results) {
      expect(signal).toBeNull();
      expect([0, 1]).toContain(code);
    }
  });
});

describe('a process that calls shutdown() and never exits', () => {
  it('ends by itself once the exporters give up on a hanging collector', {
    timeout: 60_000,
  }, async () => {
    sink.respondWith({ delayMs: 60_000 });
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('../fixtures/shutdown-without-exit.mjs', import.meta.url))],
      {
        env: {
          ...process.env,
          OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
          // The exporters' own request timeout: what bounds the wait after shutdown() returns.
          OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stdout).toBe('shutdown resolved\n');
    // All three signals did try to export to the collector that never answered.
    expect(new Set(sink.requests().map((r) => r.signal))).toEqual(
      new Set(['traces', 'metrics', 'logs']),
    );
  });
});
