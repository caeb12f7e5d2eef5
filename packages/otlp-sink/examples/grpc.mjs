import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

// OTLP/gRPC on a second port: point a gRPC exporter's `url` at sink.grpcEndpoint.
const sink = await startOtlpSink({ grpc: true });
try {
  const provider = new TracerProvider({
    spanProcessors: [
      new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: sink.grpcEndpoint }) }),
    ],
  });
  provider.getTracer('grpc-example').startSpan('ListVirtualMachines').end();
  await provider.shutdown(); // exports what is queued

  await sink.waitFor(() => sink.spans().length === 1, { timeoutMs: 2000 });
  const [span] = sink.spans();
  const [call] = sink.requests();
  console.log(span.name, call.transport, call.grpcStatus);
  if (span.name !== 'ListVirtualMachines' || call.transport !== 'grpc' || call.grpcStatus !== 0) {
    throw new Error('the span did not arrive over gRPC');
  }
} finally {
  await sink.close();
}
console.log('grpc example ok');
