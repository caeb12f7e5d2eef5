import { describe, expect, it } from 'vitest';
import type { HttpTelemetryOptions } from '../src/index.js';
import { createHttpTelemetry, HttpTelemetryOptionsError } from '../src/index.js';
import { DEFAULT_IGNORE_PATHS } from '../src/internal.js';

describe('every invalid option gets a clear error at set-up', () => {
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['options not an object', 'compute', 'options', /must be an object/],
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
      'ignorePaths',
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
    ['requestHook not a function', { requestHook: 'hook' }, 'requestHook', /must be a function/],
    ['spanName not a function', { spanName: {} }, 'spanName', /must be a function/],
  ];

  it.each(cases)('%s', (_, options, option, message) => {
    let thrown: unknown;
    try {
      createHttpTelemetry(options as HttpTelemetryOptions);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(HttpTelemetryOptionsError);
    expect((thrown as HttpTelemetryOptionsError).option).toBe(option);
    expect((thrown as Error).message).toMatch(new RegExp(`^telemetry\\(\\): option \`${option}\``));
    expect((thrown as Error).message).toMatch(message);
  });
});

describe('defaults', () => {
  it('service from OTEL_SERVICE_NAME, made a valid segment', () => {
    const before = process.env.OTEL_SERVICE_NAME;
    try {
      process.env.OTEL_SERVICE_NAME = 'network-api';
      expect(createHttpTelemetry({ logger: false }).options.service).toBe('network_api');
      process.env.OTEL_SERVICE_NAME = 'compute';
      expect(createHttpTelemetry({ logger: false }).options.service).toBe('compute');
      delete process.env.OTEL_SERVICE_NAME;
      expect(createHttpTelemetry({ logger: false }).options.service).toBe('unknown_service');
    } finally {
      if (before === undefined) delete process.env.OTEL_SERVICE_NAME;
      else process.env.OTEL_SERVICE_NAME = before;
    }
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
