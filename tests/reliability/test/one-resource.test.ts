// Issue 14, defect 8: spans, metrics and logs carry one resource, built once by
// @datum-telemetry/config (service.name, telemetry.sdk.*, host and process attributes), and a generic
// CONTAINER_NAME outside Kubernetes is not taken for k8s.container.name.
import { setupLogging } from '@datum-telemetry/logging';
import { setupMetrics } from '@datum-telemetry/metrics';
import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { setupTracing } from '@datum-telemetry/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let sink: OtlpSink;
beforeAll(async () => {
  sink = await startOtlpSink();
});
afterAll(async () => {
  await sink.close();
});

describe('one resource for every signal', () => {
  it('spans, metrics and logs exported over OTLP carry the same resource attributes', async () => {
    const env = {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_SERVICE_NAME: 'compute',
      OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.2.3,deployment.environment.name=test',
      CONTAINER_NAME: 'compose-compute-1',
    };
    const tracing = setupTracing({ env, registerGlobal: false, processor: 'simple' });
    const metrics = setupMetrics({ env, register: false });
    const logging = setupLogging({ env, stream: null });
    try {
      tracing.tracer().startSpan('GetVirtualMachine').end();
      metrics.meter().createCounter('compute.vm.requests.total').add(1);
      logging.logger.info('resource created');
      await Promise.all([tracing.forceFlush(), metrics.forceFlush(), logging.forceFlush()]);
      await sink.waitFor(
        () => sink.spans().length > 0 && sink.metrics().length > 0 && sink.logs().length > 0,
        { timeoutMs: 10_000 },
      );
    } finally {
      await Promise.all([tracing.shutdown(), metrics.shutdown(), logging.shutdown()]);
    }

    const spanResource = sink.spans()[0]!.resource;
    const metricResource = sink.metrics()[0]!.resource;
    const logResource = sink.logs()[0]!.resource;
    expect(metricResource).toEqual(spanResource);
    expect(logResource).toEqual(spanResource);
    expect(spanResource).toMatchObject({
      'service.name': 'compute',
      'service.version': '1.2.3',
      'deployment.environment.name': 'test',
      'telemetry.sdk.name': 'opentelemetry',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': expect.any(String),
      'host.name': expect.any(String),
      'process.pid': process.pid,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': process.versions.node,
    });
    expect(Object.keys(spanResource).filter((key) => key.startsWith('k8s.'))).toEqual([]);
  });
});
