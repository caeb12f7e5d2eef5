// A real Prometheus server (Debian's `prometheus` package, installed here when missing) scrapes both
// demo services on loopback; its query API must return our metrics with the expected labels, and
// `promtool check metrics` must have nothing to say about either exposition.

import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
let prometheus: ChildProcess;
let promUrl: string;
let dir: string;

function which(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

beforeAll(async () => {
  if (!which('prometheus') || !which('promtool')) {
    // The test that needs it installs it (as CI does): Debian's package, from apt.
    execFileSync('bash', [join(root, 'scripts/install-system-deps.sh'), 'prometheus'], {
      stdio: 'inherit',
      timeout: 300_000,
    });
  }
  services = await startServices({});
  dir = mkdtempSync(join(tmpdir(), 'datum-prometheus-'));
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
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
}, 360_000);

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  await services?.compute.stop();
  await services?.network.stop();
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
  await runScenario(services.compute.url);
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
