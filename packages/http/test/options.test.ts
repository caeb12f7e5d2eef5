import { resolveServiceName } from '@datum-telemetry/config';
import { toServiceSegment } from '@datum-telemetry/conventions';
import { describe, expect, it } from 'vitest';
import type { HttpTelemetryOptions } from '../src/index.js';
import { ConfigError, createHttpTelemetry } from '../src/index.js';
import { DEFAULT_IGNORE_PATHS } from '../src/internal.js';

describe('every invalid option gets a clear error at set-up', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['options not an object', 'compute', 'options', /expected an object/],
    ['service not a metric segment', { service: 'Compute-API' }, 'service', /`compute_api`/],
    ['service empty', { service: '' }, 'service', /service/],
    [
      'resources not an array',
      { resources: 'vm' },
      'resources',
      /array of \{ group, plural, kind, short \}/,
    ],
    [
      'resource kind not PascalCase',
      { resources: [{ group: 'g.example.com', plural: 'vms', kind: 'vm', short: 'vm' }] },
      'resources',
      /kind `vm` is not PascalCase/,
    ],
    [
      'incomingContext unknown',
      { incomingContext: 'trust' },
      'incomingContext',
      /"continue", "restart", "ignore"/,
    ],
    ['ignorePaths not an array', { ignorePaths: '/healthz' }, 'ignorePaths', /array of paths/],
    [
      'ignorePaths relative path',
      { ignorePaths: ['healthz'] },
      'ignorePaths[0]',
      /starting with "\/"/,
    ],
    ['logger without child()', { logger: { info() {} } }, 'logger', /child\(\)/],
    ['logger true', { logger: true }, 'logger', /or false/],
    ['accessLog string', { accessLog: 'yes' }, 'accessLog', /true, false or a function/],
    ['traces not boolean', { traces: 'no' }, 'traces', /true or false/],
    ['metrics not boolean', { metrics: 1 }, 'metrics', /true or false/],
    [
      'captureRequestHeaders not array',
      { captureRequestHeaders: 'x-id' },
      'captureRequestHeaders',
      /array of header names/,
    ],
    ['durationBuckets decreasing', { durationBuckets: [1, 0.5] }, 'durationBuckets', /increasing/],
    ['durationBuckets empty', { durationBuckets: [] }, 'durationBuckets', /non-empty/],
    [
      'durationBuckets NaN',
      { durationBuckets: [Number.NaN] },
      'durationBuckets',
      /numbers of seconds/,
    ],
    ['requestHook not a function', { requestHook: 'hook' }, 'requestHook', /expected a function/],
    ['spanName not a function', { spanName: {} }, 'spanName', /expected a function/],
    // Issue 14, defect 6: misspelt options, at any depth, were accepted silently.
    [
      'ignorePaths misspelt',
      { ignorePath: ['/x'] },
      'ignorePath',
      /^ignorePath: unknown option; did you mean "ignorePaths"\?$/,
    ],
    [
      'incomingContext misspelt (untrusted callers stayed trusted)',
      { incomingContxt: 'ignore' },
      'incomingContxt',
      /^incomingContxt: unknown option; did you mean "incomingContext"\?$/,
    ],
    [
      'a resource option misspelt',
      { resources: [{ group: 'g.example.com', plural: 'vms', kind: 'Vm', shrt: 'vm' }] },
      'resources[0].shrt',
      /^resources\[0\]\.shrt: unknown option; did you mean "short"\?$/,
    ],
    [
      'a resource option missing',
      { resources: [{ group: 'g.example.com', plural: 'vms', kind: 'Vm' }] },
      'resources[0].short',
      /is missing; expected a non-empty string/,
    ],
    [
      'a resource that is not an object',
      { resources: ['vm'] },
      'resources[0]',
      /expected \{ group, plural, kind, short \}/,
    ],
    [
      'an unknown option with nothing close',
      { colour: 'red' },
      'colour',
      /^colour: unknown option; expected one of service, resources, ignorePaths, /,
    ],
  ];

  it.each(cases)('%s', (_, options, option, message) => {
    let thrown: unknown;
    try {
      createHttpTelemetry(options as HttpTelemetryOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).option).toBe(option);
    expect((thrown as Error).message.startsWith(`${option}: `)).toBe(true);
    expect((thrown as Error).message).toMatch(message);
  });
});

