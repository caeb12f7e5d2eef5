// The demo's exemplar section, through its lib (as run.mjs uses it): both services export to a real
// OTLP receiver on loopback, the scenario runs, compute-api's /metrics is scraped in OpenMetrics,
// and the slowest bucket's exemplar must lead to the server span of a real request, whose trace the
// receiver got.
import type { OtlpSink, SinkSpan } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exemplarTrace,
  formatExemplar,
  runScenario,
  scrapeOpenMetrics,
  slowestExemplar,
  startServices,
} from '../lib.mjs';

const HISTOGRAM = 'compute_vm_request_duration_seconds';

interface Service {
  url: string;
  stop(): Promise<number>;
}

let sink: OtlpSink;
let services: { compute: Service; network: Service };

beforeAll(async () => {
  sink = await startOtlpSink();
  services = await startServices({
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  });
}, 60_000);

afterAll(async () => {
  await services?.compute.stop();
  await services?.network.stop();
  await sink?.close();
});

describe('the slowest exemplar of compute-api and its trace', () => {
  it('points at the server span of a scenario request, whose whole trace the receiver got', async () => {
    const steps = await runScenario(services.compute.url);
    const { text, contentType } = await scrapeOpenMetrics(services.compute.url);
    expect(contentType).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);

    const exemplar = slowestExemplar(text, HISTOGRAM)!;
    expect(exemplar).toBeDefined();
    // Read off the raw lines: no bucket line with an exemplar has a higher bound.
    const bound = (le: string) => (le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le));
    const withExemplars = text
      .split('\n')
      .filter((l) => l.startsWith(`${HISTOGRAM}_bucket{`) && l.includes(' # {trace_id="'));
    expect(withExemplars.length).toBeGreaterThanOrEqual(steps.length - 1);
    const highest = Math.max(...withExemplars.map((l) => bound(/le="([^"]+)"/.exec(l)![1]!)));
    expect(bound(exemplar.le)).toBe(highest);
    const line = withExemplars.find((l) => l.includes(`trace_id="${exemplar.traceId}"`))!;
    expect(line).toContain(`span_id="${exemplar.spanId}"`);
    expect(line).toContain(`le="${exemplar.le}"`);
    // The exemplar value lies in its bucket.
    const bounds = [
      ...new Set(
        text
          .split('\n')
          .filter((l) => l.startsWith(`${HISTOGRAM}_bucket{`))
          .map((l) => bound(/le="([^"]+)"/.exec(l)![1]!)),
      ),
    ].sort((a, b) => a - b);
    const below = bounds.filter((b) => b < bound(exemplar.le)).at(-1) ?? 0;
    expect(exemplar.value).toBeGreaterThan(below);
    expect(exemplar.value).toBeLessThanOrEqual(bound(exemplar.le));

    // Its span is compute-api's server span of that very request: same route, method and status.
    await sink.waitFor(() => sink.spans().some((s) => s.spanId === exemplar.spanId), {
      timeoutMs: 10_000,
    });
    const server = sink.spans().find((s) => s.spanId === exemplar.spanId) as SinkSpan;
    expect(server.traceId).toBe(exemplar.traceId);
    expect(server.kind).toBe('SERVER');
    expect(server.resource['service.name']).toBe('compute');
    expect(server.attributes['http.route']).toBe(exemplar.labels.http_route);
    expect(server.attributes['http.request.method']).toBe(exemplar.labels.http_request_method);
    expect(String(server.attributes['http.response.status_code'])).toBe(
      exemplar.labels.http_response_status_code,
    );

    // The trace, as the demo prints it: the server span is its root, every span of it counted.
    await sink.waitFor(
      () =>
        server.name !== 'CreateVirtualMachine' ||
        sink.spans().filter((s) => s.traceId === exemplar.traceId).length >= 5,
      { timeoutMs: 10_000 },
    );
    const trace = exemplarTrace(sink.spans(), exemplar.traceId)!;
    expect(trace.root).toBe(server.name);
    expect(trace.rootService).toBe('compute');
    expect(trace.spans).toBe(sink.spans().filter((s) => s.traceId === exemplar.traceId).length);
    if (server.name === 'CreateVirtualMachine') expect(trace.spans).toBe(5);
    expect(trace.durationMs).toBe(Number(server.endTimeUnixNano - server.startTimeUnixNano) / 1e6);
    const printed = formatExemplar(exemplar, trace);
    expect(printed[1]).toBe(`trace_id=${exemplar.traceId} span_id=${exemplar.spanId}`);
    expect(printed[2]).toMatch(
      new RegExp(`^-> trace: root \\[compute\\] ${server.name}, ${trace.spans} spans, [\\d.]+ ms$`),
    );
  }, 60_000);
});

describe('bad input gets undefined, never a throw', () => {
  it.each([
    ['no such histogram', '# TYPE a counter\na_total 1\n# EOF\n'],
    [
      'buckets without exemplars',
      `# TYPE ${HISTOGRAM} histogram\n${HISTOGRAM}_bucket{le="+Inf"} 1\n${HISTOGRAM}_count 1\n${HISTOGRAM}_sum 1\n# EOF\n`,
    ],
    [
      'the same name as a gauge',
      `# TYPE ${HISTOGRAM} gauge\n${HISTOGRAM} 1 # {trace_id="ab"} 1\n# EOF\n`,
    ],
    ['garbage', '{{{ not metrics \u0000'],
    ['nothing', ''],
  ])('slowestExemplar on %s', (_, text) => {
    expect(slowestExemplar(text, HISTOGRAM)).toBeUndefined();
  });

  it('exemplarTrace of a trace no span came for', () => {
    expect(exemplarTrace(sink.spans(), '0'.repeat(32))).toBeUndefined();
    expect(
      formatExemplar(
        { labels: {}, le: '+Inf', value: 1, traceId: 'ab', spanId: 'cd' },
        undefined,
      )[2],
    ).toBe('-> no span of this trace reached the OTLP receiver');
  });
});
