// The shared table of request cases, run against Express 4, Express 5, Koa 2 and Koa 3. Each
// request goes to the instrumented app and to the same app without telemetry: the responses must
// be the same, and the exported span, metric points and log lines must be what the case says.
import type { Server } from 'node:http';
import { SpanStatusCode } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Flavor } from './apps.js';
import { buildApp, FLAVORS, RESOURCES } from './apps.js';
import { CASES, pick } from './cases.js';
import { baseUrl, close, installPipelines, listen, serverSpans, waitFor } from './harness.js';

// Express prints unhandled errors with console.error; the tests assert on them elsewhere.
vi.spyOn(console, 'error').mockImplementation(() => undefined);

const pipelines = installPipelines();

interface Sent {
  status: number;
  body: string;
  contentType: string | null;
}

async function send(
  server: Server,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<Sent> {
  const res = await fetch(`${baseUrl(server)}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: await res.text(),
    contentType: res.headers.get('content-type'),
  };
}

function sameAttributes(actual: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  const keys = Object.keys(wanted);
  return keys.length === Object.keys(actual).length && keys.every((k) => actual[k] === wanted[k]);
}

async function counterValue(name: string, attributes: Record<string, unknown>): Promise<number> {
  const points = await pipelines.points(name);
  const point = points.find((p) => sameAttributes(p.attributes, attributes));
  return point === undefined ? 0 : (point.value as number);
}

async function histogramCount(name: string, attributes: Record<string, unknown>): Promise<number> {
  const points = await pipelines.points(name);
  const point = points.find((p) => sameAttributes(p.attributes, attributes));
  return point === undefined ? 0 : (point.value as Histogram).count;
}

describe.each(FLAVORS)('%s', (flavor: Flavor) => {
  const instrumented = buildApp(flavor, {
    service: 'compute',
    resources: [...RESOURCES],
    logger: pipelines.logger,
  });
  const bare = buildApp(flavor);

  beforeAll(async () => {
    await listen(instrumented.server);
    await listen(bare.server);
  });
  afterAll(async () => {
    await close(instrumented.server);
    await close(bare.server);
  });
  beforeEach(() => pipelines.reset());

  it.each(CASES)('$name', async (c) => {
    const durationName = c.metric.replace('.requests.total', '.request.duration.seconds');
    const before = await counterValue(c.metric, c.metricAttributes);
    const beforeCount = await histogramCount(durationName, c.metricAttributes);

    const got = await send(instrumented.server, c.method, c.path, c.headers, c.body);
    const baseline = await send(bare.server, c.method, c.path, c.headers, c.body);
    // Telemetry never changes what the app returns.
    expect(got).toEqual(baseline);
    expect(got.status).toBe(c.status);

    const [span] = await waitFor(() => {
      const found = serverSpans(pipelines.spans);
      return found.length > 0 ? found : undefined;
    }, 'the server span');
    expect(serverSpans(pipelines.spans)).toHaveLength(1);
    expect(span!.name).toBe(pick(c.spanName, flavor));
    expect(span!.attributes['http.route']).toBe(pick(c.route, flavor));
    expect(span!.attributes['http.response.status_code']).toBe(c.status);
    expect(span!.attributes['http.request.method']).toBe(
      c.spanAttributes?.['http.request.method'] ?? c.method,
    );
    expect(span!.attributes['url.path']).toBe(c.path.split('?')[0]);
    expect(span!.attributes['url.scheme']).toBe('http');
    expect(span!.attributes['server.address']).toBe('127.0.0.1');
    expect(typeof span!.attributes['server.port']).toBe('number');
    expect(span!.attributes['network.protocol.version']).toBe('1.1');
    expect(span!.attributes['client.address']).toMatch(/127\.0\.0\.1/);
    for (const [key, value] of Object.entries(c.spanAttributes ?? {}))
      expect(span!.attributes[key], key).toBe(value);

    const errorType = c.errorType === undefined ? undefined : pick(c.errorType, flavor);
    expect(span!.attributes['error.type']).toBe(errorType);
    expect(span!.status.code).toBe(
      errorType === undefined ? SpanStatusCode.UNSET : SpanStatusCode.ERROR,
    );
    const exception = c.exception === undefined ? undefined : pick(c.exception, flavor);
    const events = span!.events.filter((e) => e.name === 'exception');
    if (exception === undefined) {
      expect(events).toEqual([]);
    } else {
      expect(events).toHaveLength(1);
      expect(events[0]!.attributes?.['exception.type']).toBe(exception.type);
      expect(events[0]!.attributes?.['exception.message']).toBe(exception.message);
      if (exception.type !== undefined) {
        expect(String(events[0]!.attributes?.['exception.stacktrace'])).toContain(
          exception.message,
        );
      }
    }

    expect(await counterValue(c.metric, c.metricAttributes)).toBe(before + 1);
    expect(await histogramCount(durationName, c.metricAttributes)).toBe(beforeCount + 1);

    const access = await waitFor(
      () =>
        pipelines
          .logs()
          .find((l) => l['http.response.status_code'] === c.status && l['url.path'] !== undefined),
      'the access log line',
    );
    expect(access.level).toBe(c.logLevel);
    expect(access.trace_id).toBe(span!.spanContext().traceId);
    expect(access.span_id).toBe(span!.spanContext().spanId);
    expect(access['http.route']).toBe(pick(c.route, flavor));
  });

  it('req.log / ctx.log lines carry the trace ids and resource fields', async () => {
    await send(instrumented.server, 'GET', '/log');
    await send(
      instrumented.server,
      'GET',
      '/apis/compute.datumapis.com/v1alpha1/namespaces/prod/virtualmachines',
    );
    const spans = await waitFor(
      () => (serverSpans(pipelines.spans).length === 2 ? serverSpans(pipelines.spans) : undefined),
      'two spans',
    );
    const logs = pipelines.logs();
    const inside = logs.find((l) => l.msg === 'inside handler')!;
    expect(inside.trace_id).toBe(spans[0]!.spanContext().traceId);
    expect(inside.span_id).toBe(spans[0]!.spanContext().spanId);
    expect(inside.trace_flags).toBe('01');
    expect(inside.operation).toBe('Reconcile');
    const listing = logs.find((l) => l.msg === 'listing virtual machines')!;
    expect(listing).toMatchObject({
      trace_id: spans[1]!.spanContext().traceId,
      'resource.kind': 'VirtualMachine',
      'resource.namespace': 'prod',
      'resource.apiVersion': 'compute.datumapis.com/v1alpha1',
      operation: 'List',
    });
    // Exactly one access line per request.
    expect(logs.filter((l) => l['url.path'] !== undefined)).toHaveLength(2);
  });
});
