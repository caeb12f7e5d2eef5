import { readFileSync } from 'node:fs';
import { ConfigError } from '@datum-telemetry/config';
import { optionalPeer } from '@datum-telemetry/config/manifest';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterEach, describe, expect, it } from 'vitest';
import { GRPC_EXPORTER } from '../src/exporters.js';
import type { TracingHandle } from '../src/index.js';
import { setupTracing, withSpan } from '../src/index.js';
import type { DiagCapture } from './support/diag.js';
import { captureDiag } from './support/diag.js';
import { closedPort } from './support/servers.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  peerDependencies: Record<string, string>;
};

let handle: TracingHandle | undefined;
let logs: DiagCapture | undefined;

afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
  logs?.restore();
});

describe('the optional gRPC exporter', () => {
  it('a missing optional package is a ConfigError naming the package to install', () => {
    let thrown: unknown;
    try {
      optionalPeer(import.meta.url, '@datum-telemetry/no-such-exporter').assertInstalled(
        'otlp.protocol',
        'the OTLP protocol "grpc"',
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as Error).message).toBe(
      'otlp.protocol: the OTLP protocol "grpc" needs @datum-telemetry/no-such-exporter, an optional peer dependency of @datum-telemetry/tracing that is not installed: run `npm install @datum-telemetry/no-such-exporter`',
    );
  });

  it('names the exact version to install from the package.json peerDependencies', () => {
    const version = manifest.peerDependencies[GRPC_EXPORTER.name];
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(GRPC_EXPORTER.missingMessage('the OTLP protocol "grpc"')).toBe(
      `the OTLP protocol "grpc" needs @opentelemetry/exporter-trace-otlp-grpc, an optional peer dependency of @datum-telemetry/tracing that is not installed: run \`npm install @opentelemetry/exporter-trace-otlp-grpc@${version}\``,
    );
    // Installed here (a dev dependency), so set-up with grpc passes the same check.
    expect(() => GRPC_EXPORTER.assertInstalled('otlp.protocol', 'grpc')).not.toThrow();
  });

  it('is loaded with a dynamic import when chosen, and export failures go to diag', async () => {
    logs = captureDiag();
    const port = await closedPort();
    handle = setupTracing({
      exporter: 'otlp',
      otlp: { protocol: 'grpc', endpoint: `http://127.0.0.1:${port}`, timeoutMillis: 2000 },
      processor: 'simple',
      shutdownTimeoutMillis: 3000,
      instrumentFetch: false,
      env: {},
    });
    withSpan('GetVirtualMachine', () => undefined);
    await handle.forceFlush();
    await handle.shutdown();
    // The gRPC client tried the loopback port: the exporter module was really loaded and used.
    expect(logs.errors.join('\n')).toMatch(/UNAVAILABLE|ECONNREFUSED|No connection established/);
  });

  it('delivers spans over OTLP/gRPC to a real receiver, with the service resource', async () => {
    const sink = await startOtlpSink({ grpc: true });
    try {
      handle = setupTracing({
        service: 'compute',
        exporter: 'otlp',
        otlp: { protocol: 'grpc', endpoint: sink.grpcEndpoint!, timeoutMillis: 5000 },
        processor: 'simple',
        instrumentFetch: false,
        env: {},
      });
      withSpan('GetVirtualMachine', (span) => span.setAttribute('resource.name', 'vm-1'));
      await handle.forceFlush();
      await sink.waitFor(() => sink.spans().length === 1);
      const [span] = sink.spans();
      expect(span).toMatchObject({
        name: 'GetVirtualMachine',
        attributes: { 'resource.name': 'vm-1' },
        resource: { 'service.name': 'compute' },
      });
      expect(sink.requests().map((r) => [r.signal, r.transport, r.grpcStatus])).toEqual([
        ['traces', 'grpc', 0],
      ]);
    } finally {
      await handle?.shutdown();
      handle = undefined;
      await sink.close();
    }
  });
});
