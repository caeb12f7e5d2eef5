// Secrets sent on every route of both demo services, in every place a client can put them (secret
// headers, query values, body fields, a body that is not JSON), must not appear in anything the
// services export or print: OTLP spans, metrics and logs, stdout, stderr, /metrics.
import type { DemoService } from '@datum-telemetry/demo/lib.mjs';
import { startServices } from '@datum-telemetry/demo/lib.mjs';
import type { OtlpSink } from '@datum-telemetry/otlp-sink';
import { startOtlpSink } from '@datum-telemetry/otlp-sink';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportedText, occurrences } from './support/exported.js';
import { MARKER, SECRET_HEADERS, SECRET_QUERY, secret, secretFields } from './support/secrets.js';

/** A body that is not JSON, with a password right where the parser gives up. */
const BROKEN_JSON = `{"metadata": {"password": ${secret('broken-json')}}}`;

const VMS = '/apis/compute.datumapis.com/v1alpha1/namespaces/default/virtualmachines';
const IPS = '/apis/networking.datumapis.com/v1alpha1/namespaces/default/ipaddresses';

interface Step {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** A raw body, sent as is (`body` is JSON-encoded). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  /** A streaming response: read the first chunk, then hang up. */
  readonly stream?: boolean;
}

const vm = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'compute.datumapis.com/v1alpha1',
  kind: 'VirtualMachine',
  metadata: { name, annotations: secretFields('vm-annotations') },
  spec: { cpu: 1, memoryGiB: 1, ...secretFields('vm-spec') },
  ...extra,
});

/** Every route of compute-api (and the way each can fail), each request carrying secrets. */
const COMPUTE_STEPS: Step[] = [
  { method: 'GET', path: '/healthz', status: 200 },
  { method: 'GET', path: `/readyz?${SECRET_QUERY}`, status: 200 },
  { method: 'GET', path: '/metrics', status: 200 },
  { method: 'POST', path: `${VMS}?${SECRET_QUERY}`, body: vm('vm-secret'), status: 201 },
  { method: 'POST', path: VMS, body: vm('vm-secret'), status: 409 },
  {
    method: 'POST',
    path: VMS,
    body: { metadata: { name: 'Bad_Name', ...secretFields('invalid') }, spec: { cpu: 0 } },
    status: 422,
  },
  { method: 'POST', path: VMS, raw: BROKEN_JSON, status: 400 },
  {
    method: 'POST',
    path: VMS,
    raw: JSON.stringify({ padding: 'x'.repeat(120_000), ...secretFields('too-large') }),
    status: 413,
  },
  { method: 'GET', path: `${VMS}?${SECRET_QUERY}`, status: 200 },
  { method: 'GET', path: `${VMS}?watch=true&${SECRET_QUERY}`, status: 200, stream: true },
  { method: 'GET', path: `${VMS}/vm-secret?${SECRET_QUERY}`, status: 200 },
  { method: 'GET', path: `${VMS}/missing?${SECRET_QUERY}`, status: 404 },
  { method: 'PUT', path: `${VMS}/vm-secret?${SECRET_QUERY}`, body: vm('vm-secret'), status: 200 },
  { method: 'PUT', path: `${VMS}/missing`, body: vm('missing'), status: 404 },
  {
    method: 'PUT',
    path: `${VMS}/vm-secret`,
    body: { metadata: { name: 'vm-secret' }, spec: { cpu: 0, ...secretFields('put-invalid') } },
    status: 422,
  },
  { method: 'PUT', path: `${VMS}/vm-secret`, raw: BROKEN_JSON, status: 400 },
  {
    method: 'GET',
    path: `${VMS}/vm-secret?${SECRET_QUERY}`,
    headers: { 'x-inject-failure': 'true' },
    status: 500,
  },
  { method: 'PATCH', path: `${VMS}/vm-secret?${SECRET_QUERY}`, body: vm('vm-secret'), status: 404 },
  { method: 'DELETE', path: `${VMS}/vm-secret?${SECRET_QUERY}`, status: 200 },
  { method: 'DELETE', path: `${VMS}/vm-secret`, status: 404 },
  { method: 'GET', path: `/not/a/route?${SECRET_QUERY}`, status: 404 },
];

const ip = (name: string) => ({
  apiVersion: 'networking.datumapis.com/v1alpha1',
  kind: 'IPAddress',
  metadata: { name, ...secretFields('ip-metadata') },
  ...secretFields('ip'),
});

