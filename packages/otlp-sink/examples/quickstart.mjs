import { startOtlpSink } from '@datum-telemetry/otlp-sink';

// A receiver on 127.0.0.1 and a free port. Point an exporter at sink.endpoint
// (OTEL_EXPORTER_OTLP_ENDPOINT), or post OTLP/JSON yourself as here.
const sink = await startOtlpSink();
try {
  const response = await fetch(`${sink.endpoint}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'compute' } }] },
          scopeSpans: [
            {
              scope: { name: 'quickstart' },
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  name: 'CreateVirtualMachine',
                  kind: 2,
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000250000000',
                  attributes: [{ key: 'http.response.status_code', value: { intValue: '201' } }],
                  status: { code: 1 },
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}`);

  await sink.waitFor(() => sink.spans().length === 1, { timeoutMs: 2000 });
  const [span] = sink.spans();
  console.log(span.name, span.kind, span.status.code, span.attributes, span.resource);
  if (
    span.name !== 'CreateVirtualMachine' ||
    span.kind !== 'SERVER' ||
    span.status.code !== 'OK' ||
    span.attributes['http.response.status_code'] !== 201 ||
    span.resource['service.name'] !== 'compute' ||
    span.endTimeUnixNano - span.startTimeUnixNano !== 250_000_000n
  ) {
    throw new Error('the span did not decode as sent');
  }

  // Failure modes: the next export is refused with 503 and a Retry-After header.
  sink.respondWith({ status: 503, retryAfterSeconds: 1, times: 1 });
  const refused = await fetch(`${sink.endpoint}/v1/logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (refused.status !== 503 || refused.headers.get('retry-after') !== '1') {
    throw new Error(`expected 503 with Retry-After: 1, got ${refused.status}`);
  }
} finally {
  await sink.close();
}
console.log('quickstart ok');
