import { readFileSync } from 'node:fs';
import { ConfigError } from '@datum-telemetry/config';
import { optionalPeer } from '@datum-telemetry/config/manifest';
import type { SinkMetric } from '@datum-telemetry/otlp-sink';
import { decodeOtlpRequest } from '@datum-telemetry/otlp-sink';
import type { ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { GRPC_EXPORTER } from '../src/grpc-exporter.js';
import type { MetricsHandle } from '../src/index.js';
import { createInstruments, setupMetrics } from '../src/index.js';

const identity = (value: Buffer) => value;
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  peerDependencies: Record<string, string>;
};

/** A gRPC OTLP metrics receiver on loopback that decodes what it gets with the otlp-sink decoder. */
async function startGrpcReceiver(): Promise<{
  url: string;
  metrics: SinkMetric[];
  close(): Promise<void>;
}> {
  const received: SinkMetric[] = [];
  const server = new Server();
  server.addService(
    {
      Export: {
        path: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    {
      Export: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        const decoded = decodeOtlpRequest('metrics', 'protobuf', call.request);
        if (decoded.signal === 'metrics') received.push(...decoded.metrics);
        // An empty message is a valid ExportMetricsServiceResponse.
        callback(null, Buffer.alloc(0));
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    metrics: received,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

let handle: MetricsHandle | undefined;
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
});

describe('the gRPC exporter (an optional peer dependency)', () => {
  it('is loaded when chosen and exports to a gRPC receiver', async () => {
    const receiver = await startGrpcReceiver();
    try {
      handle = setupMetrics({
        service: 'compute',
        exporter: 'otlp',
        otlp: { protocol: 'grpc', endpoint: receiver.url },
        env: {},
        register: false,
      });
      createInstruments(handle.meter())
        .counter('compute.vm.requests.total')
        .add(3, { code: '200' });
      await handle.ready;
      await handle.forceFlush();
      const counter = receiver.metrics.find((m) => m.name === 'compute.vm.requests.total');
      expect(counter).toMatchObject({
        type: 'sum',
        monotonic: true,
        resource: { 'service.name': 'compute' },
      });
      expect(counter?.points[0]).toMatchObject({ attributes: { code: '200' }, value: 3 });
    } finally {
      await handle?.shutdown();
      await receiver.close();
    }
  });

  it('names the package to install when it is missing, with the version of our peerDependencies', () => {
    expect(() => GRPC_EXPORTER.assertInstalled('otlp.protocol', 'grpc')).not.toThrow();
    const version = manifest.peerDependencies[GRPC_EXPORTER.name];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(GRPC_EXPORTER.missingMessage('the OTLP protocol "grpc"')).toBe(
      `the OTLP protocol "grpc" needs @opentelemetry/exporter-metrics-otlp-grpc, an optional peer dependency of @datum-telemetry/metrics that is not installed: run \`npm install @opentelemetry/exporter-metrics-otlp-grpc@${version}\``,
    );
    let error: unknown;
    try {
      optionalPeer(
        import.meta.url,
        '@opentelemetry/exporter-metrics-otlp-grpc-missing',
      ).assertInstalled('otlp.protocol', 'the OTLP protocol "grpc"');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('otlp.protocol');
    expect((error as Error).message).toContain(
      'npm install @opentelemetry/exporter-metrics-otlp-grpc-missing`',
    );
  });

  it('refuses headers from code, which it cannot send', () => {
    expect(() =>
      setupMetrics({
        exporter: 'otlp',
        otlp: { protocol: 'grpc', headers: { authorization: 'x' } },
        env: {},
        register: false,
      }),
    ).toThrow(
      /otlp\.headers: the gRPC exporter takes headers only from OTEL_EXPORTER_OTLP_HEADERS/,
    );
  });
});
