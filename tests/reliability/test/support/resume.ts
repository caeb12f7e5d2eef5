import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { newTrace } from './traffic.js';

const LIST = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines';

/**
 * After an outage, sends a request in a fresh trace every half second until one of them has its
 * server span and its access log at the collector (what was queued before may fill the queue for
 * a moment, and a request made then is dropped, as it should be). Resolves to that trace's id;
 * rejects when none arrived within `timeoutMs`.
 */
export async function sendUntilExported(
  url: string,
  sink: OtlpSink,
  timeoutMs = 30_000,
): Promise<string> {
  const sent: string[] = [];
  const arrived = () => {
    const spans = new Set(
      sink
        .spans()
        .filter((s) => s.kind === 'SERVER')
        .map((s) => s.traceId),
    );
    const logs = new Set(sink.logs().map((r) => r.traceId));
    return sent.find((id) => spans.has(id) && logs.has(id));
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { traceId, traceparent } = newTrace();
    sent.push(traceId);
    const response = await fetch(`${url}${LIST}`, { headers: { traceparent } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`the list request answered ${response.status}`);
    const found = await sink.waitFor(arrived, { timeoutMs: 500 }).then(arrived, () => undefined);
    if (found !== undefined) return found;
  }
  throw new Error(
    `none of ${sent.length} requests reached the collector within ${timeoutMs} ms: ${sink.spans().length} spans, ${sink.logs().length} log records received`,
  );
}