/** Runs `fn` with these variables set in `process.env` (the middleware reads it), then restores. */
function withEnv<T>(env: Record<string, string | undefined>, fn: () => T): T {
  const before = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  try {
    set(env);
    return fn();
  } finally {
    set(before);
  }
}

describe('defaults', () => {
  it('service from OTEL_SERVICE_NAME, made a valid segment', () => {
    const service = (name: string | undefined) =>
      withEnv(
        { OTEL_SERVICE_NAME: name, OTEL_RESOURCE_ATTRIBUTES: undefined },
        () => createHttpTelemetry({ logger: false }).options.service,
      );
    expect(service('network-api')).toBe('network_api');
    expect(service('compute')).toBe('compute');
    expect(service(undefined)).toBe('unknown_service');
  });

  // Issue 14, defect 3: the middleware named the service its own way, ignoring
  // OTEL_RESOURCE_ATTRIBUTES, with a fallback of its own.
  it.each<Record<string, string | undefined>>([
    { OTEL_SERVICE_NAME: undefined, OTEL_RESOURCE_ATTRIBUTES: 'service.name=compute' },
    { OTEL_SERVICE_NAME: 'network-api', OTEL_RESOURCE_ATTRIBUTES: 'service.name=compute' },
    { OTEL_SERVICE_NAME: undefined, OTEL_RESOURCE_ATTRIBUTES: 'team=core' },
    { OTEL_SERVICE_NAME: undefined, OTEL_RESOURCE_ATTRIBUTES: undefined },
  ])('the service is the one @datum-telemetry/config resolves, as a metric segment: %j', (env) => {
    withEnv(env, () => {
      const expected = toServiceSegment(resolveServiceName({}, process.env));
      expect(createHttpTelemetry({ logger: false }).options.service).toBe(expected);
    });
  });

  it('OTEL_RESOURCE_ATTRIBUTES=service.name=compute names the service compute', () => {
    withEnv(
      { OTEL_SERVICE_NAME: undefined, OTEL_RESOURCE_ATTRIBUTES: 'service.name=compute' },
      () => {
        expect(createHttpTelemetry({ logger: false }).options.service).toBe('compute');
      },
    );
  });

  it('ignores the health and metrics paths, with or without a trailing slash', () => {
    const { options } = createHttpTelemetry({ logger: false });
    for (const path of DEFAULT_IGNORE_PATHS) {
      expect(options.isIgnored(path)).toBe(true);
      expect(options.isIgnored(`${path}/`)).toBe(true);
    }
    expect(options.isIgnored('/healthzz')).toBe(false);
    expect(options.isIgnored('/api/healthz')).toBe(false);
  });

  it('ignorePaths accepts regular expressions and a predicate', () => {
    const a = createHttpTelemetry({
      logger: false,
      ignorePaths: [/^\/internal\//, '/ping'],
    }).options;
    expect(a.isIgnored('/internal/x')).toBe(true);
    expect(a.isIgnored('/ping')).toBe(true);
    expect(a.isIgnored('/healthz')).toBe(false);
    const b = createHttpTelemetry({
      logger: false,
      ignorePaths: (p) => p.startsWith('/x'),
    }).options;
    expect(b.isIgnored('/xyz')).toBe(true);
  });

  it('secret headers are never captured, even when listed', () => {
    const { options } = createHttpTelemetry({
      logger: false,
      captureRequestHeaders: [
        'X-Request-Id',
        'Authorization',
        'Cookie',
        'Proxy-Authorization',
        'X-API-Key',
      ],
      captureResponseHeaders: ['Set-Cookie', 'Content-Type'],
    });
    expect(options.requestHeaders).toEqual(['x-request-id']);
    expect(options.responseHeaders).toEqual(['content-type']);
  });

  it('an ignored path returns no request telemetry', () => {
    const http = createHttpTelemetry({ logger: false });
    const info = {
      method: 'GET',
      path: '/healthz',
      query: undefined,
      headers: {},
      scheme: 'http' as const,
      serverAddress: undefined,
      serverPort: undefined,
      clientAddress: undefined,
      httpVersion: '1.1',
    };
    expect(http.start(info)).toBeUndefined();
    expect(http.start({ ...info, path: '/other' })).toBeDefined();
  });
});
