// Quick start for @datum-telemetry/tracing: set up once, name spans {Operation}{Resource}, and let
// the trace context ride along on outgoing fetch calls. With no collector configured, spans are
// printed on the console, one readable line each.
import { createServer } from 'node:http';
import {
  createSpanHelper,
  resourceAttributes,
  setupTracing,
  withSpan,
} from '@datum-telemetry/tracing';

// 1. Once, at start-up. OTEL_* variables work too (OTEL_EXPORTER_OTLP_ENDPOINT sends to a collector).
const tracing = setupTracing({ service: 'compute' });

// 2. One helper per operation: the name is checked against the naming rules here, once.
const reconcileVirtualMachine = createSpanHelper({
  operation: 'Reconcile',
  kind: 'VirtualMachine',
});

// A stand-in for another service on loopback; it answers with the traceparent it received.
const network = createServer((req, res) => res.end(req.headers.traceparent ?? 'none'));
await new Promise((resolve) => network.listen(0, '127.0.0.1', resolve));
const { port } = network.address();

const vm = {
  apiVersion: 'compute.datumapis.com/v1alpha1',
  kind: 'VirtualMachine',
  metadata: { name: 'vm-1', namespace: 'default' },
};

// 3. Run work inside a span: attributes, error recording and span.end() are taken care of.
const result = await reconcileVirtualMachine(resourceAttributes(vm), async (span) => {
  const response = await fetch(
    `http://127.0.0.1:${port}/apis/network.datumapis.com/v1alpha1/ipaddresses`,
  );
  return { traceId: span.spanContext().traceId, received: await response.text() };
});

// 4. A failure is recorded on the span (status ERROR, exception event) and rethrown unchanged.
const failure = await withSpan({ operation: 'Delete', kind: 'VirtualMachine' }, async () => {
  throw new Error('vm-1 is still running');
}).catch((error) => error);

network.closeAllConnections();
network.close();
// 5. On the way out: flushes within a deadline (5 s by default) and never throws.
await tracing.shutdown();

if (!result.received.startsWith(`00-${result.traceId}-`)) {
  throw new Error(
    `the other service got traceparent ${result.received}, not trace ${result.traceId}`,
  );
}
if (failure?.message !== 'vm-1 is still running') throw new Error('the error was not rethrown');
console.log('quickstart ok');
