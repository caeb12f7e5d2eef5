import { createServer } from 'node:http';
import { toPrometheusName } from '@datum-telemetry/conventions';
import { metrics } from '@opentelemetry/api';
import express from 'express';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricsHandle } from '../src/index.js';
import {
  DEFAULT_SECONDS_BUCKETS,
  defineMetrics,
  PROMETHEUS_CONTENT_TYPE,
  setupMetrics,
} from '../src/index.js';
import { captureDiag } from './support/diag.js';
import { parseExposition, samplesOf } from './support/exposition.js';
import { listen } from './support/http.js';

const definition = defineMetrics({
  service: 'compute',
  metrics: {
    vmRequests: {
      name: 'compute.vm.requests.total',
      kind: 'counter',
      unit: '{request}',
      description: 'Requests to the VirtualMachine API',
      attributes: ['method', 'operation', 'code'],
      valueType: 'int',
    },
    vmDuration: {
      name: 'compute.vm.request.duration.seconds',
      kind: 'histogram',
      description: 'VirtualMachine request latency',
      attributes: ['method', 'operation'],
    },
    vmActive: { name: 'compute.vm.active', kind: 'updowncounter', unit: '{vm}' },
    vmCpu: { name: 'compute.vm.cpu.utilization.percent', kind: 'gauge' },
  },
});

let handle: MetricsHandle | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await handle?.shutdown();
  handle = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function scrape(url: string) {
  const response = await fetch(url);
  const text = await response.text();
  return { response, text, families: parseExposition(text) };
}

