// `otlp.exporter`: ours (`datum`, the default) and the stock exporter (`opentelemetry`) deliver the
// same spans to a real OTLP receiver; the choice is checked like every option.
import { OtlpHttpSpanExporter } from '@datum-telemetry/otlp';
import type { OtlpSink, SinkSpan } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter as StockJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as StockProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TracingHandle, TracingOptions } from '../src/index.js';
import { ConfigError, createSpanHelper, setupTracing, withSpan } from '../src/index.js';

let sink: OtlpSink;
let handle: TracingHandle | undefined;

beforeAll(async () => {
  sink = await startOtlpSink();
});
afterAll(async () => {
  await sink.close();
});
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
  sink.clear();
});

/** Spans of every part the encoders write: attributes of each type, events, links, status, kinds. */
async function emitSpans(): Promise<void> {
  const reconcile = createSpanHelper({ operation: 'Reconcile', kind: 'VirtualMachine' });
  await reconcile(
    {
      'resource.name': 'vm-1',
      'resource.namespace': 'default',
      replicas: 3,
      ratio: 0.25,
      ready: false,
      zones: ['a', 'b'],
      ports: [80, 443],
      'unicode.ключ': 'значение 🚀',
    },
    async (span) => {
      span.addEvent('scheduled', { node: 'n1' });
      await withSpan('GetVirtualMachine', { spanKind: SpanKind.SERVER }, async () => {
        throw new Error('not found');
      }).catch(() => undefined);
      withSpan('ListIPAddress', { spanKind: SpanKind.CLIENT }, (child) => {
        child.addLink({ context: span.spanContext(), attributes: { why: 'follows' } });
      });
    },
  );
}

/** What must match between the two exporters: everything but the ids and times of this run. */
function comparable(spans: SinkSpan[]) {
  const byId = new Map(spans.map((s) => [s.spanId, s.name]));
  return spans
    .map(
      ({
        traceId,
        spanId,
        parentSpanId,
        startTimeUnixNano,
        endTimeUnixNano,
        events,
        links,
        ...rest
      }) => ({
        ...rest,
        parent: parentSpanId === undefined ? undefined : byId.get(parentSpanId),
        durationPositive: endTimeUnixNano >= startTimeUnixNano,
        events: events.map(({ timeUnixNano, ...event }) => ({
          ...event,
          inSpan: timeUnixNano >= startTimeUnixNano,
        })),
        links: links.map(({ traceId: linkTrace, spanId: linkSpan, ...link }) => ({
          ...link,
          sameTrace: linkTrace === traceId,
          to: byId.get(linkSpan),
        })),
      }),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function exportWith(options: TracingOptions): Promise<SinkSpan[]> {
  handle = setupTracing({
    service: 'compute',
    exporter: 'otlp',
    instrumentFetch: false,
    instrumentHttp: false,
    env: {},
    ...options,
    otlp: { endpoint: sink.endpoint, ...options.otlp },
  });
  await emitSpans();
  await handle.forceFlush();
  await sink.waitFor(() => sink.spans().length >= 3, { timeoutMs: 10_000 });
  const spans = sink.spans();
  await handle.shutdown();
  handle = undefined;
  sink.clear();
  return spans;
}

describe.each([
  ['http/protobuf', StockProtobufExporter],
  ['http/json', StockJsonExporter],
] as const)('over %s', (protocol, StockExporter) => {
  it('the default exporter is ours; `exporter: "opentelemetry"` is the stock one', () => {
    handle = setupTracing({ exporter: 'otlp', otlp: { protocol }, env: {}, registerGlobal: false });
    expect(handle.spanExporter).toBeInstanceOf(OtlpHttpSpanExporter);
    void handle.shutdown();
    handle = setupTracing({
      exporter: 'otlp',
      otlp: { protocol, exporter: 'opentelemetry' },
      env: {},
      registerGlobal: false,
    });
    expect(handle.spanExporter).toBeInstanceOf(StockExporter);
    void handle.shutdown();
    handle = setupTracing({
      exporter: 'otlp',
      otlp: { protocol, exporter: 'datum' },
      env: {},
      registerGlobal: false,
    });
    expect(handle.spanExporter).toBeInstanceOf(OtlpHttpSpanExporter);
  });

  it('a real receiver gets the same spans from ours as from the stock exporter', async () => {
    const ours = await exportWith({ otlp: { protocol } });
    const theirs = await exportWith({ otlp: { protocol, exporter: 'opentelemetry' } });
    expect(ours).toHaveLength(3);
    expect(comparable(ours)).toEqual(comparable(theirs));
    // The parts compared are really there.
    expect(comparable(ours)).toMatchObject([
      {
        name: 'GetVirtualMachine',
        kind: 'SERVER',
        parent: 'ReconcileVirtualMachine',
        status: { code: 'ERROR' },
      },
      {
        name: 'ListIPAddress',
        kind: 'CLIENT',
        links: [{ to: 'ReconcileVirtualMachine', sameTrace: true }],
      },
      {
        name: 'ReconcileVirtualMachine',
        attributes: { replicas: 3, ratio: 0.25, ready: false, zones: ['a', 'b'] },
        events: [{ name: 'scheduled', inSpan: true }],
        resource: { 'service.name': 'compute' },
      },
    ]);
  });
});

describe('the otlp.exporter option', () => {
  it('is checked: a value other than "datum" or "opentelemetry" is a ConfigError naming it', () => {
    expect(() =>
      setupTracing({ exporter: 'otlp', otlp: { exporter: 'stock' as 'datum' }, env: {} }),
    ).toThrow(ConfigError);
    expect(() =>
      setupTracing({ exporter: 'otlp', otlp: { exporter: 'stock' as 'datum' }, env: {} }),
    ).toThrow(/^otlp\.exporter: got "stock"; expected "datum" or "opentelemetry"/);
  });
});
