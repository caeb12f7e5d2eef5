// Spans of the OpenTelemetry SDK go through OtlpHttpSpanExporter to a collector: here a stand-in on
// 127.0.0.1 that only counts the requests, so that this runs anywhere.
import { createServer } from 'node:http';
import { OtlpHttpSpanExporter } from '@datum-telemetry/otlp';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

const received = [];
const collector = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    received.push({ type: req.headers['content-type'], bytes: Buffer.concat(chunks).length });
    res.end();
  });
});
await new Promise((resolve) => collector.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${collector.address().port}/v1/traces`;

const provider = new TracerProvider({
  spanProcessors: [
    new BatchSpanProcessor({
      exporter: new OtlpHttpSpanExporter({ url, compression: 'none' }),
    }),
  ],
});
provider.getTracer('quickstart').startSpan('GetVirtualMachine').end();
await provider.shutdown();
collector.close();

if (
  received.length !== 1 ||
  received[0].type !== 'application/x-protobuf' ||
  received[0].bytes === 0
) {
  throw new Error(`unexpected requests: ${JSON.stringify(received)}`);
}
console.log('quickstart ok');