describe('the Prometheus endpoint', () => {
  it('names every metric exactly as toPrometheusName does, also for @opentelemetry/api users', async () => {
    handle = setupMetrics({ service: 'compute', prometheus: { port: 0 }, env: {} });
    const instruments = definition.create(handle.meter());
    instruments.vmRequests.add(1, { method: 'POST', operation: 'Create', code: '201' });
    instruments.vmRequests.add(2, { method: 'GET', operation: 'List', code: '200' });
    instruments.vmDuration.record(0.004, { method: 'GET', operation: 'List' });
    instruments.vmDuration.record(0.3, { method: 'GET', operation: 'List' });
    instruments.vmDuration.record(12, { method: 'GET', operation: 'List' });
    instruments.vmActive.add(3);
    instruments.vmActive.add(-1);
    instruments.vmCpu.record(37.5);

    // What the HTTP middleware does: instruments from the global provider, no advice, no `.total`.
    const api = metrics.getMeter('@datum-telemetry/http');
    api.createCounter('http.server.requests').add(4, { 'http.request.method': 'GET' });
    api.createHistogram('http.server.request.duration', { unit: 's' }).record(0.07);
    api.createUpDownCounter('http.server.active_requests', { unit: '{request}' }).add(1);
    api
      .createObservableGauge('compute.process.memory.bytes', { unit: 'By' })
      .addCallback((r) => r.observe(2048));

    await handle.ready;
    expect(handle.prometheusUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const { response, families } = await scrape(handle.prometheusUrl!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);

    const expected: [
      otelName: string,
      kind: Parameters<typeof toPrometheusName>[1],
      type: string,
    ][] = [
      ['compute.vm.requests.total', 'counter', 'counter'],
      ['compute.vm.request.duration.seconds', 'histogram', 'histogram'],
      ['compute.vm.active', 'updowncounter', 'gauge'],
      ['compute.vm.cpu.utilization.percent', 'gauge', 'gauge'],
      ['http.server.requests', 'counter', 'counter'],
      ['http.server.request.duration', 'histogram', 'histogram'],
      ['http.server.active_requests', 'updowncounter', 'gauge'],
      ['compute.process.memory.bytes', 'gauge', 'gauge'],
    ];
    for (const [otelName, kind, type] of expected) {
      expect(families.get(toPrometheusName(otelName, kind))?.type, otelName).toBe(type);
    }
    expect([...families.keys()].sort()).toEqual(
      [...expected.map(([n, k]) => toPrometheusName(n, k)), 'target_info'].sort(),
    );
    expect([...families.keys()]).toEqual(
      expect.arrayContaining([
        'compute_vm_requests_total',
        'compute_vm_request_duration_seconds',
        'http_server_requests_total',
        'http_server_request_duration',
        'compute_process_memory_bytes',
      ]),
    );
    for (const name of families.keys()) {
      expect(name).not.toMatch(/_total_total$|_seconds_seconds|_bytes_bytes|_ratio$/);
    }

    expect(families.get('compute_vm_requests_total')?.help).toBe(
      'Requests to the VirtualMachine API',
    );
    expect(samplesOf(families, 'compute_vm_requests_total')).toEqual([
      {
        name: 'compute_vm_requests_total',
        labels: { code: '201', method: 'POST', operation: 'Create' },
        value: 1,
      },
      {
        name: 'compute_vm_requests_total',
        labels: { code: '200', method: 'GET', operation: 'List' },
        value: 2,
      },
    ]);
    expect(samplesOf(families, 'compute_vm_active')[0]?.value).toBe(2);
    expect(samplesOf(families, 'compute_vm_cpu_utilization_percent')[0]?.value).toBe(37.5);
    expect(samplesOf(families, 'http_server_requests_total')).toEqual([
      { name: 'http_server_requests_total', labels: { http_request_method: 'GET' }, value: 4 },
    ]);

    const histogram = samplesOf(families, 'compute_vm_request_duration_seconds', { method: 'GET' });
    const buckets = histogram.filter((s) => s.name.endsWith('_bucket'));
    expect(buckets.map((s) => s.labels.le)).toEqual([
      ...DEFAULT_SECONDS_BUCKETS.map(String),
      '+Inf',
    ]);
    // 0.004 is in every bucket, 0.3 from le="0.5" on, 12 only in +Inf.
    expect(buckets.map((s) => s.value)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3]);
    expect(histogram.find((s) => s.name.endsWith('_sum'))?.value).toBeCloseTo(12.304);
    expect(histogram.find((s) => s.name.endsWith('_count'))?.value).toBe(3);
    // An API histogram in seconds without advice gets the seconds buckets too.
    const apiBuckets = samplesOf(families, 'http_server_request_duration').filter((s) =>
      s.name.endsWith('_bucket'),
    );
    expect(apiBuckets.map((s) => s.labels.le)).toEqual([
      ...DEFAULT_SECONDS_BUCKETS.map(String),
      '+Inf',
    ]);

    expect(samplesOf(families, 'target_info')[0]?.labels).toMatchObject({
      service_name: 'compute',
      telemetry_sdk_language: 'nodejs',
    });
  });

  it('escapes label values and turns attribute keys into valid, distinct label names', async () => {
    handle = setupMetrics({
      service: 'compute',
      prometheus: { port: 0, withTargetInfo: false },
      env: {},
      register: false,
    });
    handle
      .meter()
      .createCounter('compute.vm.events.total')
      .add(1, {
        reason: 'quote " backslash \\ newline \n end',
        'http.method': 'GET',
        http_method: 'get',
        '1st': 'yes',
        ok: true,
        list: ['a', 'b'],
      });
    await handle.ready;
    const { text, families } = await scrape(handle.prometheusUrl!);
    expect([...families.keys()]).toEqual(['compute_vm_events_total']);
    const [sample] = samplesOf(families, 'compute_vm_events_total');
    expect(sample?.labels).toEqual({
      reason: 'quote " backslash \\ newline \n end',
      http_method: 'GET;get',
      key_1st: 'yes',
      ok: 'true',
      list: '["a","b"]',
    });
    expect(text).toContain('reason="quote \\" backslash \\\\ newline \\n end"');
  });

  it('answers 404 on other paths, 405 to POST, and HEAD without a body', async () => {
    handle = setupMetrics({
      prometheus: { port: 0, endpoint: '/internal/metrics' },
      env: {},
      register: false,
    });
    await handle.ready;
    const base = new URL(handle.prometheusUrl!);
    expect(base.pathname).toBe('/internal/metrics');
    expect((await fetch(new URL('/metrics', base))).status).toBe(404);
    const post = await fetch(base, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(base, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(`${base.href}?x=1`)).status).toBe(200);
  });

  it('keeps two meters that write the same series apart only with withScopeLabels', async () => {
    const logs = captureDiag();
    cleanups.push(async () => logs.stop());
    handle = setupMetrics({
      prometheus: { port: 0, withTargetInfo: false },
      env: {},
      register: false,
    });
    handle.meter('a').createCounter('compute.vm.requests.total').add(1, { code: '200' });
    handle.meter('b').createCounter('compute.vm.requests.total').add(5, { code: '200' });
    handle.meter('b').createCounter('compute.vm.requests.total').add(1, { code: '500' });
    await handle.ready;
    let { families } = await scrape(handle.prometheusUrl!);
    expect(
      samplesOf(families, 'compute_vm_requests_total').map((s) => [s.labels.code, s.value]),
    ).toEqual([
      ['200', 1],
      ['500', 1],
    ]);
    expect(logs.text()).toContain('comes from two meters');
    await handle.shutdown();

    handle = setupMetrics({
      prometheus: { port: 0, withTargetInfo: false, withScopeLabels: true },
      env: {},
      register: false,
    });
    handle.meter('a', '1.0.0').createCounter('compute.vm.requests.total').add(1, { code: '200' });
    handle.meter('b').createCounter('compute.vm.requests.total').add(5, { code: '200' });
    await handle.ready;
    ({ families } = await scrape(handle.prometheusUrl!));
    expect(samplesOf(families, 'compute_vm_requests_total').map((s) => s.labels)).toEqual([
      { code: '200', otel_scope_name: 'a', otel_scope_version: '1.0.0' },
      { code: '200', otel_scope_name: 'b' },
    ]);
  });

  it('leaves out a metric whose name another type already holds, and says so', async () => {
    const logs = captureDiag();
    cleanups.push(async () => logs.stop());
    handle = setupMetrics({
      prometheus: { port: 0, withTargetInfo: false },
      env: {},
      register: false,
    });
    handle.meter('a').createUpDownCounter('compute.vm.queue').add(1);
    handle.meter('b').createHistogram('compute.vm.queue').record(1);
    handle.meter('c').createGauge('compute.vm.queue.count').record(1);
    await handle.ready;
    const { families } = await scrape(handle.prometheusUrl!);
    expect(families.get('compute_vm_queue')?.type).toBe('gauge');
    expect(families.has('compute_vm_queue_count')).toBe(true);
    expect(logs.text()).toContain(
      'compute.vm.queue is a histogram but compute_vm_queue is already a gauge',
    );
  });
});

