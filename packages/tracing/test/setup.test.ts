import { ConfigError } from '@datum-telemetry/config';
import type { Context } from '@opentelemetry/api';
import { context, propagation, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TracingHandle, TracingOptions } from '../src/index.js';
import { setupTracing, VERSION, withSpan } from '../src/index.js';
import type { DiagCapture } from './support/diag.js';
import { captureDiag } from './support/diag.js';
import { startSilentServer } from './support/servers.js';

let logs: DiagCapture;
const handles: TracingHandle[] = [];

function setup(options: TracingOptions): TracingHandle {
  const handle = setupTracing(options);
  handles.push(handle);
  return handle;
}

beforeEach(() => {
  logs = captureDiag();
});

afterEach(async () => {
  for (const handle of handles.splice(0)) await handle.shutdown();
  logs.restore();
});

function remoteParent(sampled: boolean): Context {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

describe('bad options fail at set-up with a ConfigError naming the option and the expected value', () => {
  const exporterWithoutExport = {} as unknown as SpanExporter;
  it.each<[string, TracingOptions, RegExp]>([
    [
      'unknown exporter',
      { exporter: 'zipkin' as 'otlp' },
      /^exporter: got "zipkin"; expected one of "otlp", "console", "memory", "none"/,
    ],
    [
      'exporter object without export()',
      { exporter: exporterWithoutExport },
      /^exporter: got an object; expected a SpanExporter \(an object with export\(\) and shutdown\(\)\)/,
    ],
    [
      'otlp.protocol',
      { exporter: 'otlp', otlp: { protocol: 'http' as 'grpc' } },
      /^otlp\.protocol: got "http"; expected one of "http\/protobuf", "http\/json", "grpc"/,
    ],
    [
      'otlp.endpoint',
      { exporter: 'otlp', otlp: { endpoint: 'collector:4318' } },
      /^otlp\.endpoint: got "collector:4318"; expected an (absolute )?http/,
    ],
    [
      'otlp.compression',
      { exporter: 'otlp', otlp: { compression: 'brotli' as 'gzip' } },
      /^otlp\.compression: got "brotli"; expected "gzip" or "none"/,
    ],
    [
      'otlp.headers with grpc',
      { exporter: 'otlp', otlp: { protocol: 'grpc', headers: { 'x-api-key': 'k' } } },
      /^otlp\.headers: is not supported with the protocol "grpc".*OTEL_EXPORTER_OTLP_HEADERS/,
    ],
    [
      'sampler.ratio',
      { sampler: { ratio: 2 } },
      /^sampler\.ratio: got 2; expected a number from 0 to 1/,
    ],
    [
      'sampler.root',
      { sampler: { root: 'sometimes' as 'always_on' } },
      /^sampler\.root: got "sometimes"; expected one of "always_on", "always_off", "traceidratio"/,
    ],
    ['maxQueueSize 0', { maxQueueSize: 0 }, /^maxQueueSize: got 0; expected a positive integer/],
    [
      'maxQueueSize text',
      { maxQueueSize: 'big' as unknown as number },
      /^maxQueueSize: got "big"; expected a positive integer/,
    ],
    [
      'maxExportBatchSize over the queue',
      { maxQueueSize: 10, maxExportBatchSize: 100 },
      /^maxExportBatchSize: got 100; expected at most maxQueueSize \(10\)/,
    ],
    [
      'scheduledDelayMillis',
      { scheduledDelayMillis: 1.5 },
      /^scheduledDelayMillis: got 1\.5; expected a positive integer of milliseconds/,
    ],
    [
      'shutdownTimeoutMillis',
      { shutdownTimeoutMillis: -5 },
      /^shutdownTimeoutMillis: got -5; expected a positive integer/,
    ],
    [
      'processor',
      { processor: 'sync' as 'simple' },
      /^processor: got "sync"; expected "batch" or "simple"/,
    ],
    [
      'registerGlobal',
      { registerGlobal: 'yes' as unknown as boolean },
      /^registerGlobal: got "yes"; expected true or false/,
    ],
    [
      'instrumentFetch',
      { instrumentFetch: 1 as unknown as boolean },
      /^instrumentFetch: got 1; expected true or false/,
    ],
    [
      'disabled',
      { disabled: 'no' as unknown as boolean },
      /^disabled: got "no"; expected true or false/,
    ],
    [
      'console.format',
      { exporter: 'console', console: { format: 'yaml' as 'json' } },
      /^console\.format: got "yaml"; expected "text" or "json"/,
    ],
    [
      'a misspelt option',
      { exporters: 'otlp' } as unknown as TracingOptions,
      /^exporters: unknown option; did you mean "exporter"\?$/,
    ],
    [
      'a misspelt service',
      { servce: 'compute' } as unknown as TracingOptions,
      /^servce: unknown option; did you mean "service"\?$/,
    ],
    [
      'a misspelt sampler setting (issue 14)',
      { sampler: { root: 'always_on', ratioo: 1 } } as unknown as TracingOptions,
      /^sampler\.ratioo: unknown option; did you mean "ratio"\?$/,
    ],
    [
      'a misspelt OTLP setting',
      { exporter: 'otlp', otlp: { endpont: 'http://c:4318' } } as unknown as TracingOptions,
      /^otlp\.endpont: unknown option; did you mean "endpoint"\?$/,
    ],
    [
      'a misspelt console setting',
      { console: { formt: 'json' } } as unknown as TracingOptions,
      /^console\.formt: unknown option; did you mean "format"\?$/,
    ],
    [
      'a sampler that is neither settings nor a Sampler',
      { sampler: 'always_on' } as unknown as TracingOptions,
      /^sampler: got "always_on"; expected an object such as/,
    ],
    [
      'an unknown option with nothing close',
      { colour: 'red' } as unknown as TracingOptions,
      /^colour: unknown option; expected one of service, serviceNamespace, /,
    ],
    [
      'options that are not an object',
      null as unknown as TracingOptions,
      /^options: got null; expected an object such as \{ service: "compute" \}/,
    ],
  ])('%s', (_label, options, message) => {
    let thrown: unknown;
    try {
      setup(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toMatch(message);
    // Nothing was registered: a new set-up works.
    expect(trace.getTracerProvider().getTracer('x').startSpan('x').isRecording()).toBe(false);
  });

  it('a default batch size larger than a small queue is clamped, not an error', () => {
    expect(() => setup({ exporter: 'none', maxQueueSize: 10 })).not.toThrow();
  });

  it('a second global set-up fails clearly and leaves the first one working', () => {
    const first = setup({ exporter: 'memory', env: {} });
    expect(() => setup({ exporter: 'memory', env: {} })).toThrow(
      /^registerGlobal: a global tracer provider is already registered/,
    );
    withSpan('GetVirtualMachine', () => undefined);
    expect((first.spanExporter as InMemorySpanExporter).getFinishedSpans()).toHaveLength(1);
  });
});

// Issue 14, defect 7: a bad OTEL_* value is reported through diag and the default used, as the
// OpenTelemetry SDK specification asks; it must not fail set-up (and crash-loop every pod).
describe('bad environment values warn and fall back to the default', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    [
      'OTEL_TRACES_EXPORTER=jaeger',
      { OTEL_TRACES_EXPORTER: 'jaeger' },
      /^@datum-telemetry: OTEL_TRACES_EXPORTER: got "jaeger"; expected one of otlp, console, memory, none .*; ignored, using console$/,
    ],
    [
      'OTEL_TRACES_SAMPLER=foo',
      { OTEL_TRACES_SAMPLER: 'foo' },
      /^@datum-telemetry: OTEL_TRACES_SAMPLER: got "foo"; expected one of always_on, .*; ignored, using the default, parentbased_always_on$/,
    ],
    [
      'OTEL_TRACES_SAMPLER_ARG=half',
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' },
      /^@datum-telemetry: OTEL_TRACES_SAMPLER_ARG: got "half"; expected a number from 0 to 1; ignored, using the default ratio, 1$/,
    ],
    [
      'OTEL_BSP_MAX_QUEUE_SIZE=-1',
      { OTEL_BSP_MAX_QUEUE_SIZE: '-1' },
      /^@datum-telemetry: OTEL_BSP_MAX_QUEUE_SIZE: got "-1"; expected a positive integer; ignored, using 2048$/,
    ],
    [
      'OTEL_BSP_EXPORT_TIMEOUT=10s',
      { OTEL_BSP_EXPORT_TIMEOUT: '10s' },
      /^@datum-telemetry: OTEL_BSP_EXPORT_TIMEOUT: got "10s"; expected a positive integer of milliseconds; ignored, using 30000$/,
    ],
    [
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE over the queue',
      { OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '100' },
      /^@datum-telemetry: OTEL_BSP_MAX_EXPORT_BATCH_SIZE: got "100"; expected at most the queue size \(10\); ignored, using 10$/,
    ],
    [
      'OTEL_EXPORTER_OTLP_TIMEOUT=soon',
      { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' },
      /^@datum-telemetry: OTEL_EXPORTER_OTLP_TIMEOUT: got "soon"; expected a positive integer of milliseconds; ignored, using 10000$/,
    ],
  ])('%s', (_label, env, warning) => {
    const handle = setup({ registerGlobal: false, console: { write: () => {} }, env });
    expect(handle.enabled).toBe(true);
    expect(logs.warnings).toHaveLength(1);
    expect(logs.warnings[0]).toMatch(warning);
  });

  it('OTEL_TRACES_EXPORTER=jaeger: spans go where they go by default', () => {
    const lines: string[] = [];
    const handle = setup({
      registerGlobal: false,
      processor: 'simple',
      console: { write: (line) => lines.push(line) },
      env: { OTEL_TRACES_EXPORTER: 'jaeger', OTEL_TRACES_SAMPLER: 'foo' },
    });
    handle.tracer().startSpan('GetVirtualMachine').end();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('GetVirtualMachine');
    // parentbased_always_on: a child of an unsampled remote parent is not sampled.
    const child = handle.tracer().startSpan('GetVirtualMachine', {}, remoteParent(false));
    expect(child.isRecording()).toBe(false);
  });
});

describe('the sampler from OTEL_TRACES_SAMPLER / _ARG and the sampler option', () => {
  it.each<[string, TracingOptions, [boolean, boolean, boolean]]>([
    // [root sampled, child of a sampled parent sampled, child of an unsampled parent sampled]
    ['default (parentbased_always_on)', {}, [true, true, false]],
    ['always_on', { env: { OTEL_TRACES_SAMPLER: 'always_on' } }, [true, true, true]],
    ['always_off', { env: { OTEL_TRACES_SAMPLER: 'always_off' } }, [false, false, false]],
    [
      'parentbased_always_off',
      { env: { OTEL_TRACES_SAMPLER: 'parentbased_always_off' } },
      [false, true, false],
    ],
    [
      'traceidratio 0',
      { env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' } },
      [false, false, false],
    ],
    [
      'traceidratio 1',
      { env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' } },
      [true, true, true],
    ],
    [
      'parentbased_traceidratio 0',
      { env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' } },
      [false, true, false],
    ],
    ['upper-case name', { env: { OTEL_TRACES_SAMPLER: 'ALWAYS_OFF' } }, [false, false, false]],
    [
      'code wins over env',
      {
        sampler: { root: 'always_on', parentBased: false },
        env: { OTEL_TRACES_SAMPLER: 'always_off' },
      },
      [true, true, true],
    ],
    ['a ratio option means traceidratio', { sampler: { ratio: 0 } }, [false, true, false]],
  ])('%s', (_label, options, expected) => {
    const handle = setup({ exporter: 'memory', registerGlobal: false, env: {}, ...options });
    const tracer = handle.tracer();
    const sampled = (parent: Context) => {
      const span = tracer.startSpan('GetVirtualMachine', {}, parent);
      span.end();
      return (span.spanContext().traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED;
    };
    expect([
      sampled(ROOT_CONTEXT),
      sampled(remoteParent(true)),
      sampled(remoteParent(false)),
    ]).toEqual(expected);
    const exported = (handle.spanExporter as InMemorySpanExporter).getFinishedSpans().length;
    expect(exported).toBe(expected.filter(Boolean).length);
  });
});

describe('the handle', () => {
  it('registers the provider, AsyncLocalStorage context and W3C propagation globally', async () => {
    const handle = setup({ exporter: 'memory', env: {} });
    expect(propagation.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
    await withSpan('ReconcileVirtualMachine', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(trace.getActiveSpan()?.isRecording()).toBe(true);
    });
    const [span] = (handle.spanExporter as InMemorySpanExporter).getFinishedSpans();
    expect(span?.instrumentationScope).toEqual({
      name: '@datum-telemetry/tracing',
      version: VERSION,
      schemaUrl: undefined,
    });
    await handle.shutdown();
    expect(propagation.fields()).toEqual([]);
    expect(withSpan('GetVirtualMachine', (s) => s.isRecording())).toBe(false);
  });

  it('registerGlobal: false leaves the globals alone', () => {
    const handle = setup({ exporter: 'memory', registerGlobal: false, env: {} });
    expect(withSpan('GetVirtualMachine', (s) => s.isRecording())).toBe(false);
    handle.tracer('mine').startSpan('GetVirtualMachine').end();
    const [span] = (handle.spanExporter as InMemorySpanExporter).getFinishedSpans();
    expect(span?.instrumentationScope.name).toBe('mine');
  });

  it('puts the service and OTEL_RESOURCE_ATTRIBUTES on the resource; code wins', () => {
    const handle = setup({
      exporter: 'memory',
      service: 'compute',
      registerGlobal: false,
      env: {
        OTEL_SERVICE_NAME: 'from-env',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,service.version=1.2.3',
        POD_NAMESPACE: 'prod',
        KUBERNETES_SERVICE_HOST: '10.96.0.1',
      },
    });
    handle.tracer().startSpan('GetVirtualMachine').end();
    const [span] = (handle.spanExporter as InMemorySpanExporter).getFinishedSpans();
    expect(span?.resource.attributes).toMatchObject({
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'process.pid': process.pid,
      'service.name': 'compute',
      'service.version': '1.2.3',
      'deployment.environment.name': 'staging',
      'k8s.namespace.name': 'prod',
    });
  });

  it('OTEL_SDK_DISABLED gives a no-op handle that registers nothing', async () => {
    const handle = setup({ exporter: 'memory', env: { OTEL_SDK_DISABLED: 'true' } });
    expect(handle.enabled).toBe(false);
    expect(handle.tracerProvider).toBeUndefined();
    expect(handle.tracer().startSpan('GetVirtualMachine').isRecording()).toBe(false);
    expect(withSpan('GetVirtualMachine', (s) => s.isRecording())).toBe(false);
    expect(propagation.fields()).toEqual([]);
    await expect(handle.forceFlush()).resolves.toBeUndefined();
    await expect(handle.shutdown()).resolves.toBeUndefined();
    // The code option wins over the variable.
    expect(
      setup({ exporter: 'memory', disabled: false, env: { OTEL_SDK_DISABLED: 'true' } }).enabled,
    ).toBe(true);
  });

  it('the handle names the exporter kind, as the metrics and logging handles do', async () => {
    const memory = setup({ exporter: 'memory', registerGlobal: false, env: {} });
    expect(memory.exporter).toBe('memory');
    expect(memory.spanExporter).toBeInstanceOf(InMemorySpanExporter);
    const fromEnv = setup({ registerGlobal: false, env: { OTEL_TRACES_EXPORTER: 'none' } });
    expect([fromEnv.exporter, fromEnv.spanExporter]).toEqual(['none', undefined]);
    const own = new InMemorySpanExporter();
    const custom = setup({ exporter: own, registerGlobal: false, env: {} });
    expect([custom.exporter, custom.spanExporter]).toEqual(['custom', own]);
    const disabled = setup({ exporter: 'memory', disabled: true, env: {} });
    expect([disabled.enabled, disabled.exporter, disabled.spanExporter]).toEqual([
      false,
      'none',
      undefined,
    ]);
  });

  it('shutdown twice is the same promise, and it leaves the active context as it was', async () => {
    const handle = setup({ exporter: 'memory', env: {} });
    const first = handle.shutdown();
    expect(handle.shutdown()).toBe(first);
    await first;
    expect(context.active()).toBe(ROOT_CONTEXT);
  });
});

describe('the bounded batch queue', () => {
  it('counts spans dropped on a full queue and reports them through diag, rate-limited', async () => {
    const silent = await startSilentServer();
    try {
      const handle = setup({
        exporter: 'otlp',
        otlp: { endpoint: silent.url, timeoutMillis: 60_000 },
        maxQueueSize: 2,
        maxExportBatchSize: 2,
        scheduledDelayMillis: 60_000,
        shutdownTimeoutMillis: 200,
        registerGlobal: false,
        instrumentFetch: false,
        env: {},
      });
      const tracer = handle.tracer();
      // Two spans fill a batch, which goes to the exporter and hangs there; two more fill the
      // queue; the last six have no room.
      for (let i = 0; i < 10; i++) tracer.startSpan('GetVirtualMachine').end();
      expect(handle.droppedSpans).toBe(6);
      const dropWarnings = () => logs.warnings.filter((w) => w.includes('span queue is full'));
      expect(dropWarnings()).toHaveLength(1);
      expect(dropWarnings()[0]).toContain('dropped 1 span(s), 1 since set-up');
      await handle.shutdown();
      expect(dropWarnings()).toHaveLength(2);
      expect(dropWarnings()[1]).toContain('dropped 5 span(s), 6 since set-up');
    } finally {
      await silent.close();
    }
  });
});
