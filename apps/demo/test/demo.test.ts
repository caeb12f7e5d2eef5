// Runs the demo command as a person would (`node run.mjs`), once with its JSON summary to assert on
// the structure, and checks the printed report too. Each run starts both services, a loopback OTLP
// receiver, drives the scenario and stops everything.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const run = (args: string[], env: Record<string, string> = {}) =>
  promisify(execFile)(process.execPath, ['run.mjs', ...args], {
    cwd: demoDir,
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '', ...env },
    timeout: 90_000,
    maxBuffer: 10 * 1024 * 1024,
  });

interface Summary {
  steps: Array<{ name: string; status: number }>;
  traceId: string;
  trace: Array<{
    service: string;
    name: string;
    kind: string;
    status: string;
    parentName?: string;
  }>;
  metrics: Record<string, string>;
  openMetrics: { text: string; contentType: string };
  exemplar: { le: string; traceId: string; spanId: string; labels: Record<string, string> };
  exemplarTrace: { traceId: string; root: string; rootService: string; spans: number };
  traceLogs: Array<Record<string, unknown>>;
  otlp: {
    requests: Array<{ signal: string; encoding: string; status: number }>;
    logs: number;
    metrics: string[];
  };
}

describe.each(['http/protobuf', 'http/json'])('the demo over OTLP %s', (protocol) => {
  it('one trace spans both services, with the expected names, parents and metrics', async () => {
    const { stdout } = await run(['--json'], { OTEL_EXPORTER_OTLP_PROTOCOL: protocol });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as Summary;

    expect(summary.steps.map((s) => [s.name, s.status])).toEqual([
      ['create', 201],
      ['get', 200],
      ['list', 200],
      ['not found', 404],
      ['validation error', 422],
      ['injected failure', 500],
      ['delete', 200],
    ]);

    // The create request: one trace id across both services, whole.
    expect(summary.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(summary.trace.map((s) => [s.service, s.name, s.kind, s.parentName])).toEqual([
      ['compute', 'CreateVirtualMachine', 'SERVER', undefined],
      ['compute', 'ReconcileVirtualMachine', 'INTERNAL', 'CreateVirtualMachine'],
      ['compute', 'POST', 'CLIENT', 'ReconcileVirtualMachine'],
      ['network', 'CreateIPAddress', 'SERVER', 'POST'],
      ['network', 'AllocateIPAddress', 'INTERNAL', 'CreateIPAddress'],
    ]);
    expect(summary.trace.every((s) => s.status === 'UNSET')).toBe(true);

    // Every signal arrived at the receiver in the chosen encoding.
    const encoding = protocol === 'http/json' ? 'json' : 'protobuf';
    for (const signal of ['traces', 'metrics', 'logs']) {
      expect(
        summary.otlp.requests.some(
          (r) => r.signal === signal && r.encoding === encoding && r.status === 200,
        ),
        signal,
      ).toBe(true);
    }
    expect(summary.otlp.metrics).toEqual(
      expect.arrayContaining([
        'compute.vm.requests.total',
        'compute.vm.request.duration.seconds',
        'compute.vm.active',
        'compute.vm.provisioning.duration.seconds',
        'network.ipaddress.requests.total',
        'network.ipaddress.allocations.total',
      ]),
    );
    expect(summary.otlp.logs).toBeGreaterThan(0);

    // Prometheus form, from each app's /metrics.
    expect(summary.metrics['compute-api']).toMatch(
      /^compute_vm_requests_total\{http_request_method="POST",http_response_status_code="201",http_route="\/apis\/compute\.datumapis\.com\/v1alpha1\/namespaces\/\{namespace\}\/virtualmachines",operation="Create"\} 1$/m,
    );
    expect(summary.metrics['compute-api']).toMatch(
      /^compute_vm_requests_total\{http_request_method="GET",http_response_status_code="500",http_route="[^"]*",operation="Get"\} 1$/m,
    );
    expect(summary.metrics['compute-api']).toMatch(
      /^compute_vm_request_duration_seconds_bucket\{/m,
    );
    expect(summary.metrics['compute-api']).toMatch(/^compute_vm_active\{namespace="default"\} 0$/m);
    expect(summary.metrics['network-api']).toMatch(
      /^network_ipaddress_allocations_total\{result="allocated"\} 1$/m,
    );
    expect(summary.metrics['network-api']).toMatch(
      /^network_ipaddress_requests_total\{http_request_method="POST",http_response_status_code="201",http_route="[^"]*",operation="Create"\} 1$/m,
    );

    // The slowest bucket's exemplar of compute's request durations, from the OpenMetrics scrape, and
    // the trace it points to, as the receiver got it: a compute server span is its root.
    expect(summary.openMetrics.contentType).toMatch(/^application\/openmetrics-text/);
    const exemplarLine = summary.openMetrics.text
      .split('\n')
      .find(
        (l) =>
          l.startsWith('compute_vm_request_duration_seconds_bucket{') &&
          l.includes(
            `# {trace_id="${summary.exemplar.traceId}",span_id="${summary.exemplar.spanId}"}`,
          ),
      );
    expect(exemplarLine).toMatch(/^compute_vm_request_duration_seconds_bucket\{/);
    expect(exemplarLine).toContain(`le="${summary.exemplar.le}"}`);
    expect(summary.exemplarTrace.traceId).toBe(summary.exemplar.traceId);
    expect(summary.exemplarTrace.rootService).toBe('compute');
    expect(summary.exemplarTrace.root).toEqual(
      summary.exemplar.labels.operation === 'Create'
        ? 'CreateVirtualMachine'
        : expect.stringMatching(/VirtualMachines?$/),
    );
    if (summary.exemplar.traceId === summary.traceId) expect(summary.exemplarTrace.spans).toBe(5);

    // Log lines from both services carry the trace id.
    const services = new Set(summary.traceLogs.map((l) => l.service));
    expect(services).toEqual(new Set(['compute', 'network']));
    expect(summary.traceLogs.some((l) => l.msg === 'address allocated')).toBe(true);
    expect(
      summary.traceLogs.some(
        (l) => l.msg === 'request completed' && l['http.response.status_code'] === 201,
      ),
    ).toBe(true);
  });
});

it('prints the report a person reads, and exits 0', async () => {
  const { stdout } = await run([]);
  expect(stdout).toMatch(/^Trace [0-9a-f]{32} {2}\(POST create, across both services\)$/m);
  expect(stdout).toMatch(/^ {2}\[compute\] CreateVirtualMachine {2}SERVER {2}[\d.]+ ms {2}UNSET$/m);
  expect(stdout).toMatch(
    /^ {10}└─ \[network\] AllocateIPAddress {2}INTERNAL {2}[\d.]+ ms {2}UNSET$/m,
  );
  expect(stdout).toMatch(/^Metrics of compute-api/m);
  expect(stdout).toMatch(
    /^Slowest exemplar of compute_vm_request_duration_seconds \(GET http:\/\/127\.0\.0\.1:\d+\/metrics in OpenMetrics\)$/m,
  );
  expect(stdout).toMatch(/^ {2}trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16}$/m);
  expect(stdout).toMatch(
    /^ {2}-> trace: root \[compute\] \w+VirtualMachines?, \d+ spans, [\d.]+ ms$/m,
  );
  expect(stdout).toMatch(/^Log lines with trace_id [0-9a-f]{32}$/m);
  expect(stdout).toMatch(/\[network\] INFO address allocated/);
  expect(stdout.trim().split('\n').at(-1)).toBe(
    'Both services stopped (SIGTERM: drained and flushed).',
  );
});