describe('the metrics request handler', () => {
  it('serves the exposition from a node:http server, with no endpoint of its own', async () => {
    handle = setupMetrics({ service: 'compute', prometheus: false, env: {}, register: false });
    definition
      .create(handle.meter())
      .vmRequests.add(3, { method: 'GET', operation: 'Get', code: '200' });
    await handle.ready;
    expect(handle.prometheusUrl).toBeUndefined();
    const app = await listen(handle.metricsHandler);
    cleanups.push(app.close);
    const { response, families } = await scrape(`${app.url}/anything`);
    expect(response.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(samplesOf(families, 'compute_vm_requests_total')[0]?.value).toBe(3);
  });

  it('mounts in Express with app.get', async () => {
    handle = setupMetrics({ service: 'compute', prometheus: false, env: {}, register: false });
    definition.create(handle.meter()).vmActive.add(7);
    const app = express();
    app.get('/metrics', handle.metricsHandler);
    const server = await listen(createServer(app));
    cleanups.push(server.close);
    const { families } = await scrape(`${server.url}/metrics`);
    expect(samplesOf(families, 'compute_vm_active')[0]?.value).toBe(7);
  });

  it('serves Koa through scrape()', async () => {
    handle = setupMetrics({ service: 'compute', prometheus: false, env: {}, register: false });
    definition.create(handle.meter()).vmActive.add(9);
    const koa = new Koa();
    const metricsHandle = handle;
    koa.use(async (ctx, next) => {
      if (ctx.path !== '/metrics') return next();
      ctx.type = PROMETHEUS_CONTENT_TYPE;
      ctx.body = await metricsHandle.scrape();
    });
    const server = await listen(createServer(koa.callback()));
    cleanups.push(server.close);
    const { response, families } = await scrape(`${server.url}/metrics`);
    expect(response.headers.get('content-type')).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(samplesOf(families, 'compute_vm_active')[0]?.value).toBe(9);
  });

  it('answers 404 with the reason when there is no Prometheus reader', async () => {
    handle = setupMetrics({ exporter: 'none', env: {}, register: false });
    const server = await listen(handle.metricsHandler);
    cleanups.push(server.close);
    const response = await fetch(server.url);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('no Prometheus exposition with exporter "none"');
    await expect(handle.scrape()).rejects.toThrow(/pass prometheus: \{\}/);
  });
});
