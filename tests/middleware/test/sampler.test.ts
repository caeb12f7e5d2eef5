// Samplers decide on what the request is: the server span starts with the request's attributes
// (method, path, scheme, server, client, user agent, and the resource for declared routes), so a
// sampler can drop internal traffic by `url.path`. A dropped span changes nothing for the client,
// and the request's metrics and access log are kept.
import type { Attributes } from '@opentelemetry/api';
import { SpanKind } from '@opentelemetry/api';
import type { Sampler, SamplingResult } from '@opentelemetry/sdk-trace';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Flavor } from './apps.js';
import { buildApp, FLAVORS, RESOURCE_BASE, RESOURCES } from './apps.js';
import { baseUrl, close, installPipelines, listen, serverSpans, waitFor } from './harness.js';

interface Decision {
  readonly name: string;
  readonly kind: SpanKind;
  readonly attributes: Attributes;
}

/** Drops every span whose `url.path` starts with `/internal/`, and keeps what it was asked. */
class PathSampler implements Sampler {
  readonly seen: Decision[] = [];
  shouldSample(
    _context: unknown,
    _traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
  ): SamplingResult {
    this.seen.push({ name, kind, attributes: { ...attributes } });
    const path = attributes['url.path'];
    return {
      decision:
        typeof path === 'string' && path.startsWith('/internal/')
          ? SamplingDecision.NOT_RECORD
          : SamplingDecision.RECORD_AND_SAMPLED,
    };
  }
  toString(): string {
    return 'PathSampler';
  }
}

const sampler = new PathSampler();
const pipelines = installPipelines({ sampler });

function serverDecisions(): Decision[] {
  return sampler.seen.filter((d) => d.kind === SpanKind.SERVER);
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
  beforeEach(() => {
    pipelines.reset();
    sampler.seen.length = 0;
  });

  it('the sampler sees the request and resource attributes when the span starts', async () => {
    const res = await fetch(
      `${baseUrl(instrumented.server)}${RESOURCE_BASE}/default/virtualmachines/vm-1`,
      {
        headers: { 'user-agent': 'sampler-test/1.0' },
      },
    );
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const [decision] = serverDecisions();
    expect(decision?.name).toBe('GetVirtualMachine');
    expect(decision?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': `${RESOURCE_BASE}/default/virtualmachines/vm-1`,
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'network.protocol.version': '1.1',
      'user_agent.original': 'sampler-test/1.0',
      'resource.kind': 'VirtualMachine',
      'resource.name': 'vm-1',
      'resource.namespace': 'default',
      operation: 'Get',
    });
    expect(typeof decision?.attributes['server.port']).toBe('number');
    // What the sampler saw is on the exported span too, with what only the end knows.
    const spans = await waitFor(() => {
      const s = serverSpans(pipelines.spans);
      return s.length > 0 ? s : undefined;
    }, 'the server span');
    expect(spans[0]!.attributes).toMatchObject({
      ...decision!.attributes,
      'http.response.status_code': 200,
    });
  });

  it('a span the sampler drops changes nothing for the client; metrics and the access log stay', async () => {
    const path = '/internal/nothing-here';
    const [ours, theirs] = await Promise.all([
      fetch(`${baseUrl(instrumented.server)}${path}`),
      fetch(`${baseUrl(bare.server)}${path}`),
    ]);
    expect(ours.status).toBe(theirs.status);
    expect(await ours.text()).toBe(await theirs.text());
    expect(serverDecisions().map((d) => d.attributes['url.path'])).toEqual([path]);
    const line = await waitFor(
      () => pipelines.logs().find((l) => l['url.path'] === path),
      'the access log line',
    );
    // The trace goes on unsampled: the line keeps its ids, with the sampled flag off.
    expect(line.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(line.trace_flags).toBe('00');
    const points = await pipelines.points('compute.http.requests.total');
    expect(points.some((p) => p.attributes['http.route'] === 'unmatched')).toBe(true);
    expect(serverSpans(pipelines.spans)).toEqual([]);
  });
});