/** Every route of network-api, called directly, each request carrying secrets. */
const NETWORK_STEPS: Step[] = [
  { method: 'GET', path: '/healthz', status: 200 },
  { method: 'GET', path: `/readyz?${SECRET_QUERY}`, status: 200 },
  { method: 'GET', path: '/metrics', status: 200 },
  { method: 'POST', path: `${IPS}?${SECRET_QUERY}`, body: ip('ip-secret'), status: 201 },
  { method: 'POST', path: IPS, body: ip('ip-secret'), status: 200 },
  { method: 'POST', path: IPS, body: ip('Bad_Name'), status: 422 },
  { method: 'POST', path: IPS, raw: BROKEN_JSON, status: 400 },
  {
    method: 'POST',
    path: IPS,
    raw: JSON.stringify({ padding: 'x'.repeat(120_000), ...secretFields('too-large') }),
    status: 413,
  },
  { method: 'GET', path: `${IPS}?${SECRET_QUERY}`, status: 200 },
  { method: 'GET', path: `${IPS}/ip-secret?${SECRET_QUERY}`, status: 200 },
  { method: 'GET', path: `${IPS}/missing?${SECRET_QUERY}`, status: 404 },
  { method: 'PUT', path: `${IPS}/ip-secret?${SECRET_QUERY}`, body: ip('ip-secret'), status: 405 },
  { method: 'DELETE', path: `${IPS}/ip-secret?${SECRET_QUERY}`, status: 200 },
  { method: 'DELETE', path: `${IPS}/ip-secret`, status: 404 },
  { method: 'GET', path: `/not/a/route?${SECRET_QUERY}`, status: 404 },
];

/** Paths the middleware ignores by default: no span, metric or access log line for them. */
const IGNORED = new Set(['/healthz', '/readyz', '/metrics']);

async function send(base: string, step: Step): Promise<number> {
  const controller = new AbortController();
  const body = step.raw ?? (step.body === undefined ? undefined : JSON.stringify(step.body));
  const response = await fetch(`${base}${step.path}`, {
    method: step.method,
    headers: {
      ...SECRET_HEADERS,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...step.headers,
    },
    body,
    signal: controller.signal,
  });
  if (step.stream) {
    // A watch never ends: read what it sent first (the ADDED event), then hang up.
    const reader = response.body?.getReader();
    await reader?.read();
    controller.abort();
    await reader?.cancel().catch(() => {});
  } else {
    await response.arrayBuffer();
  }
  return response.status;
}

let sink: OtlpSink;
let compute: DemoService;
let network: DemoService;
const statuses: Record<string, number[]> = { compute: [], network: [] };
const expositions: string[] = [];
const exitCodes: (number | null)[] = [];

beforeAll(async () => {
  sink = await startOtlpSink();
  ({ compute, network } = await startServices({
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
    // Everything a service can log, debug lines included, is searched too.
    LOG_LEVEL: 'trace',
  }));
  for (const step of COMPUTE_STEPS) statuses.compute!.push(await send(compute.url, step));
  for (const step of NETWORK_STEPS) statuses.network!.push(await send(network.url, step));
  for (const service of [compute, network]) {
    expositions.push(await (await fetch(`${service.url}/metrics`)).text());
  }
  // SIGTERM flushes every signal: what is exported after this is all there will ever be.
  exitCodes.push(await compute.stop(), await network.stop());
}, 60_000);

afterAll(async () => {
  await Promise.all([compute?.stop(), network?.stop()]);
  await sink?.close();
});

describe('secrets sent on every route of both services', () => {
  it('were really sent: every route answered as it does without secrets, and both services exited 0', () => {
    expect(statuses.compute).toEqual(COMPUTE_STEPS.map((s) => s.status));
    expect(statuses.network).toEqual(NETWORK_STEPS.map((s) => s.status));
    expect(exitCodes).toEqual([0, 0]);
  });

  it('were really seen: each request has its server span, with the query keys and no values', () => {
    for (const [service, steps] of [
      ['compute', COMPUTE_STEPS],
      ['network', NETWORK_STEPS],
    ] as const) {
      const servers = sink
        .spans()
        .filter((s) => s.kind === 'SERVER' && s.resource['service.name'] === service);
      const direct = steps.filter((s) => !IGNORED.has(s.path.split('?')[0]!)).length;
      // network-api also serves compute-api's allocate and release calls.
      const fromCompute = service === 'network' ? 2 : 0;
      expect(servers).toHaveLength(direct + fromCompute);
      expect(servers.filter((s) => s.attributes['url.query'] !== undefined)).not.toHaveLength(0);
      for (const span of servers) {
        const query = span.attributes['url.query'];
        if (query === undefined) continue;
        expect(query).toMatch(
          /^(watch=REDACTED&)?token=REDACTED&password=REDACTED&api_key=REDACTED&q=REDACTED$/,
        );
      }
    }
    expect(sink.logs().length).toBeGreaterThan(COMPUTE_STEPS.length);
    expect(sink.metrics().map((m) => m.name)).toEqual(
      expect.arrayContaining(['compute.vm.requests.total', 'network.ipaddress.requests.total']),
    );
  });

  it('appear in no exported span, metric or log record (attributes, events, bodies, resources)', () => {
    expect(occurrences(exportedText(sink), MARKER)).toEqual([]);
  });

  it("appear in neither service's stdout nor stderr", () => {
    for (const service of [compute, network]) {
      expect(service.stdout().length).toBeGreaterThan(0);
      expect(occurrences(service.stdout(), MARKER), `${service.name} stdout`).toEqual([]);
      expect(occurrences(service.stderr(), MARKER), `${service.name} stderr`).toEqual([]);
    }
  });

  it('appear in neither /metrics exposition', () => {
    expect(expositions[0]).toContain('compute_vm_requests_total{');
    expect(expositions[1]).toContain('network_ipaddress_requests_total{');
    for (const exposition of expositions) expect(occurrences(exposition, MARKER)).toEqual([]);
  });
});
