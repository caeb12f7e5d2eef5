// With every signal off the middleware still gives `req.telemetry` and propagates the caller's
// context, but does no work that records nothing (issue 15, the skeleton): it does not wait for
// the response, and it matches the route against the registry only when something reads it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DiagLogger } from '@opentelemetry/api';
import { DiagLogLevel, diag, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpTelemetryOptions, RequestLogger, RequestTelemetry } from '../src/index.js';
import { createHttpTelemetry } from '../src/index.js';

const RESOURCES = [
  {
    group: 'compute.datumapis.com',
    plural: 'virtualmachines',
    kind: 'VirtualMachine',
    short: 'vm',
  },
];
const VM_PATH = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines/vm-1';
const OFF: HttpTelemetryOptions = {
  service: 'compute',
  resources: RESOURCES,
  traces: false,
  metrics: false,
  logger: false,
};

interface Seen {
  rec: RequestTelemetry | undefined;
  closeListenersBefore: number;
  closeListenersAfter: number;
}

/** Serves one request through `startNode`, answering 200, and reports what it saw. */
async function serveOne(
  options: HttpTelemetryOptions,
  headers: Record<string, string> = {},
): Promise<Seen> {
  const core = createHttpTelemetry(options);
  let seen: Seen | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const closeListenersBefore = res.listenerCount('close');
    const rec = core.startNode(req, res, req);
    seen = { rec, closeListenersBefore, closeListenersAfter: res.listenerCount('close') };
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}${VM_PATH}`, { headers });
    expect(await response.text()).toBe('ok');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  if (seen === undefined) throw new Error('the server saw no request');
  return seen;
}

afterEach(() => {
  diag.disable();
  propagation.disable();
});

describe('every signal off', () => {
  it('does not wait for the response, and still gives the request its telemetry', async () => {
    const { rec, closeListenersBefore, closeListenersAfter } = await serveOne(OFF);
    expect(closeListenersAfter).toBe(closeListenersBefore);
    expect(rec?.span.isRecording()).toBe(false);
    expect(rec?.context).toBe(ROOT_CONTEXT);
    // Matched on first read, as it was at the start before.
    expect(rec?.resource).toMatchObject({
      kind: 'VirtualMachine',
      operation: 'Get',
      short: 'vm',
      name: 'vm-1',
      namespace: 'default',
    });
  });

  it('keeps the caller context for outgoing calls', async () => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const { rec } = await serveOne(OFF, {
      traceparent: `00-${traceId}-b7ad6b7169203331-01`,
    });
    expect(trace.getSpanContext(rec?.context ?? ROOT_CONTEXT)?.traceId).toBe(traceId);
  });

  it('waits for the response when an access log is written', async () => {
    const lines: unknown[] = [];
    const logger: RequestLogger = {
      info: (fields: unknown) => {
        lines.push(fields);
      },
      child: () => logger,
    } as unknown as RequestLogger;
    const { closeListenersBefore, closeListenersAfter } = await serveOne({ ...OFF, logger });
    expect(closeListenersAfter).toBe(closeListenersBefore + 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines).toHaveLength(1);
  });

  it('waits for the response when metrics are on', async () => {
    const { closeListenersBefore, closeListenersAfter } = await serveOne({ ...OFF, metrics: true });
    expect(closeListenersAfter).toBe(closeListenersBefore + 1);
  });

  it('a registry that throws when read late: reported, no resource, the request goes on', async () => {
    const errors: unknown[][] = [];
    const logger: DiagLogger = {
      error: (...args: unknown[]) => {
        errors.push(args);
      },
      warn: () => {},
      info: () => {},
      debug: () => {},
      verbose: () => {},
    };
    diag.setLogger(logger, DiagLogLevel.ERROR);
    const registry = {
      match: () => {
        throw new Error('broken registry');
      },
    };
    const { rec } = await serveOne({
      ...OFF,
      resources: registry as unknown as HttpTelemetryOptions['resources'],
    });
    expect(rec).toBeDefined();
    expect(rec?.resource).toBeUndefined();
    expect(String(errors[0]?.[0])).toContain('resource matching threw');
  });
});
