// A real Prometheus server (Debian's `prometheus` package, installed here when missing) with exemplar
// storage scrapes both demo services on loopback, in OpenMetrics; its query API must return our
// metrics with the expected labels, its exemplar API the trace and span ids of the server spans the
// services exported to a real OTLP receiver, and `promtool check metrics` must have nothing to say
// about either exposition.

import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OtlpSink, SinkSpan } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, runScenario, startServices } from '../lib.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Service {
  name: string;
  url: string;
  port: number;
  stop(): Promise<number>;
}
interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

let services: { compute: Service; network: Service };
let sink: OtlpSink;
let prometheus: ChildProcess;
let promUrl: string;
let dir: string;

function which(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/**
 * `scrape_protocols` with OpenMetrics 1.0.0 first, for a Prometheus that knows the setting (2.49 and
 * later); an older one (Debian 12 has 2.42) refuses it, and asks for OpenMetrics first on its own
 * when exemplar storage is on.
 */
function scrapeProtocols(): string[] {
  const version = /version (\d+)\.(\d+)/.exec(
    spawnSync('prometheus', ['--version'], { encoding: 'utf8' }).stdout ?? '',
  );
  const [major, minor] = [Number(version?.[1] ?? 0), Number(version?.[2] ?? 0)];
  return major > 2 || (major === 2 && minor >= 49)
    ? ['  scrape_protocols: [OpenMetricsText1.0.0, OpenMetricsText0.0.1, PrometheusText0.0.4]']
    : [];
}

beforeAll(async () => {
  if (!which('prometheus') || !which('promtool')) {
    // The test that needs it installs it (as CI does): Debian's package, from apt.
    execFileSync('bash', [join(root, 'scripts/install-system-deps.sh'), 'prometheus'], {
      stdio: 'inherit',
      timeout: 300_000,
    });
  }
  sink = await startOtlpSink();
  services = await startServices({
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_BSP_SCHEDULE_DELAY: '200',
  });
  dir = mkdtempSync(join(tmpdir(), 'datum-prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    ...scrapeProtocols(),
    'scrape_configs:',
    `  - job_name: compute-api`,
    `    static_configs: [{ targets: ['127.0.0.1:${services.compute.port}'] }]`,
    `  - job_name: network-api`,
    `    static_configs: [{ targets: ['127.0.0.1:${services.network.port}'] }]`,
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${promUrl}/-/ready`)).ok) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) throw new Error('Prometheus did not become ready within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  // The scenario every test reads the results of: 7 requests to compute-api, 2 of them on to
  // network-api.
  await runScenario(services.compute.url);
}, 360_000);

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  await services?.compute.stop();
  await services?.network.stop();
  await sink?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function query(expr: string): Promise<Sample[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; data: { result: Sample[] } };
  expect(body.status).toBe('success');
  return body.data.result;
}

async function until(expr: string, ok: (samples: Sample[]) => boolean): Promise<Sample[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const samples = await query(expr);
    if (ok(samples)) return samples;
    if (Date.now() > deadline)
      throw new Error(
        `Prometheus never returned what was expected for ${expr}: ${JSON.stringify(samples)}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

it('Prometheus scrapes the request counters and duration histograms with the expected labels', async () => {
  const created = await until('compute_vm_requests_total{operation="Create"}', (s) =>
    s.some((x) => x.metric.http_response_status_code === '201'),
  );
  expect(created.find((x) => x.metric.http_response_status_code === '201')!.metric).toEqual({
    __name__: 'compute_vm_requests_total',
    job: 'compute-api',
    instance: `127.0.0.1:${services.compute.port}`,
    http_request_method: 'POST',
    http_response_status_code: '201',
    http_route: '/apis/compute.datumapis.com/v1alpha1/namespaces/:namespace/virtualmachines',
    operation: 'Create',
  });
  const all = await until('compute_vm_requests_total', (s) => s.length >= 6);
  expect(
    new Set(all.map((x) => `${x.metric.operation} ${x.metric.http_response_status_code}`)),
  ).toEqual(
    new Set([
      'Create 201',
      'Create 422',
      'Get 200',
      'Get 404',
      'Get 500',
      'List 200',
      'Delete 200',
    ]),
  );
  const buckets = await until(
    'compute_vm_request_duration_seconds_bucket{operation="Create",http_response_status_code="201"}',
    (s) => s.length > 0,
  );
  expect(buckets.map((b) => b.metric.le)).toContain('+Inf');
  const count = await until(
    'sum(compute_vm_request_duration_seconds_count)',
    (s) => s.length === 1 && Number(s[0]!.value[1]) >= 7,
  );
  expect(Number(count[0]!.value[1])).toBe(7);
  const network = await until(
    'network_ipaddress_requests_total{operation="Create"}',
    (s) => s.length > 0,
  );
  expect(network[0]!.metric).toMatchObject({
    job: 'network-api',
    http_request_method: 'POST',
    http_response_status_code: '201',
  });
  const allocations = await until('network_ipaddress_allocations_total', (s) => s.length > 0);
  expect(allocations[0]!.metric.result).toBe('allocated');
}, 120_000);

it('promtool check metrics reports nothing on either exposition', async () => {
  for (const service of [services.compute, services.network]) {
    const exposition = await (await fetch(`${service.url}/metrics`)).text();
    const result = spawnSync('promtool', ['check', 'metrics'], {
      input: exposition,
      encoding: 'utf8',
    });
    expect(result.status, `${service.name}: ${result.stdout}${result.stderr}`).toBe(0);
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
  }
});

interface ExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: string; timestamp: number }[];
}

async function exemplarsOf(metric: string): Promise<ExemplarSeries[]> {
  const end = Date.now() / 1000 + 60;
  const res = await fetch(
    `${promUrl}/api/v1/query_exemplars?query=${encodeURIComponent(metric)}&start=${end - 3600}&end=${end}`,
  );
  const body = (await res.json()) as { status: string; data: ExemplarSeries[] };
  expect(body.status).toBe('success');
  return body.data;
}

it('Prometheus stores exemplars of both request-duration histograms: the server spans the receiver got', async () => {
  // The scenario's requests: their server spans reach the receiver.
  const cases = [
    { service: 'compute', histogram: 'compute_vm_request_duration_seconds', requests: 7 },
    { service: 'network', histogram: 'network_ipaddress_request_duration_seconds', requests: 2 },
  ];
  const serverSpans = (service: string) =>
    sink.spans().filter((s) => s.kind === 'SERVER' && s.resource['service.name'] === service);
  await sink.waitFor(() => cases.every((c) => serverSpans(c.service).length >= c.requests), {
    timeoutMs: 15_000,
  });
  for (const { service, histogram, requests } of cases) {
    const deadline = Date.now() + 30_000;
    let series: ExemplarSeries[];
    for (;;) {
      series = await exemplarsOf(`${histogram}_bucket`);
      const routes = new Set(
        series.map(
          (s) =>
            `${s.seriesLabels.http_request_method} ${s.seriesLabels.http_response_status_code} ${s.seriesLabels.http_route}`,
        ),
      );
      if (routes.size >= (service === 'compute' ? 7 : 2)) break;
      if (Date.now() > deadline) {
        throw new Error(
          `Prometheus never returned exemplars of ${histogram}: ${JSON.stringify(series)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const spans = serverSpans(service);
    expect(spans.length).toBeGreaterThanOrEqual(requests);
    const bySpanId = new Map<string, SinkSpan>(spans.map((s) => [s.spanId, s]));
    let checked = 0;
    for (const s of series) {
      expect(s.seriesLabels.job).toBe(`${service}-api`);
      for (const exemplar of s.exemplars) {
        // Each exemplar is the server span of a request on the series' own route and status.
        const span = bySpanId.get(exemplar.labels.span_id!);
        expect(span, `${histogram} ${JSON.stringify(exemplar)}`).toBeDefined();
        expect(span!.traceId).toBe(exemplar.labels.trace_id);
        // A request no route matched has no `http.route` on its span and the label `unmatched`.
        expect(span!.attributes['http.route'] ?? 'unmatched').toBe(s.seriesLabels.http_route);
        expect(span!.attributes['http.request.method']).toBe(s.seriesLabels.http_request_method);
        expect(String(span!.attributes['http.response.status_code'])).toBe(
          s.seriesLabels.http_response_status_code,
        );
        // In the bucket it was stored on.
        const le =
          s.seriesLabels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.seriesLabels.le);
        expect(Number(exemplar.value)).toBeLessThanOrEqual(le);
        checked++;
      }
    }
    expect(checked, histogram).toBeGreaterThanOrEqual(service === 'compute' ? 7 : 2);
  }
}, 120_000);

it("the service's own histogram has exemplars too: each points at a ReconcileVirtualMachine span the receiver got", async () => {
  // compute_vm_provisioning_duration_seconds is recorded inside the span helper's span, so its
  // exemplars carry that span's ids (the example), not the server span's.
  const metric = 'compute_vm_provisioning_duration_seconds_bucket';
  const deadline = Date.now() + 30_000;
  let series = await exemplarsOf(metric);
  while (series.length === 0) {
    if (Date.now() > deadline) throw new Error(`Prometheus never returned exemplars of ${metric}`);
    await new Promise((r) => setTimeout(r, 500));
    series = await exemplarsOf(metric);
  }
  const reconcile = () => sink.spans().filter((s) => s.name === 'ReconcileVirtualMachine');
  const all = series.flatMap((s) => s.exemplars.map((e) => ({ series: s, exemplar: e })));
  await sink.waitFor(
    () =>
      all.every(({ exemplar }) => reconcile().some((s) => s.spanId === exemplar.labels.span_id)),
    { timeoutMs: 15_000 },
  );
  expect(all.length).toBeGreaterThan(0);
  for (const { series: s, exemplar } of all) {
    const span = reconcile().find((r) => r.spanId === exemplar.labels.span_id);
    expect(span, JSON.stringify(exemplar)).toBeDefined();
    expect(span!.traceId).toBe(exemplar.labels.trace_id);
    expect(s.seriesLabels.result).toBe('created');
  }
}, 120_000);
