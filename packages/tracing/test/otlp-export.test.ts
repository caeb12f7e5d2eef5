import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TracingHandle } from '../src/index.js';
import {
  createSpanHelper,
  resourceAttributes,
  setupTracing,
  VERSION,
  withSpan,
} from '../src/index.js';
import type { DiagCapture } from './support/diag.js';
import { captureDiag } from './support/diag.js';
import { startSilentServer } from './support/servers.js';

let sink: OtlpSink;
let logs: DiagCapture;
let handle: TracingHandle | undefined;

beforeAll(async () => {
  sink = await startOtlpSink();
});

afterAll(async () => {
  await sink.close();
});

beforeEach(() => {
  sink.clear();
  logs = captureDiag();
});

afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
  logs.restore();
});

async function emitTwoSpans(): Promise<void> {
  const reconcile = createSpanHelper({ operation: 'Reconcile', kind: 'VirtualMachine' });
  await reconcile(
    resourceAttributes({
      kind: 'VirtualMachine',
      metadata: { name: 'vm-1', namespace: 'default' },
    }),
    async () => {
      await withSpan('GetVirtualMachine', async () => {
        throw new Error('not found');
      }).catch(() => undefined);
    },
  );
}

describe.each([
  ['http/protobuf', 'protobuf', 'none'],
  ['http/json', 'json', 'none'],
  ['http/protobuf', 'protobuf', 'gzip'],
] as const)(
  'OTLP export over %s (%s, compression %s) to a real receiver',
  (protocol, encoding, compression) => {
    it('delivers the spans with parent, status, exception event, resource and scope', async () => {
      handle = setupTracing({
        service: 'compute',
        exporter: 'otlp',
        otlp: { endpoint: sink.endpoint, protocol, compression },
        instrumentFetch: false,
        env: {},
      });
      await emitTwoSpans();
      await handle.forceFlush();
      await sink.waitFor(() => sink.spans().length >= 2, { timeoutMs: 10_000 });

      expect(sink.requests().map((r) => [r.signal, r.encoding, r.gzip, r.status])).toEqual([
        ['traces', encoding, compression === 'gzip', 200],
      ]);
      const spans = sink.spans();
      const reconcile = spans.find((s) => s.name === 'ReconcileVirtualMachine');
      const get = spans.find((s) => s.name === 'GetVirtualMachine');
      expect(reconcile).toMatchObject({
        kind: 'INTERNAL',
        status: { code: 'UNSET' },
        attributes: {
          'resource.name': 'vm-1',
          'resource.namespace': 'default',
          'resource.kind': 'VirtualMachine',
        },
        resource: { 'service.name': 'compute' },
        scope: { name: '@datum-telemetry/tracing', version: VERSION },
      });
      expect(reconcile?.parentSpanId).toBeUndefined();
      expect(get).toMatchObject({
        traceId: reconcile?.traceId,
        parentSpanId: reconcile?.spanId,
        status: { code: 'ERROR', message: 'not found' },
        attributes: { 'error.type': 'Error' },
      });
      expect(get?.events.map((e) => [e.name, e.attributes['exception.message']])).toEqual([
        ['exception', 'not found'],
      ]);
    });
  },
);

describe('the exporter and outgoing node:http instrumentation (on by default)', () => {
  it('the OTLP exporter’s own node:http requests make no span: two spans export as two, over several flushes', async () => {
    handle = setupTracing({
      exporter: 'otlp',
      otlp: { endpoint: sink.endpoint },
      env: {},
    });
    await emitTwoSpans();
    await handle.forceFlush();
    await sink.waitFor(() => sink.spans().length >= 2, { timeoutMs: 10_000 });
    // Had the export request been traced, its CLIENT span would go out with the next flush.
    await handle.forceFlush();
    withSpan('ListVirtualMachine', () => undefined);
    await handle.forceFlush();
    await sink.waitFor(() => sink.spans().length >= 3, { timeoutMs: 10_000 });
    expect(sink.spans().map((s) => [s.name, s.kind])).toEqual([
      ['GetVirtualMachine', 'INTERNAL'],
      ['ReconcileVirtualMachine', 'INTERNAL'],
      ['ListVirtualMachine', 'INTERNAL'],
    ]);
  });
});

describe('OTLP endpoint from the environment', () => {
  it('OTEL_EXPORTER_OTLP_ENDPOINT alone switches the exporter to otlp', async () => {
    handle = setupTracing({
      instrumentFetch: false,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_SERVICE_NAME: 'network' },
    });
    withSpan('AllocateIPAddress', () => undefined);
    await handle.forceFlush();
    await sink.waitFor(() => sink.spans().length >= 1, { timeoutMs: 10_000 });
    expect(sink.spans()[0]).toMatchObject({
      name: 'AllocateIPAddress',
      resource: { 'service.name': 'network' },
    });
  });
});

describe('a collector that never answers', () => {
  it('shutdown and forceFlush resolve at their deadline, never reject, and say so through diag', async () => {
    const silent = await startSilentServer();
    try {
      // The exporter itself would wait 60 s: only the deadline can end these calls in time.
      handle = setupTracing({
        exporter: 'otlp',
        otlp: { endpoint: silent.url, timeoutMillis: 60_000 },
        shutdownTimeoutMillis: 300,
        instrumentFetch: false,
        env: {},
      });
      withSpan('GetVirtualMachine', () => undefined);
      await expect(handle.forceFlush()).resolves.toBeUndefined();
      withSpan('ListVirtualMachine', () => undefined);
      await expect(handle.shutdown()).resolves.toBeUndefined();
      expect(logs.warnings.filter((w) => w.includes('did not finish within 300 ms'))).toEqual([
        '@datum-telemetry/tracing: forceFlush did not finish within 300 ms; giving up',
        '@datum-telemetry/tracing: shutdown did not finish within 300 ms; giving up',
      ]);
    } finally {
      await silent.close();
    }
  });
});
