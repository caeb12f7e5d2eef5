import { readFileSync } from 'node:fs';
import { createServer as createHttp2Server } from 'node:http2';
import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { optionalPeer } from '@datum-telemetry/config/manifest';
import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { decodeOtlpRequest, startOtlpSink } from '@datum-telemetry/otlp-sink';
import type { SpanContext } from '@opentelemetry/api';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LoggingOptions } from '../src/index.js';
import { ConfigError, LOG_LEVELS, LOG_SEVERITY, setupLogging } from '../src/index.js';
import { GRPC_EXPORTER, GRPC_REASON } from '../src/otlp/export-plan.js';
import { captureDiag } from './diag-capture.js';
import { memoryStream } from './helpers.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
};
const packageVersion = manifest.version;
const tracerProvider = new TracerProvider();
const tracer = tracerProvider.getTracer('logging-test');

let sink: OtlpSink;

beforeAll(async () => {
  sink = await startOtlpSink();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(async () => {
  context.disable();
  await tracerProvider.shutdown();
  await sink.close();
});
beforeEach(() => {
  sink.clear();
  sink.respondWith(undefined);
});

function otlpTo(endpoint: string, options: LoggingOptions = {}): LoggingOptions {
  return {
    service: 'compute',
    level: 'trace',
    env: {},
    exporter: 'otlp',
    otlp: { endpoint },
    stream: null,
    ...options,
  };
}

describe.each(['http/protobuf', 'http/json'] as const)('OTLP export over %s', (protocol) => {
  it('exports every record with body, severity, fields, resource, scope and trace context', async () => {
    const out = memoryStream();
    const setup = setupLogging(
      otlpTo(sink.endpoint, {
        otlp: { endpoint: sink.endpoint, protocol },
        serviceVersion: '1.2.3',
        stream: out,
      }),
    );
    expect(setup.exporter).toBe('otlp');
    const log = setup.logger.child({ operation: 'create' });
    let spanContext: SpanContext | undefined;
    tracer.startActiveSpan('CreateVirtualMachine', (span) => {
      log.info('resource created', 'name', 'vm-1', 'spec', { cpu: 2, password: 'p' });
      spanContext = span.spanContext();
      span.end();
    });
    log.error(new Error('quota exceeded', { cause: new TypeError('root') }), 'failed');
    for (const level of LOG_LEVELS) log[level](`at ${level}`);
    await setup.forceFlush();
    await setup.shutdown();

    const logs = sink.logs();
    expect(logs).toHaveLength(8);
    expect(
      sink.requests().every((r) => r.encoding === (protocol === 'http/json' ? 'json' : 'protobuf')),
    ).toBe(true);

    const created = logs.find((record) => record.body === 'resource created')!;
    expect(created).toMatchObject({
      severityNumber: 9,
      severityText: 'INFO',
      traceId: spanContext!.traceId,
      spanId: spanContext!.spanId,
      traceFlags: 1,
    });
    expect(created.attributes).toEqual({
      operation: 'create',
      'resource.name': 'vm-1',
      spec: { cpu: 2, password: '[REDACTED]' },
    });
    expect(created.resource).toMatchObject({
      'service.name': 'compute',
      'service.version': '1.2.3',
      'host.name': hostname(),
      'process.pid': process.pid,
      'telemetry.sdk.language': 'nodejs',
    });
    expect(created.scope).toMatchObject({
      name: '@datum-telemetry/logging',
      version: packageVersion,
    });

    const line = out.lines().find((l) => l.msg === 'resource created')!;
    expect(created.timeUnixNano).toBe(BigInt(Date.parse(line.time as string)) * 1_000_000n);
    expect(line.trace_id).toBe(created.traceId);

    const failed = logs.find((record) => record.body === 'failed')!;
    expect(failed.traceId).toBeUndefined();
    expect(failed.severityNumber).toBe(17);
    expect(failed.attributes).toMatchObject({
      operation: 'create',
      error: {
        type: 'Error',
        message: 'quota exceeded',
        cause: { type: 'TypeError', message: 'root' },
      },
      'exception.type': 'Error',
      'exception.message': 'quota exceeded',
    });
    expect(failed.attributes['exception.stacktrace']).toMatch(/^Error: quota exceeded\n/);

    for (const level of LOG_LEVELS) {
      const record = logs.find((r) => r.body === `at ${level}`)!;
      expect([record.severityNumber, record.severityText]).toEqual([
        LOG_SEVERITY[level].severityNumber,
        LOG_SEVERITY[level].severityText,
      ]);
    }
  });
});

describe('OTLP export set-up', () => {
  it('is configured by OTEL_* variables alone (endpoint, protocol, compression, resource)', async () => {
    const setup = setupLogging({
      stream: null,
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
        OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_SERVICE_NAME: 'network',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test',
      },
    });
    expect(setup.exporter).toBe('otlp');
    setup.logger.info('from env');
    await setup.shutdown();
    expect(sink.requests()).toEqual([expect.objectContaining({ encoding: 'json', gzip: true })]);
    expect(sink.logs()[0]).toMatchObject({
      body: 'from env',
      resource: { 'service.name': 'network', 'deployment.environment': 'test' },
    });
  });

  it('is off by default (JSON lines only), and with OTEL_SDK_DISABLED or OTEL_LOGS_EXPORTER=none', async () => {
    expect(setupLogging({ env: {}, stream: null }).exporter).toBe('console');
    const disabled = setupLogging({
      stream: null,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_SDK_DISABLED: 'true' },
    });
    const none = setupLogging({
      stream: null,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_LOGS_EXPORTER: 'none' },
    });
    expect([disabled.exporter, none.exporter]).toEqual(['none', 'none']);
    expect([disabled.enabled, none.enabled]).toEqual([false, true]);
    disabled.logger.info('not exported');
    none.logger.info('not exported');
    await Promise.all([disabled.shutdown(), none.shutdown()]);
    expect(sink.requests()).toEqual([]);
  });

  it('disabled: true turns the export off as OTEL_SDK_DISABLED does; disabled: false wins over it', async () => {
    const lines = memoryStream();
    const off = setupLogging({
      disabled: true,
      exporter: 'otlp',
      stream: lines,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint },
    });
    expect([off.enabled, off.exporter, off.droppedLogRecords]).toEqual([false, 'none', 0]);
    off.logger.info('written, not exported');
    await off.shutdown();
    expect(sink.requests()).toEqual([]);
    expect(lines.text()).toContain('written, not exported');
    const on = setupLogging({
      disabled: false,
      stream: null,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_SDK_DISABLED: 'true' },
    });
    expect([on.enabled, on.exporter]).toEqual([true, 'otlp']);
    await on.shutdown();
    expect(() => setupLogging({ disabled: 1 as never, env: {}, stream: null })).toThrow(
      'disabled: got 1; expected true or false',
    );
  });

  it('exports records written before the SDK finished loading, up to the queue size', async () => {
    const out = memoryStream();
    const setup = setupLogging(otlpTo(sink.endpoint, { stream: out, batch: { maxQueueSize: 5 } }));
    // The SDK loads asynchronously: these are all written before it is ready.
    for (let i = 0; i < 20; i++) setup.logger.info(`record ${i}`);
    await setup.shutdown();
    expect(out.lines()).toHaveLength(20);
    expect(sink.logs().map((r) => r.body)).toEqual([0, 1, 2, 3, 4].map((i) => `record ${i}`));
  });

  it('stops exporting at shutdown; the logger keeps writing lines', async () => {
    const out = memoryStream();
    const setup = setupLogging(otlpTo(sink.endpoint, { stream: out }));
    setup.logger.info('before');
    await setup.shutdown();
    setup.logger.info('after');
    await setup.forceFlush();
    expect(sink.logs().map((r) => r.body)).toEqual(['before']);
    expect(out.lines().map((l) => l.msg)).toEqual(['before', 'after']);
  });

  it('reports a refused export to diag and resolves forceFlush', async () => {
    const reported = captureDiag();
    try {
      sink.respondWith({ status: 400 });
      const setup = setupLogging(otlpTo(sink.endpoint));
      setup.logger.info('refused');
      await expect(setup.forceFlush()).resolves.toBeUndefined();
      await setup.shutdown();
      expect(sink.requests()[0]?.status).toBe(400);
      expect(reported.messages.some((m) => m.startsWith('error'))).toBe(true);
    } finally {
      reported.stop();
    }
  });

  it.each<[string, LoggingOptions, RegExp]>([
    ['an unknown exporter', { exporter: 'prometheus' as 'otlp' }, /^exporter: got "prometheus"/],
    ['the memory exporter', { exporter: 'memory' as 'otlp' }, /createTestLogger/],
    // Issue 14, defect 6: misspelt options, at any depth, fail with a did-you-mean.
    [
      'a misspelt level',
      { levle: 'debug' } as LoggingOptions,
      /^levle: unknown option; did you mean "level"\?$/,
    ],
    [
      'a misspelt batch option',
      { batch: { maxQueueSze: 10 } } as LoggingOptions,
      /^batch\.maxQueueSze: unknown option; did you mean "maxQueueSize"\?$/,
    ],
    [
      'a misspelt OTLP option',
      { otlp: { protocl: 'grpc' } } as LoggingOptions,
      /^otlp\.protocl: unknown option; did you mean "protocol"\?$/,
    ],
    [
      'an unknown protocol',
      { exporter: 'otlp', otlp: { protocol: 'udp' as 'grpc' } },
      /^otlp\.protocol: /,
    ],
    ['a bad endpoint', { exporter: 'otlp', otlp: { endpoint: 'not a url' } }, /^otlp\.endpoint: /],
    [
      'a zero queue',
      { exporter: 'otlp', batch: { maxQueueSize: 0 } },
      /^batch\.maxQueueSize: got 0/,
    ],
    [
      'a batch bigger than the queue',
      { exporter: 'otlp', batch: { maxQueueSize: 10, maxExportBatchSize: 20 } },
      /^batch\.maxExportBatchSize: got 20; expected at most the queue size \(10\)$/,
    ],
    ['a negative shutdown timeout', { shutdownTimeoutMillis: -1 }, /^shutdownTimeoutMillis: /],
  ])('throws a ConfigError at set-up for %s', (_what, options, message) => {
    const attempt = () => setupLogging({ env: {}, stream: null, ...options });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  // Issue 14, defect 7: bad OTEL_* values are reported through diag and their defaults used.
  it.each<[string, Record<string, string>, string, RegExp]>([
    [
      'OTEL_LOGS_EXPORTER=kafka',
      { OTEL_LOGS_EXPORTER: 'kafka' },
      'console',
      /^warn @datum-telemetry: OTEL_LOGS_EXPORTER: got "kafka"; .*; ignored, using console $/,
    ],
    [
      'OTEL_LOGS_EXPORTER=memory',
      { OTEL_LOGS_EXPORTER: 'memory', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' },
      'otlp',
      /^warn @datum-telemetry: OTEL_LOGS_EXPORTER: got "memory"; expected one of otlp, console, none .*; ignored, using otlp $/,
    ],
    [
      'OTEL_EXPORTER_OTLP_TIMEOUT=soon',
      { OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' },
      'otlp',
      /^warn @datum-telemetry: OTEL_EXPORTER_OTLP_TIMEOUT: got "soon"; .*; ignored, using 10000 $/,
    ],
    [
      'OTEL_BLRP_SCHEDULE_DELAY=-1',
      { OTEL_LOGS_EXPORTER: 'otlp', OTEL_BLRP_SCHEDULE_DELAY: '-1' },
      'otlp',
      /^warn @datum-telemetry: OTEL_BLRP_SCHEDULE_DELAY: got "-1"; .*; ignored, using 1000 $/,
    ],
  ])('a bad variable warns and is ignored: %s', async (_what, env, exporter, warning) => {
    const reported = captureDiag();
    try {
      const setup = setupLogging({ env, stream: null });
      expect(setup.exporter).toBe(exporter);
      expect(reported.messages).toEqual([expect.stringMatching(warning)]);
      await setup.shutdown();
    } finally {
      reported.stop();
    }
  });

  it('names the optional peer to install when a protocol needs one that is missing', () => {
    expect(() =>
      optionalPeer(import.meta.url, '@datum-telemetry/no-such-peer').assertInstalled(
        'otlp.protocol',
        'the OTLP protocol "grpc"',
      ),
    ).toThrow(
      'otlp.protocol: the OTLP protocol "grpc" needs @datum-telemetry/no-such-peer, an optional peer dependency of @datum-telemetry/logging that is not installed: run `npm install @datum-telemetry/no-such-peer`',
    );
    // The version to install is the one of our own peerDependencies.
    const version = manifest.peerDependencies[GRPC_EXPORTER.name];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(GRPC_EXPORTER.missingMessage(GRPC_REASON)).toBe(
      `the OTLP protocol "grpc" needs @opentelemetry/exporter-logs-otlp-grpc, an optional peer dependency of @datum-telemetry/logging that is not installed: run \`npm install @opentelemetry/exporter-logs-otlp-grpc@${version}\``,
    );
    // Installed here (a dev dependency), so set-up with grpc passes the same check.
    expect(() => GRPC_EXPORTER.assertInstalled('x', GRPC_REASON)).not.toThrow();
  });
});

describe('OTLP export over gRPC', () => {
  it('sends the records and the headers (as metadata) to a gRPC endpoint', async () => {
    const received: { path: string; tenant: unknown; body: Buffer }[] = [];
    const server = createHttp2Server();
    server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          path: String(headers[':path']),
          tenant: headers['x-tenant'],
          body: Buffer.concat(chunks),
        });
        stream.respond(
          { ':status': 200, 'content-type': 'application/grpc' },
          { waitForTrailers: true },
        );
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const setup = setupLogging(
        otlpTo(`http://127.0.0.1:${port}`, {
          otlp: {
            endpoint: `http://127.0.0.1:${port}`,
            protocol: 'grpc',
            headers: { 'x-tenant': 'datum' },
          },
        }),
      );
      setup.logger.warn('over grpc', 'name', 'vm-1');
      await setup.shutdown();
      expect(received).toHaveLength(1);
      expect(received[0]!.path).toBe('/opentelemetry.proto.collector.logs.v1.LogsService/Export');
      expect(received[0]!.tenant).toBe('datum');
      // A gRPC message: 1 byte compression flag, 4 bytes length, then the protobuf request.
      const decoded = decodeOtlpRequest('logs', 'protobuf', received[0]!.body.subarray(5));
      expect(decoded.signal === 'logs' && decoded.logs[0]).toMatchObject({
        body: 'over grpc',
        severityNumber: 13,
        attributes: { 'resource.name': 'vm-1' },
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('shutdown against an endpoint that never answers', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let connected: Promise<void>;

  beforeEach(async () => {
    let onConnect!: () => void;
    connected = new Promise((resolve) => {
      onConnect = resolve;
    });
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      onConnect();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('resolves forceFlush and shutdown at the deadline (the exporter would wait 60 s), never rejects', async () => {
    const reported = captureDiag();
    try {
      const { port } = server.address() as { port: number };
      const setup = setupLogging(
        otlpTo(`http://127.0.0.1:${port}`, {
          otlp: { endpoint: `http://127.0.0.1:${port}`, timeoutMillis: 60_000 },
          batch: { exportTimeoutMillis: 60_000 },
          shutdownTimeoutMillis: 200,
        }),
      );
      setup.logger.info('never answered');
      const flushed = setup.forceFlush();
      await connected;
      await expect(flushed).resolves.toBeUndefined();
      const stopping = setup.shutdown();
      expect(setup.shutdown()).toBe(stopping);
      await expect(stopping).resolves.toBeUndefined();
      expect(reported.messages).toContain(
        'warn @datum-telemetry/logging: forceFlush of the OTLP log export did not finish within 200 ms; giving up ',
      );
      expect(
        reported.messages.some((m) => m.includes('shutdown of the OTLP log export did not finish')),
      ).toBe(true);
    } finally {
      reported.stop();
    }
  });
});
