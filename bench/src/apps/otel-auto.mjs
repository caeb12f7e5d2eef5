// OpenTelemetry auto-instrumentation as its documentation sets it up: the Node SDK with the HTTP
// instrumentation and the framework's, spans exported over OTLP/protobuf (default batch queue,
// parent-based always-on sampling, so 100% of these root spans). It must start before the
// framework is required, which is why the apps load frameworks with require().
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KoaInstrumentation } from '@opentelemetry/instrumentation-koa';
import { NodeSDK } from '@opentelemetry/sdk-node';

export function startOtelAuto({ sinkUrl, framework }) {
  const sdk = new NodeSDK({
    serviceName: 'compute',
    traceExporter: new OTLPTraceExporter({ url: `${sinkUrl}/v1/traces` }),
    instrumentations: [
      new HttpInstrumentation(),
      framework === 'koa' ? new KoaInstrumentation() : new ExpressInstrumentation(),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
